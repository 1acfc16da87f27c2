import { defineConfig, type Plugin } from 'vite';

// Four pages: the demo (index.html), the parity page the tests drive (parity.html), the speed
// page of bench/backends.mjs (bench.html) and the face detector's of bench/align-browser.mjs
// (bench-align.html).
// `base: './'` lets the built folder be served from any path.
//
// Cross-origin isolation (COOP + COEP), in `vite` (dev) and `vite preview` (the built site): the
// page gets SharedArrayBuffer, which tfjs's threaded SIMD wasm needs, so `useBackend('auto')`
// trains on every core when it falls to wasm. Every resource of these pages is same-origin; a page
// that loads cross-origin ones needs them served with CORP/CORS headers (or COEP: credentialless).
// A static host must send the same two headers for the built folder.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * tfjs starts each wasm thread from the source text of its threaded module's factory
 * (`factory.toString()`), without the closure around it. Minifiers see that the factory's
 * `typeof _scriptDir !== "undefined"` guard names a variable of that closure and drop the guard,
 * so a thread reads the (renamed) variable unguarded: "ReferenceError: e is not defined", and the
 * backend's start never finishes. In a page `_scriptDir` is always undefined (module scripts have
 * no document.currentScript), so the statement goes before bundling.
 */
function tfjsWasmThreadsSurviveMinify(): Plugin {
  const guard = 'if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}';
  return {
    name: 'tfjs-wasm-threads-survive-minify',
    transform(code, id) {
      if (!id.includes('tfjs-backend-wasm-threaded-simd.js')) return null;
      if (!code.includes(guard))
        this.error(`${id}: its _scriptDir guard changed, see vite.config.ts`);
      return { code: code.replace(guard, ''), map: null };
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [tfjsWasmThreadsSurviveMinify()],
  server: { headers: isolation },
  preview: { headers: isolation },
  // PGlite (@face/gallery's database) fetches its wasm and data files next to its own module;
  // the dev server's dependency pre-bundling would move it away from them (pglite.dev's notes).
  optimizeDeps: { exclude: ['@electric-sql/pglite', '@electric-sql/pglite-pgvector'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        demo: 'index.html',
        parity: 'parity.html',
        bench: 'bench.html',
        // The detector speed page of bench/align-browser.mjs.
        benchAlign: 'bench-align.html',
      },
    },
  },
});
