export { topKAccuracy, type ScoreRows } from './classification';
