// `npm run dev:mock`: the side panel and the popup in an ordinary tab, against the fake
// worker and the in-page mock GraphQL backend (src/mock). No Lossy server, no extension.

import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    host: '127.0.0.1',
    port: 5174,
    open: false,
    // The mock backend reads ../schema.graphql, outside this package.
    fs: { allow: ['..'] },
  },
  build: { outDir: 'dist-mock', rollupOptions: { input: 'mock/index.html' } },
});
