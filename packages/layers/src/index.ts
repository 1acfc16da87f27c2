export { paramCount, type ConvKind, type ConvSpec } from './param-count';
