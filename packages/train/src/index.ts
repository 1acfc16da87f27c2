export { stepDecay, type LearningRateSchedule } from './schedules';
