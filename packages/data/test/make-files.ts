// Writes the small image files the decoding and folder tests use, with sharp.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/** Deterministic RGB(A) test pattern: gradients plus a checker, so decoders have edges to get wrong. */
export function pattern(width: number, height: number, channels: 1 | 3 | 4, seed = 0): Uint8Array {
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++) {
        const checker = ((x >> 2) + (y >> 2)) % 2 ? 60 : 0;
        let v = (x * 7 + y * 3 + c * 50 + seed * 13 + checker) % 256;
        if (c === 3) v = 128 + ((x * 5 + y * 11) % 128); // alpha in 128..255
        out[(y * width + x) * channels + c] = v;
      }
  return out;
}

const raw = (data: Uint8Array, width: number, height: number, channels: 1 | 3 | 4) =>
  sharp(Buffer.from(data), { raw: { width, height, channels } });

export interface EncodedFiles {
  [name: string]: {
    bytes: Uint8Array;
    pixels: Uint8Array;
    width: number;
    height: number;
    lossless: boolean;
  };
}

/** One file of each kind the decoders must handle; `pixels` is the RGB the file holds. */
export async function encodeSamples(): Promise<EncodedFiles> {
  const w = 24;
  const h = 18;
  const rgb = pattern(w, h, 3);
  const grey = pattern(w, h, 1, 1);
  const rgba = pattern(w, h, 4, 2);
  const opaque = pattern(w, h, 4, 3).map((v, i) => (i % 4 === 3 ? 255 : v));
  const toRgb = (src: Uint8Array, ch: number) => {
    const out = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++)
      for (let c = 0; c < 3; c++) out[i * 3 + c] = src[i * ch + (ch === 1 ? 0 : c)];
    return out;
  };
  const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.length);
  return {
    'rgb.png': {
      bytes: u8(await raw(rgb, w, h, 3).png().toBuffer()),
      pixels: rgb,
      width: w,
      height: h,
      lossless: true,
    },
    'grey.png': {
      bytes: u8(await raw(grey, w, h, 1).png().toBuffer()),
      pixels: toRgb(grey, 1),
      width: w,
      height: h,
      lossless: true,
    },
    'rgba-opaque.png': {
      bytes: u8(await raw(opaque, w, h, 4).png().toBuffer()),
      pixels: toRgb(opaque, 4),
      width: w,
      height: h,
      lossless: true,
    },
    'rgba.png': {
      bytes: u8(await raw(rgba, w, h, 4).png().toBuffer()),
      pixels: toRgb(rgba, 4),
      width: w,
      height: h,
      lossless: true,
    },
    'rgb.webp': {
      bytes: u8(await raw(rgb, w, h, 3).webp({ lossless: true }).toBuffer()),
      pixels: rgb,
      width: w,
      height: h,
      lossless: true,
    },
    'rgb-420.jpg': {
      bytes: u8(await raw(rgb, w, h, 3).jpeg({ quality: 90 }).toBuffer()),
      pixels: rgb,
      width: w,
      height: h,
      lossless: false,
    },
    'rgb-444.jpg': {
      bytes: u8(
        await raw(rgb, w, h, 3).jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer(),
      ),
      pixels: rgb,
      width: w,
      height: h,
      lossless: false,
    },
    'grey.jpg': {
      bytes: u8(await raw(grey, w, h, 1).jpeg({ quality: 90 }).toBuffer()),
      pixels: toRgb(grey, 1),
      width: w,
      height: h,
      lossless: false,
    },
  };
}

/**
 * An identity-folder tree with every kind of trouble:
 *   alice/  good JPEG, PNG, grey PNG, RGBA PNG
 *   bob/    good WebP, a truncated JPEG, a text file named .jpg, nested/good.png
 *   carol/  empty
 *   dave/   good PNG and `self` -> dave (a folder symlink loop)
 *   erin/   good JPEG and x -> y, y -> x (a symlink cycle: stat fails with ELOOP)
 *   notes.txt at the root (ignored)
 */
export async function makeTree(root: string): Promise<{ good: string[]; corrupt: string[] }> {
  const files = await encodeSamples();
  const put = (rel: string, bytes: Uint8Array | string) => {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, bytes);
    return path;
  };
  const good = [
    put('alice/1.jpg', files['rgb-420.jpg'].bytes),
    put('alice/2.png', files['rgb.png'].bytes),
    put('alice/3.png', files['grey.png'].bytes),
    put('alice/4.png', files['rgba.png'].bytes),
    put('bob/1.webp', files['rgb.webp'].bytes),
    put('bob/nested/good.png', files['rgb.png'].bytes),
    put('dave/1.png', files['grey.png'].bytes),
    put('erin/1.jpg', files['grey.jpg'].bytes),
  ];
  const jpeg = files['rgb-420.jpg'].bytes;
  const corrupt = [
    put('bob/truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2))),
    put('bob/text.jpg', 'this is not a JPEG\n'),
  ];
  mkdirSync(join(root, 'carol'));
  symlinkSync(join(root, 'dave'), join(root, 'dave', 'self'));
  symlinkSync(join(root, 'erin', 'y'), join(root, 'erin', 'x'));
  symlinkSync(join(root, 'erin', 'x'), join(root, 'erin', 'y'));
  put('notes.txt', 'not an identity');
  return { good, corrupt };
}
