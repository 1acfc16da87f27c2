import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve, sep } from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '@face/core';
import * as tf from '@tensorflow/tfjs-core';
import { ImageDecodeError, type DecodedImage } from '@face/data';
import { FACE_POLICIES, alignImage, alignmentTemplate, type FacePolicy } from '@face/align';
import { numberFlag, stringFlag, UsageError, type Command, type Io, type Values } from '../args';
import { openDataset } from '../datasets';
import { DETECTOR_FLAGS, detectorSettings } from '../face-crop';
import { loadFaceDetector } from '../face-api';
import { BACKEND_FLAG, DATA_FLAG, THREADS_FLAG, backendFromFlags, noPositionals } from './common';

const name = 'align';
export const REPORT_FILE = 'align-report.json';

export const alignCommand: Command = {
  name,
  summary:
    'Detect, landmark and align the faces of an identity folder into canonical crops. ' +
    'Writes <out>/<identity>/<picture> under the same names (pairs files still apply); resumable ' +
    `(pictures done are skipped), with a report of pictures without a face (<out>/${REPORT_FILE}).`,
  usage: '--data <folder|list.csv> --out <folder> [flags]',
  flags: {
    data: DATA_FLAG,
    out: {
      type: 'string',
      description: 'folder for the aligned crops and the report',
      value: 'dir',
    },
    ...DETECTOR_FLAGS,
    faces: {
      ...DETECTOR_FLAGS.faces,
      description:
        'which faces of a picture with several: the largest, the most central, all (<picture>_<k>.<ext>), or skip the picture',
      choices: FACE_POLICIES,
    },
    template: { ...DETECTOR_FLAGS.template, default: 'arcface' },
    weights: {
      type: 'string',
      description: "face-api's model/ folder (default: the installed package's)",
      value: 'dir',
    },
    'no-face': {
      type: 'string',
      description:
        'a picture without a face: skip it (listed in the report), or write its central <px> square resized to the template (center:<px>, as LFW evaluations do, so that every pair has both pictures)',
      default: 'skip',
      value: 'skip|center:<px>',
    },
    batch: {
      type: 'string',
      description: 'pictures read and aligned at once',
      default: '16',
      value: 'n',
    },
    backend: BACKEND_FLAG,
    threads: THREADS_FLAG,
  },
  details:
    'Example:\n  face align --data ~/lfw --out ~/lfw-aligned --template dlib --no-face center:120\n  face eval --model dlib-resnet --data ~/lfw-aligned --pairs ~/lfw/pairs.txt',
  run: align,
};

interface Report {
  pictures: number;
  aligned: number;
  crops: number;
  noFace: { path: string; reason: string }[];
  undecodable: { path: string; reason: string }[];
}

/** A file-name part from a (possibly hostile) identity or picture name: no separators, no `..`. */
const safe = (s: string) => (/^\.*$/.test(s) ? '_' : s.replace(/[/\\\0]/g, '_'));

function previousReport(out: string): Report | null {
  const path = join(out, REPORT_FILE);
  if (!existsSync(path) || !statSync(path).isFile() || statSync(path).size > 64 * 1024 * 1024)
    return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Report;
  } catch {
    return null; // A damaged report only costs re-checking its pictures.
  }
}

