import type { NamedVariable } from '../variables';
import type { JsonValue } from '../json';

/** One variable as the fingerprint records it: name, shape, dtype. */
export type VariableSignature = [name: string, shape: number[], dtype: string];

/**
 * What makes a checkpoint loadable into a run: the trainable and state variables (names, shapes,
 * dtypes), the optimizer kind, and a user config (recipe, backbone, class count...). `hash`
 * summarizes all of it; {@link fingerprintDifferences} says what differs.
 */
export interface Fingerprint {
  variables: VariableSignature[];
  state: VariableSignature[];
  optimizer: string | null;
  config: JsonValue;
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

/** 64-bit FNV-1a of a string's UTF-16 code units, as 16 hex digits (identity, not security). */
export function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
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
}: {
  variables: readonly NamedVariable[];
  state?: readonly NamedVariable[];
  optimizer?: string | null;
  config?: JsonValue;
}): Fingerprint {
  const body = {
    variables: variables.map(signature),
    state: state.map(signature),
    optimizer,
    config,
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
  return out;
}
