import { FaceError, checkInteger } from '@face/core';
import { ImageDecodeError } from '../errors';
import { DEFAULT_MAX_PIXELS, type DecodedImage } from '../image';
import { imageHeaderSize } from './header';

/**
 * Decodes JPEG / PNG / WebP (whatever the browser reads) to RGB bytes with `createImageBitmap` and
 * a 2D canvas, in a page or a worker. Colour management and alpha premultiplication are off
 * (`colorSpaceConversion: 'none'`, `premultiplyAlpha: 'none'`) so the bytes are the file's, as
 * `decodeImageNode` (sharp) gives them; alpha is dropped, grey is replicated to RGB.
 * PNG and lossless WebP decode to identical bytes in both; JPEG differs by at most a few levels
 * where the decoders' IDCT and chroma upsampling differ (see the package README). A canvas stores
 * premultiplied pixels, so translucent pixels lose precision (exact when opaque).
 * An image over `maxPixels` (default `DEFAULT_MAX_PIXELS`) is an ImageDecodeError.
 */
export async function decodeImageBrowser(
  bytes: Uint8Array | ArrayBuffer | Blob,
  path = '<bytes>',
  { maxPixels = DEFAULT_MAX_PIXELS }: { maxPixels?: number } = {},
): Promise<DecodedImage> {
  checkInteger('decodeImageBrowser', 'maxPixels', maxPixels, { min: 1 });
  if (typeof createImageBitmap !== 'function') {
    throw new FaceError(
      'decodeImageBrowser needs createImageBitmap (a browser page or worker); ' +
        "in Node use decodeImageNode from '@face/data/node'",
    );
  }
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes as BlobPart]);
  if (blob.size === 0) throw new ImageDecodeError(path, 'the file is empty');
  // The header first, so an oversized image is refused before it is decoded.
  const head = new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer());
  const size = imageHeaderSize(head);
  if (size) checkPixels(path, size.width, size.height, maxPixels);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
    });
  } catch (err) {
    throw new ImageDecodeError(path, (err as Error)?.message || String(err));
  }
  try {
    const { width, height } = bitmap;
    // For formats the header reader does not know: still spares the canvas and the RGBA copy.
    checkPixels(path, width, height, maxPixels);
    const context = canvas2d(width, height);
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, width, height).data;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0, j = 0; i < data.length; i += 3, j += 4) {
      data[i] = rgba[j];
      data[i + 1] = rgba[j + 1];
      data[i + 2] = rgba[j + 2];
    }
    return { data, height, width };
  } finally {
    bitmap.close();
  }
}

/** Bytes read for the header: JPEG's frame header may follow EXIF and ICC segments. */
const HEADER_BYTES = 256 * 1024;

function checkPixels(path: string, width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels)
    throw new ImageDecodeError(
      path,
      `${width} x ${height} = ${width * height} pixels, over the maxPixels limit of ${maxPixels}`,
    );
}

function canvas2d(
  width: number,
  height: number,
): OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D {
  if (typeof OffscreenCanvas !== 'undefined') {
    const context = new OffscreenCanvas(width, height).getContext('2d', {
      willReadFrequently: true,
    });
    if (context) return context;
  }
  if (typeof document !== 'undefined') {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context) return context;
  }
  throw new FaceError(
    'decodeImageBrowser: no 2D canvas (OffscreenCanvas or document) is available',
  );
}
