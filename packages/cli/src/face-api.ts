// Where the `face` command finds @vladmandic/face-api (an optional peer): resolved from the
// working directory, else from the CLI's own location (a face-api installed beside @face/cli,
// or in this workspace), so `--backbone dlib-resnet` and `face align` work from anywhere.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '@face/core';
import {
  DETECTORS,
  FACE_API_MANIFESTS,
  FaceDetector,
  type DetectorName,
  type FaceApiModule,
} from '@face/align';
import { decodeWeightsArtifacts, faceApiModelDir, readWeightsArtifacts } from '@face/pretrained';
import { UsageError } from './args';

/** This file's folder, in the ESM build and the CJS one alike. */
function cliDir(): string | undefined {
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return typeof __dirname === 'string' ? __dirname : undefined;
  }
}

const bases = () => [process.cwd(), ...(cliDir() ? [cliDir() as string] : [])];

/** face-api's `model/` folder from the working directory or the CLI's location; null if none. */
export async function findFaceApiModels(): Promise<string | null> {
  try {
    return await faceApiModelDir(bases());
  } catch (err) {
    if (err instanceof InvalidArgumentError) return null;
    throw err;
  }
}

const INSTALL = 'npm install @vladmandic/face-api @tensorflow/tfjs';

/**
 * face-api's Node build on this program's TF.js (`dist/face-api.node-wasm.js`, which requires
 * `@tensorflow/tfjs`), and its weights: `weights` (a model/ folder, `--weights`) or the installed
 * package's own. Errors say what to install.
 */
export async function loadFaceDetector(
  command: string,
  options: { weights?: string; detector: DetectorName; minConfidence: number },
): Promise<FaceDetector> {
  const models = await findFaceApiModels();
  if (!models)
    throw new UsageError(
      `face ${command}: face detection needs @vladmandic/face-api, which resolves neither from ${process.cwd()} nor from the face command's folder: ${INSTALL}`,
    );
  let faceapi: FaceApiModule;
  try {
    const require = createRequire(join(dirname(models), 'package.json'));
    faceapi = require('./dist/face-api.node-wasm.js') as FaceApiModule;
  } catch (err) {
    throw new UsageError(
      `face ${command}: cannot load @vladmandic/face-api's Node build from ${dirname(models)} (${(err as Error).message.split('\n')[0]}): ${INSTALL}`,
    );
  }
  if (!DETECTORS.includes(options.detector))
    throw new UsageError(`face ${command}: flag --detector must be one of ${DETECTORS.join(', ')}`);
  const source = options.weights ?? models;
  // The manifests and shards are read by the hostile-safe readers: inside their folder, sized.
  const read = async (manifest: string) =>
    decodeWeightsArtifacts(await readWeightsArtifacts(source, manifest));
  return FaceDetector.create(
    faceapi,
    {
      detector: await read(FACE_API_MANIFESTS[options.detector]),
      landmarks: await read(FACE_API_MANIFESTS.landmarks),
    },
    { detector: options.detector, minConfidence: options.minConfidence },
  );
}
