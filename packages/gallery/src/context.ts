import type { Driver } from './driver';

/** The face model whose embeddings a gallery holds. */
export interface GalleryModel {
  /**
   * What identifies the model: a hash of its weights, or a name and version. Galleries compare
   * it as an opaque string; a retrained model must get a new one.
   */
  fingerprint: string;
  /** Embedding size. */
  dim: number;
}

/** What the gallery's parts share: the open database, its schema name and its model. */
export interface GalleryContext {
  db: Driver;
  /** SQL schema holding the gallery's tables (an identifier checked at open). */
  schema: string;
  /** Location for messages (a postgres URL without its password). */
  display: string;
  model: GalleryModel | null;
}
