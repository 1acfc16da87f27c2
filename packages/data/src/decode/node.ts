// Node door: shared classes come from the package's root door ('@face/data'), not relative
// paths, so both doors share one ImageDecodeError / FileDataset (instanceof works across them).
import type Sharp from 'sharp';
import { FaceError, checkInteger } from '@face/core';
import { DEFAULT_MAX_PIXELS, ImageDecodeError, type DecodedImage } from '@face/data';

type SharpFactory = typeof Sharp;
let sharpPromise: Promise<SharpFactory> | undefined;

/** Imports sharp on first use: it is an optional peer dependency, never needed in browsers. */
function loadSharp(): Promise<SharpFactory> {
  sharpPromise ??= import('sharp').then(
    (m) => ((m as { default?: SharpFactory }).default ?? m) as SharpFactory,
    (err: Error) => {
      sharpPromise = undefined;
      throw new FaceError(
        `decodeImageNode needs the optional peer dependency 'sharp' (npm install sharp): ${err.message}`,
      );
    },
  );
  return sharpPromise;
}

export interface DecodeOptions {
  /**
   * Largest image accepted, in pixels (width x height, of the first frame). Checked on the header
   * before anything is decoded; a larger image is an ImageDecodeError (skipped under a 'skip'
   * policy). Default `DEFAULT_MAX_PIXELS` (4096 x 4096).
   */
  maxPixels?: number;
}

/**
 * Decodes JPEG / PNG / WebP / GIF / TIFF / AVIF bytes to RGB with sharp (libvips): EXIF
 * orientation applied, embedded ICC profiles ignored (as the browser decoder does), alpha
 * dropped, grey replicated, 16-bit reduced to 8. A truncated or unreadable file, or one larger
 * than `maxPixels` (read from its header, before decoding), rejects with an ImageDecodeError
 * naming `path`.
 */
export async function decodeImageNode(
  bytes: Uint8Array,
  path = '<bytes>',
  { maxPixels = DEFAULT_MAX_PIXELS }: DecodeOptions = {},
): Promise<DecodedImage> {
  checkInteger('decodeImageNode', 'maxPixels', maxPixels, { min: 1 });
  const sharp = await loadSharp();
  if (!(bytes instanceof Uint8Array))
    throw new ImageDecodeError(path, 'expected the file bytes as a Uint8Array');
  if (bytes.length === 0) throw new ImageDecodeError(path, 'the file is empty');
  try {
    // limitInputPixels refuses a decompression bomb on its header, before libvips allocates its
    // pixels; the header is read a second time (metadata) only then, for the sizes in the message.
    const { data, info } = await sharp(bytes, {
      failOn: 'warning',
      ignoreIcc: true,
      autoOrient: true,
      limitInputPixels: maxPixels,
    })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
      .catch(async (err: unknown) => {
        if (!/pixel limit/i.test((err as Error)?.message ?? '')) throw err;
        const { width = 0, height = 0, pageHeight } = await sharp(bytes).metadata();
        const h = pageHeight ?? height;
        throw new Error(
          `${width} x ${h} = ${width * h} pixels, over the maxPixels limit of ${maxPixels}`,
        );
      });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      height: info.height,
      width: info.width,
    };
  } catch (err) {
    throw new ImageDecodeError(path, (err as Error).message);
  }
}
