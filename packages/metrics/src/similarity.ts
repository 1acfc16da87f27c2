// `@face/metrics/similarity`: the part of @face/metrics that runs on a TF.js backend (and so
// needs the optional peer `@tensorflow/tfjs-core`); everything in `@face/metrics` itself works
// on plain arrays.
export {
  similarityMatrix,
  pairSimilarity,
  type SimilarityOptions,
} from './identification/similarity-matrix';
export { searchGallery, type SearchOptions } from './identification/search';
export { type Embeddings, type SimilarityMetric } from './identification/embeddings';
export { type Neighbors } from './identification/neighbors';
