// Entry of the child process the SIGINT test stops (bundled by @face/test-support's run-child):
// `face` itself (src/bin.ts) with the arguments in FACE_ARGS, a JSON array.
import { createRequire } from 'node:module';

// CommonJS dependencies bundled into this ES module require Node's built-ins by name: esbuild's
// shim looks for a global `require` when they run, which the import below defers until now.
(globalThis as { require?: NodeRequire }).require = createRequire(import.meta.url);
process.argv.splice(2, Infinity, ...(JSON.parse(process.env.FACE_ARGS ?? '[]') as string[]));
await import('../src/bin');
