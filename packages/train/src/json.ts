/** A JSON-serializable value: what checkpoints store for RNG, data, callback and user state. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
