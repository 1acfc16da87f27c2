export { mountAlignSection, type AlignState, type Embedder } from './section';
export { embedCrop } from './embed';
