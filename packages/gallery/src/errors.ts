import { FaceError } from '@face/core';

/** Base class of the errors @face/gallery throws on purpose (bad arguments are InvalidArgumentError). */
export class GalleryError extends FaceError {
  override name = 'GalleryError';
}

/**
 * The gallery holds another face model's embeddings: its fingerprint or embedding size differs
 * from the one given. Scores between two models' embeddings mean nothing, so this is refused.
 */
export class GalleryModelError extends GalleryError {
  override name = 'GalleryModelError';
  constructor(
    readonly location: string,
    readonly stored: { fingerprint: string; dim: number },
    readonly given: { fingerprint: string; dim: number },
  ) {
    super(
      `gallery ${location} holds embeddings of model ${JSON.stringify(stored.fingerprint)} (${stored.dim} dimensions), ` +
        `got model ${JSON.stringify(given.fingerprint)} (${given.dim} dimensions): use the model that enrolled it, or another gallery`,
    );
  }
}

/** A location that cannot hold a gallery: a file, a folder of other files, an unknown scheme, a newer schema. */
export class GalleryLocationError extends GalleryError {
  override name = 'GalleryLocationError';
  constructor(
    readonly location: string,
    readonly reason: string,
  ) {
    super(`gallery ${location}: ${reason}`);
  }
}

/** The database driver is missing or failed: `pg` not installed, the server unreachable, no pgvector. */
export class GalleryDriverError extends GalleryError {
  override name = 'GalleryDriverError';
  constructor(
    readonly location: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`gallery ${location}: ${reason}`, options);
  }
}
