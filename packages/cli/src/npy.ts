import { FaceError } from '@face/core';

// NumPy's .npy format, version 1.0 (numpy.lib.format): the magic "\x93NUMPY", version 1.0, a
// little-endian uint16 header length, an ASCII dict header padded with spaces to a multiple of 64
// bytes (ending in "\n"), then the raw little-endian data in C order.
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** A float32 matrix [rows, cols] as .npy bytes (`np.load` reads it). */
export function writeNpy(data: Float32Array, shape: readonly [number, number]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape[0]}, ${shape[1]}), }`;
  const total = MAGIC.length + 4 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(MAGIC.length + 4 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < data.length; i++) body.setFloat32(i * 4, data[i], true);
  return out;
}

/** Reads a float32 matrix written by {@link writeNpy} (or NumPy, for '<f4' C-order 2-D arrays). */
export function readNpy(bytes: Uint8Array): { data: Float32Array; shape: [number, number] } {
  if (!MAGIC.every((b, i) => bytes[i] === b)) throw new FaceError('readNpy: not a .npy file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint16(8, true);
  const header = String.fromCharCode(...bytes.subarray(10, 10 + length));
  const shape = /'shape': \((\d+), (\d+)\)/.exec(header);
  if (!/'descr': '<f4'/.test(header) || /'fortran_order': True/.test(header) || !shape)
    throw new FaceError(
      `readNpy: only little-endian float32 2-D C-order arrays are read, header ${header.trim()}`,
    );
  const [rows, cols] = [Number(shape[1]), Number(shape[2])];
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(10 + length + i * 4, true);
  return { data, shape: [rows, cols] };
}
