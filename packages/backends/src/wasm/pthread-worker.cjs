'use strict';
/* global require, __filename */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file Node starts by path */
// A pthread of tfjs-backend-wasm's threaded SIMD build, started by @face/backends from this file
// (Node's worker_threads cannot start from the Blob URL tfjs makes for browsers).
// workerData.tfjsWorker: tfjs's module that holds emscripten's worker script as a string.
// The main thread rewrites the 'load' message so that the worker reads tfjs's threaded main
// script from its own file (tfjs-backend-wasm-threaded-simd.js) instead of a Blob.
const { workerData } = require('node:worker_threads');

const { wasmWorkerContents } = require(workerData.tfjsWorker);
// Emscripten's worker script runs as a classic script: it reads `require` and `__filename` as
// globals, and its `var`s must become globals the main script sees.
globalThis.require = require;
globalThis.__filename = __filename;
// tfjs keeps the script in a template literal, where its "\n" escapes became newlines inside
// string literals; tfjs undoes that the same way before making its Blob.
(0, eval)(wasmWorkerContents.replace(/\n/g, '\\n'));
