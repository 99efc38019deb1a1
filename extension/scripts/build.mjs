// Builds the unpacked extension into dist/: the service worker, the extension pages (side
// panel, popup) and the content script, then manifest.json.
//
// Two Vite builds: content scripts cannot be ES modules, so the content script is one
// self-contained IIFE; everything else is ES modules sharing chunks.
//
//   node scripts/build.mjs                 development build (fixed id from the manifest key)
//   LOSSY_EXTENSION_RELEASE=1 node ...     without the key (the store assigns the id)

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const release = process.env.LOSSY_EXTENSION_RELEASE === '1';

const shared = {
  root,
  configFile: false,
  logLevel: 'warn',
  resolve: { alias: { '@': path.join(root, 'src') } },
};

await build({
  ...shared,
  build: {
    outDir: dist,
    emptyOutDir: true,
    sourcemap: !release,
    // Chrome has modulepreload; the polyfill would only add a file.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        background: path.join(root, 'src/background/main.ts'),
        sidepanel: path.join(root, 'sidepanel.html'),
        popup: path.join(root, 'popup.html'),
      },
      output: {
        // The manifest names the service worker by a fixed file name.
        entryFileNames: (chunk) =>
          chunk.name === 'background' ? 'background.js' : 'assets/[name]-[hash].js',
      },
    },
  },
});

await build({
  ...shared,
  build: {
    outDir: dist,
    emptyOutDir: false,
    sourcemap: !release,
    lib: {
      entry: path.join(root, 'src/content/main.ts'),
      formats: ['iife'],
      name: 'LossyContent',
      fileName: () => 'content.js',
    },
  },
});

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(path.join(root, 'src/manifest.base.json'), 'utf8'));
manifest.version = pkg.version;
if (release) delete manifest.key;
writeFileSync(path.join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`built ${release ? 'release' : 'development'} extension ${pkg.version} into ${dist}`);
