/** Base class of every error the @face packages throw on purpose. */
export class FaceError extends Error {
  override name = 'FaceError';
}

/** Renders a value for an error message: short, and never throws. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) {
    const head = value.slice(0, 8).map(describeValue).join(', ');
    return `[${head}${value.length > 8 ? `, ... (${value.length} items)` : ''}]`;
  }
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as Uint8Array).length})`;
  if (typeof value === 'object' && 'shape' in value && Array.isArray(value.shape)) {
    return `tensor of shape [${value.shape.join(', ')}]`;
  }
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  try {
    const json = JSON.stringify(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Bad input to a public function: names the function, the argument, the value it got,
 * and what it expected. `fn: argument must be <expected>, got <value>`.
 */
export class InvalidArgumentError extends FaceError {
  override name = 'InvalidArgumentError';
  constructor(
    readonly fn: string,
    readonly argument: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${fn}: ${argument} must be ${expected}, got ${describeValue(value)}`);
  }
}

/** A tensor (or array) whose shape is not what the function needs. */
export class ShapeError extends InvalidArgumentError {
  override name = 'ShapeError';
  constructor(fn: string, argument: string, shape: readonly number[], expected: string) {
    super(fn, argument, shape, expected);
    this.message = `${fn}: ${argument} must have ${expected}, got shape [${shape.join(', ')}]`;
  }
}
