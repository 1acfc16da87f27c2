// Served at build time by bundler/tfjs-gradients.ts (tsup) and by its vite plugin (tests).
declare module 'virtual:face-tfjs-gradients' {
  import type { GradConfig } from '@tensorflow/tfjs-core';
  /** tfjs-core's own gradient configs, bound to the public tfjs-core API. */
  export const gradConfigs: GradConfig[];
}
