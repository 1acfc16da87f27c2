// Node door: shared classes come from the package's root door ('@face/data'), not relative
// paths, so both doors share one ImageDecodeError / FileDataset (instanceof works across them).
import type Sharp from 'sharp';
import { FaceError } from '@face/core';
import { ImageDecodeError, type DecodedImage } from '@face/data';

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

/**
 * Decodes JPEG / PNG / WebP / GIF / TIFF / AVIF bytes to RGB with sharp (libvips): EXIF
 * orientation applied, embedded ICC profiles ignored (as the browser decoder does), alpha
 * dropped, grey replicated, 16-bit reduced to 8. A truncated or unreadable file rejects with an
 * ImageDecodeError naming `path`.
 */
export async function decodeImageNode(bytes: Uint8Array, path = '<bytes>'): Promise<DecodedImage> {
  const sharp = await loadSharp();
  if (!(bytes instanceof Uint8Array))
    throw new ImageDecodeError(path, 'expected the file bytes as a Uint8Array');
  if (bytes.length === 0) throw new ImageDecodeError(path, 'the file is empty');
  try {
    const { data, info } = await sharp(bytes, {
      failOn: 'warning',
      ignoreIcc: true,
      autoOrient: true,
    })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
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
