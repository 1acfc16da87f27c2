import { defineConfig } from 'vite';

// Three pages: the demo (index.html), the parity page the tests drive (parity.html) and the speed
// page of bench/backends.mjs (bench.html).
// `base: './'` lets the built folder be served from any path.
export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: { demo: 'index.html', parity: 'parity.html', bench: 'bench.html' } },
  },
});
