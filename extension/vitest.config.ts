import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./vitest.setup.ts'],
    // The mock backend's @graphql-tools would otherwise load graphql's CommonJS build beside
    // the ES build our code imports, and graphql refuses a schema from "another realm".
    server: { deps: { inline: [/@graphql-tools\//] } },
  },
});
