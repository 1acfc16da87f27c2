export { normalizeImage, type NormalizeOptions } from './normalize';
