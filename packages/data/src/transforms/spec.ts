import { InvalidArgumentError, Registry } from '@face/core';
import { centerCrop, resize } from './geometry';
import { normalize } from './normalize';
import { compose, type RegisteredTransformKind, type SizeSpec, type Transform } from './transform';

const BUILT_IN = ['normalize', 'resize', 'centerCrop', 'compose'];

/**
 * Rebuilds a transform of a registered kind from its spec, checking every entry; `at` names the
 * spec for errors (`spec.transforms[0]`: an entry is `${at}.landmarks`).
 */
export type TransformKindBuilder = (
  spec: Readonly<Record<string, unknown>>,
  at: string,
) => Transform;

/** The kinds other packages added to `transformFromSpec` (@face/align's `'align.similarity'`). */
export const transformKinds = new Registry<TransformKindBuilder>(
  'transform kind',
  'transformFromSpec',
  'registerTransformKind',
);

/**
 * Teaches `transformFromSpec` a kind: saved specs `{ kind, ... }` are rebuilt by `build`. Kinds
 * are prefixed with the package that registers them (`'align.similarity'`); one registration each.
 */
export function registerTransformKind(kind: RegisteredTransformKind, build: TransformKindBuilder) {
  if (typeof kind !== 'string' || !/^[A-Za-z][\w-]*\.[\w.-]+$/.test(kind))
    throw new InvalidArgumentError(
      'registerTransformKind',
      'kind',
      kind,
      "a kind prefixed with its package ('align.similarity')",
    );
  if (typeof build !== 'function')
    throw new InvalidArgumentError('registerTransformKind', 'build', build, 'a function');
  transformKinds.register(kind, build);
}

const kinds = () => [...BUILT_IN, ...transformKinds.names];
/** Deeper nesting than any real pipeline: a hostile file cannot recurse without bound. */
const MAX_DEPTH = 16;

/**
 * Rebuilds a transform from its `spec` (JSON read from a file, say): `normalize`, `resize`,
 * `centerCrop`, `compose` of them, and the kinds other packages registered
 * (`registerTransformKind`). The rebuilt transform computes the same numbers as the
 * saved one and carries the same spec. Anything else is refused with an `InvalidArgumentError`
 * naming the entry (`spec.transforms[1].size`).
 */
export function transformFromSpec(spec: unknown): Transform {
  return fromSpec(spec, 'spec', 0);
}

function fromSpec(json: unknown, at: string, depth: number): Transform {
  const fn = 'transformFromSpec';
  const bad = (entry: string, value: unknown, expected: string): never => {
    throw new InvalidArgumentError(fn, entry, value, expected);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return bad(
      at,
      json,
      `a transform spec { kind: ${kinds()
        .map((k) => `'${k}'`)
        .join(' | ')}, ... }`,
    );
  const j = json as Record<string, unknown>;
  const rgb = (key: string, positive = false): [number, number, number] => {
    const v = j[key];
    const ok = (x: unknown) => Number.isFinite(x) && (!positive || (x as number) > 0);
    if (!Array.isArray(v) || v.length !== 3 || !v.every(ok))
      return bad(`${at}.${key}`, v, `[r, g, b]: three finite numbers${positive ? ' > 0' : ''}`);
    return [v[0], v[1], v[2]] as [number, number, number];
  };
  const size = (): SizeSpec => {
    const v = j.size;
    const ok = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 1;
    if (ok(v)) return v as number;
    if (Array.isArray(v) && v.length === 2 && v.every(ok)) return [v[0], v[1]] as [number, number];
    return bad(`${at}.size`, v, 'an integer >= 1 or [height, width]');
  };
  switch (j.kind) {
    case 'normalize':
      return normalize({ mean: rgb('mean'), std: rgb('std', true) });
    case 'resize': {
      if (j.method !== 'bilinear' && j.method !== 'nearest')
        bad(`${at}.method`, j.method, "'bilinear' or 'nearest'");
      return resize(size(), { method: j.method as 'bilinear' | 'nearest' });
    }
    case 'centerCrop':
      return centerCrop(size());
    case 'compose': {
      if (!Array.isArray(j.transforms)) return bad(`${at}.transforms`, j.transforms, 'an array');
      if (depth >= MAX_DEPTH)
        bad(at, '(nested compose)', `nested at most ${MAX_DEPTH} composes deep`);
      return compose(j.transforms.map((t, i) => fromSpec(t, `${at}.transforms[${i}]`, depth + 1)));
    }
    default: {
      // Kinds of other packages (registered when they load).
      if (transformKinds.has(j.kind)) return transformKinds.get(j.kind)(j, at);
      const names = kinds().map((k) => `'${k}'`);
      // A package's kind ('align.similarity') read before the package was imported.
      const hint =
        typeof j.kind === 'string' && j.kind.includes('.')
          ? ` (import the package that registers '${j.kind}' first)`
          : '';
      return bad(`${at}.kind`, j.kind, `one of ${names.join(', ')}${hint}`);
    }
  }
}
