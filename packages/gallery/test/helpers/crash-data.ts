import type { Template } from '@face/gallery';

export const CRASH_MODEL = { fingerprint: 'crash-test-model', dim: 32 };
export const CRASH_TEMPLATES = 6000;

/** Template i of the crash test: identity i % 300, source `img-i.jpg`, an embedding from i alone. */
export function crashTemplate(i: number): Template {
  const embedding = Float32Array.from(
    { length: CRASH_MODEL.dim },
    (_, j) => Math.sin(i * 0.37 + j * 1.13) + 0.01 * j,
  );
  return { identity: `person-${i % 300}`, source: `img-${i}.jpg`, embedding };
}

export function* crashTemplates(): Generator<Template> {
  for (let i = 0; i < CRASH_TEMPLATES; i++) yield crashTemplate(i);
}
