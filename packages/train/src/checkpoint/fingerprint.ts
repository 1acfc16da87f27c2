import type { NamedVariable } from '../variables';
import type { JsonValue } from '../json';

/** One variable as the fingerprint records it: name, shape, dtype. */
export type VariableSignature = [name: string, shape: number[], dtype: string];

/**
 * The training set a run learns from: its identity names in class order (the head's rows) and a
 * hash of its (source, label) list. Resuming on another set would silently remap the classes.
 */
export interface DatasetSignature {
  classNames: string[];
  files: { count: number; hash: string };
}

/** What {@link datasetSignature} reads: a FaceDataset of @face/data, or anything shaped like one. */
export interface DatasetLike {
  readonly size: number;
  readonly labels: ArrayLike<number>;
  readonly classNames: readonly string[];
  source?(index: number): string;
}

/**
 * What makes a checkpoint loadable into a run: the trainable and state variables (names, shapes,
 * dtypes), the optimizer kind, a user config (recipe, backbone, class count...) and, when the run
 * says, its training set. `hash` summarizes all of it; {@link fingerprintDifferences} says what
 * differs.
 */
export interface Fingerprint {
  variables: VariableSignature[];
  state: VariableSignature[];
  optimizer: string | null;
  config: JsonValue;
  /** Absent in checkpoints of runs that did not declare their data (then it is not compared). */
  data?: DatasetSignature;
  hash: string;
}

/** JSON with sorted object keys, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Incremental 64-bit FNV-1a over UTF-16 code units, in two 32-bit halves (BigInt arithmetic was
 * too slow for a million file names). The prime is 2^40 + 0x1b3: h * p = h * 0x1b3 + (lo << 40).
 */
class Fnv1a64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  update(text: string): this {
    let { hi, lo } = this;
    for (let i = 0; i < text.length; i++) {
      lo ^= text.charCodeAt(i);
      lo >>>= 0;
      const low = lo * 0x1b3; // < 2^41: exact in a double
      const carry = Math.floor(low / 0x100000000);
      hi = (hi * 0x1b3 + ((lo << 8) >>> 0) + carry) % 0x100000000;
      lo = low % 0x100000000;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  digest(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

/** 64-bit FNV-1a of a string's UTF-16 code units, as 16 hex digits (identity, not security). */
export function fnv1a64(text: string): string {
  return new Fnv1a64().update(text).digest();
}

/**
 * The training set's signature: class names, and a hash of each image's source (its path, or its
 * index when the dataset does not say) with its label, in dataset order.
 */
export function datasetSignature(dataset: DatasetLike): DatasetSignature {
  const h = new Fnv1a64();
  const named = typeof dataset.source === 'function';
  for (let i = 0; i < dataset.size; i++) {
    const source = named ? dataset.source!(i) : String(i);
    // Lengths delimit the fields, so no path can imitate a separator.
    h.update(`${source.length}:${source}:${dataset.labels[i]};`);
  }
  return {
    classNames: [...dataset.classNames],
    files: { count: dataset.size, hash: h.digest() },
  };
}

const signature = (v: NamedVariable): VariableSignature => [
  v.name,
  [...v.variable.shape],
  v.variable.dtype,
];

export function makeFingerprint({
  variables,
  state = [],
  optimizer = null,
  config = null,
  data,
}: {
  variables: readonly NamedVariable[];
  state?: readonly NamedVariable[];
  optimizer?: string | null;
  config?: JsonValue;
  data?: DatasetSignature;
}): Fingerprint {
  const body = {
    variables: variables.map(signature),
    state: state.map(signature),
    optimizer,
    config,
    ...(data ? { data } : {}),
  };
  return { ...body, hash: fnv1a64(canonicalJson(body)) };
}

function compareSignatures(
  kind: string,
  saved: VariableSignature[],
  current: VariableSignature[],
): string[] {
  const out: string[] = [];
  const here = new Map(current.map((s) => [s[0], s]));
  const there = new Map(saved.map((s) => [s[0], s]));
  const missingHere = saved.filter((s) => !here.has(s[0])).map((s) => `'${s[0]}'`);
  const missingThere = current.filter((s) => !there.has(s[0])).map((s) => `'${s[0]}'`);
  const list = (names: string[]) =>
    names.slice(0, 5).join(', ') + (names.length > 5 ? `, ... (${names.length})` : '');
  if (missingHere.length)
    out.push(`${kind} ${list(missingHere)} in the checkpoint but not in this model`);
  if (missingThere.length)
    out.push(`${kind} ${list(missingThere)} in this model but not in the checkpoint`);
  for (const [name, shape, dtype] of saved) {
    const cur = here.get(name);
    if (!cur) continue;
    if (shape.join(',') !== cur[1].join(',')) {
      out.push(
        `${kind} '${name}' has shape [${shape.join(', ')}] in the checkpoint, [${cur[1].join(', ')}] here`,
      );
    } else if (dtype !== cur[2]) {
      out.push(`${kind} '${name}' has dtype ${dtype} in the checkpoint, ${cur[2]} here`);
    }
  }
  return out;
}

function compareData(saved: DatasetSignature, current: DatasetSignature): string[] {
  const out: string[] = [];
  const a = saved.classNames ?? [];
  const b = current.classNames;
  if (a.length !== b.length || a.some((n, i) => n !== b[i])) {
    const n = Math.max(a.length, b.length);
    let differ = 0;
    let first = -1;
    for (let i = 0; i < n; i++) {
      if (a[i] === b[i]) continue;
      differ++;
      if (first < 0) first = i;
    }
    const name = (v: string | undefined) => (v === undefined ? '(none)' : `'${v}'`);
    out.push(
      `the training set's class names changed: ${differ} of ${n} differ` +
        (a.length !== b.length ? ` (${a.length} -> ${b.length} identities)` : '') +
        `, first at class ${first}: ${name(a[first])} -> ${name(b[first])}`,
    );
  }
  const fa = saved.files;
  const fb = current.files;
  if (fa && (fa.hash !== fb.hash || fa.count !== fb.count)) {
    out.push(
      `the training set's file list changed (hash ${fa.hash} -> ${fb.hash}, ${fa.count} -> ` +
        `${fb.count} images)`,
    );
  }
  return out;
}

/** Human-readable differences between a saved and a current fingerprint; [] when compatible. */
export function fingerprintDifferences(saved: Fingerprint, current: Fingerprint): string[] {
  const out = [
    ...compareSignatures('variable', saved.variables ?? [], current.variables),
    ...compareSignatures('state variable', saved.state ?? [], current.state),
  ];
  if ((saved.optimizer ?? null) !== current.optimizer) {
    out.push(`optimizer '${saved.optimizer}' in the checkpoint, '${current.optimizer}' here`);
  }
  if (canonicalJson(saved.config ?? null) !== canonicalJson(current.config)) {
    out.push(
      `config ${canonicalJson(saved.config ?? null)} in the checkpoint, ${canonicalJson(current.config)} here`,
    );
  }
  // Compared only when both sides declare their training set (older checkpoints do not).
  if (saved.data && current.data) out.push(...compareData(saved.data, current.data));
  return out;
}
