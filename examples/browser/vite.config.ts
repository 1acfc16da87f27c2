import { defineConfig } from 'vite';

// Two pages: the demo (index.html) and the parity page the tests drive (parity.html).
// `base: './'` lets the built folder be served from any path.
export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: { demo: 'index.html', parity: 'parity.html' } },
  },
});
