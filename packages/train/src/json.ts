/** The JSON value type is @face/core's (one owner); re-exported so train's imports keep working. */
export type { JsonValue } from '@face/core';
