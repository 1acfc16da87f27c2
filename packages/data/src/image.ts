import { InvalidArgumentError } from '@face/core';

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
