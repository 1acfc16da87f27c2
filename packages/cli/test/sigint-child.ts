// Entry of the child process the SIGINT test stops (bundled by @face/test-support's run-child):
// `face` itself (src/bin.ts) with the arguments in FACE_ARGS, a JSON array.
process.argv.splice(2, Infinity, ...(JSON.parse(process.env.FACE_ARGS ?? '[]') as string[]));
await import('../src/bin');
export {};