async function align(v: Values, io: Io): Promise<number> {
  noPositionals(name, v);
  const data = stringFlag(name, v, 'data', true)!;
  const out = stringFlag(name, v, 'out', true)!;
  const batch = numberFlag(name, v, 'batch', { integer: true, min: 1, max: 1024 })!;
  const s = detectorSettings(name, v);
  const policy = stringFlag(name, v, 'faces') as FacePolicy;
  const noFace = stringFlag(name, v, 'no-face')!;
  const noFaceCrop = noFace === 'skip' ? null : Number(/^center:(\d+)$/.exec(noFace)?.[1] ?? NaN);
  if (noFaceCrop !== null && !(noFaceCrop >= 1 && noFaceCrop <= 4096))
    throw new UsageError(
      `face ${name}: flag --no-face must be skip or center:<px> with px in [1, 4096], got '${noFace}'`,
    );
  if (data === 'synthetic')
    throw new UsageError(`face ${name}: flag --data must name pictures in files, not 'synthetic'`);
  if ((resolve(out) + sep).startsWith(resolve(data) + sep))
    throw new UsageError(
      `face ${name}: flag --out '${out}' lies inside --data '${data}'; pick a folder outside it`,
    );
  const template = alignmentTemplate(s.template ?? 'arcface');
  await backendFromFlags(name, v, io);
  const opened = openDataset(name, 'data', data, { imageSize: template.width });
  io.out(`data: ${opened.description}`);
  const detector = await loadFaceDetector(name, { ...s, weights: stringFlag(name, v, 'weights') });
  io.out(
    `align: face-api ${s.detector} (confidence >= ${s.minConfidence}), ${policy} face(s), ${template.name} template ${template.width}x${template.height} -> ${out}`,
  );
  const { dataset } = opened;
  const target = (i: number, k = 0) => {
    const stem = basename(dataset.source(i), extname(dataset.source(i)));
    const identity = dataset.classNames[dataset.labels[i]];
    return join(
      out,
      safe(identity),
      `${safe(stem)}${k ? `_${k}` : ''}${outputExtension(dataset.source(i))}`,
    );
  };
  // Resuming: pictures with a crop, or reported faceless, are done.
  const before = previousReport(out);
  const known = new Set(
    [...(before?.noFace ?? []), ...(before?.undecodable ?? [])].map((p) => p.path),
  );
  const report: Report = {
    pictures: dataset.size,
    aligned: 0,
    crops: 0,
    noFace: [],
    undecodable: [],
  };
  const todo: number[] = [];
  for (let i = 0; i < dataset.size; i++) {
    const source = dataset.source(i);
    if (existsSync(target(i))) report.aligned++;
    else if (known.has(source)) {
      const entry = [...(before?.noFace ?? []), ...(before?.undecodable ?? [])].find(
        (p) => p.path === source,
      )!;
      (before!.noFace.includes(entry) ? report.noFace : report.undecodable).push(entry);
    } else todo.push(i);
  }
  if (todo.length < dataset.size)
    io.out(`resume: ${dataset.size - todo.length} pictures done before, ${todo.length} to go`);
  const t0 = Date.now();
  let done = 0;
  let shown = -1;
  try {
    for (let b = 0; b < todo.length; b += batch) {
      await Promise.all(todo.slice(b, b + batch).map((i) => alignOne(i)));
      done = Math.min(todo.length, b + batch);
      const percent = Math.floor((100 * done) / todo.length);
      if (percent >= shown + 5 || done === todo.length) {
        shown = percent;
        const rate = done / Math.max(1e-3, (Date.now() - t0) / 1000);
        io.err(
          `${progressBar(done, todo.length)} ${done}/${todo.length} pictures, ${rate.toFixed(1)}/s, ${report.noFace.length} without a face`,
        );
      }
      await writeFileAtomic(join(out, REPORT_FILE), `${JSON.stringify(report, null, 1)}\n`);
    }
  } finally {
    detector.dispose();
  }
  await writeFileAtomic(join(out, REPORT_FILE), `${JSON.stringify(report, null, 1)}\n`);
  io.out(
    `aligned ${report.aligned} of ${report.pictures} pictures (${report.noFace.length} without a face, ${report.undecodable.length} undecodable); report: ${join(out, REPORT_FILE)}`,
  );
  return 0;

  async function alignOne(i: number): Promise<void> {
    let image;
    try {
      image = await dataset.load(i);
    } catch (err) {
      if (!(err instanceof ImageDecodeError)) throw err;
      report.undecodable.push({ path: dataset.source(i), reason: err.reason });
      return;
    }
    const { crops, found } = await alignImage(image, { detector, template, policy });
    if (crops.length === 0) {
      const reason = found === 0 ? 'no face found' : `${found} faces found (--faces skip)`;
      report.noFace.push({ path: dataset.source(i), reason });
      if (noFaceCrop === null) return;
      crops.push(centralCrop(image, noFaceCrop, template.height, template.width));
    }
    for (const [k, crop] of crops.entries())
      await writeFileAtomic(target(i, k), await encode(crop, target(i, k)));
    report.aligned++;
    report.crops += crops.length;
  }
}

/** The picture's own extension when sharp writes it (JPEG, PNG, WebP), else `.png`. */
function outputExtension(source: string): string {
  const ext = extname(source).toLowerCase();
  return ['.jpg', '.jpeg', '.png', '.webp'].includes(ext) ? extname(source) : '.png';
}

/** A crop encoded as its file name says: JPEG at quality 95, WebP, else PNG (lossless). */
function encode(crop: DecodedImage, path: string): Promise<Buffer> {
  const image = sharp(Buffer.from(crop.data), {
    raw: { width: crop.width, height: crop.height, channels: 3 },
  });
  const ext = extname(path).toLowerCase();
  if (ext === '.jpg' || ext === '.jpeg') return image.jpeg({ quality: 95 }).toBuffer();
  return (ext === '.webp' ? image.webp({ quality: 95 }) : image.png()).toBuffer();
}

/** The central `px` square (less where the picture is smaller), resized to `h` x `w`. */
function centralCrop(image: DecodedImage, px: number, h: number, w: number): DecodedImage {
  const side = Math.min(px, image.height, image.width);
  const top = Math.floor((image.height - side) / 2);
  const left = Math.floor((image.width - side) / 2);
  return tf.tidy(() => {
    const x = tf.slice(
      tf.tensor3d(image.data, [image.height, image.width, 3], 'int32'),
      [top, left, 0],
      [side, side, 3],
    );
    const resized = tf.image.resizeBilinear(x as tf.Tensor3D, [h, w], false, true);
    return {
      data: Uint8Array.from(tf.clipByValue(tf.round(resized), 0, 255).dataSync()),
      height: h,
      width: w,
    };
  });
}

function progressBar(done: number, total: number, width = 24): string {
  const full = Math.round((width * done) / Math.max(1, total));
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}
