import { InvalidArgumentError } from '@face/core';

/**
 * Largest image the decoders accept by default, in pixels (width x height): 4096 x 4096, 16.8 MP.
 * Far above any face crop and above 12 MP phone photos (4032 x 3024), yet an image at the cap
 * decodes to 50 MB of RGB, so `concurrency` loads in flight stay within a few hundred MB. sharp's
 * own default (268 MP) lets a 776 KB PNG of 16000 x 16000 take 4.6 GB.
 */
export const DEFAULT_MAX_PIXELS = 4096 * 4096;

/**
 * Largest image file read by default, in bytes: 64 MiB. An 8-bit RGB image at the pixel cap takes
 * 48 MiB even uncompressed (BMP, TIFF), so every ordinary file the decoder would accept fits,
 * while face datasets' JPEGs are tens of KB; and `concurrency` reads in flight stay bounded
 * (a 1.5 GB file named .jpg was read whole before).
 */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** A decoded image: RGB, 8 bits per channel, rows top to bottom, pixels interleaved (HWC). */
export interface DecodedImage {
  data: Uint8Array;
  height: number;
  width: number;
}

/** Asserts `image` is a well-formed {@link DecodedImage}. */
export function checkDecodedImage(fn: string, argument: string, image: DecodedImage): void {
  const ok =
    image !== null &&
    typeof image === 'object' &&
    image.data instanceof Uint8Array &&
    Number.isInteger(image.height) &&
    Number.isInteger(image.width) &&
    image.height > 0 &&
    image.width > 0 &&
    image.data.length === image.height * image.width * 3;
  if (!ok) {
    throw new InvalidArgumentError(
      fn,
      argument,
      image,
      '{ data: Uint8Array of height * width * 3 RGB bytes, height > 0, width > 0 }',
    );
  }
}
