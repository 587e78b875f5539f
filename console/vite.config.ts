// The console's build: one small bundle under /ui/, written to console/dist/ui (gitignored),
// which the local host serves and the TributaryService construct deploys.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/ui/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: { outDir: 'dist/ui', emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  // `vite console` during development: the REST API of a host started by `npm start`.
  server: { proxy: { '^/(connectors|connector-plugins|tributary)': 'http://127.0.0.1:8083' } },
});
