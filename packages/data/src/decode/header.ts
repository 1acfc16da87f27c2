/**
 * Width and height from the first bytes of a PNG, GIF, JPEG or WebP file, without decoding it;
 * null when the format is another one or the header is cut short. Lets the browser decoder refuse
 * an oversized image before `createImageBitmap` allocates its pixels (sharp has `metadata()`).
 * Layouts: PNG IHDR (ISO/IEC 15948), GIF logical screen, JPEG SOFn marker segments, WebP
 * VP8 / VP8L / VP8X chunk headers.
 */
export function imageHeaderSize(b: Uint8Array): { width: number; height: number } | null {
  const u16be = (i: number) => (b[i] << 8) | b[i + 1];
  const u16le = (i: number) => b[i] | (b[i + 1] << 8);
  const u24le = (i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
  const u32be = (i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
  const ascii = (i: number, s: string) =>
    b.length >= i + s.length && [...s].every((c, k) => b[i + k] === c.charCodeAt(0));
  if (ascii(1, 'PNG') && ascii(12, 'IHDR') && b.length >= 24)
    return { width: u32be(16), height: u32be(20) };
  if (ascii(0, 'GIF8') && b.length >= 10) return { width: u16le(6), height: u16le(8) };
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP') && b.length >= 30) {
    if (ascii(12, 'VP8X')) return { width: u24le(24) + 1, height: u24le(27) + 1 };
    if (ascii(12, 'VP8L')) {
      const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (ascii(12, 'VP8 ')) return { width: u16le(26) & 0x3fff, height: u16le(28) & 0x3fff };
    return null;
  }
  if (b[0] === 0xff && b[1] === 0xd8) {
    // Walk the marker segments to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC).
    let i = 2;
    while (i + 9 <= b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1];
      if (marker === 0xff) {
        i++; // fill byte
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
        return { width: u16be(i + 7), height: u16be(i + 5) };
      if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan before a frame
      i += 2 + u16be(i + 2);
    }
  }
  return null;
}
