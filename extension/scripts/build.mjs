// Builds the unpacked extension into dist/: the service worker, the extension pages (side
// panel, popup, the microphone page, the offscreen capture document) and the content script,
// then copies the voice loop's run-time assets (below) and writes manifest.json.
//
// Two Vite builds: content scripts cannot be ES modules, so the content script is one
// self-contained IIFE; everything else is ES modules sharing chunks.
//
//   node scripts/build.mjs                 development build (fixed id from the manifest key)
//   LOSSY_EXTENSION_RELEASE=1 node ...     without the key (the store assigns the id)

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
    // transformers.js (the on-device transcriber, loaded by the offscreen document only when
    // that mode is used) is large by nature; an extension loads from disk, not the network.
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      input: {
        background: path.join(root, 'src/background/main.ts'),
        sidepanel: path.join(root, 'sidepanel.html'),
        popup: path.join(root, 'popup.html'),
        microphone: path.join(root, 'microphone.html'),
        offscreen: path.join(root, 'offscreen.html'),
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

// Files the voice loop fetches by URL at run time, which the bundler does not see: vad-web's
// AudioWorklet and the Silero v5 model (`vad/`), onnxruntime-web's WebAssembly build and its
// loader (`ort/`). Served from the extension itself, never from a CDN.
const require = createRequire(import.meta.url);
const vadDir = path.dirname(require.resolve('@ricky0123/vad-web'));
const ortDir = path.dirname(require.resolve('onnxruntime-web'));
const assets = [
  [vadDir, 'vad.worklet.bundle.min.js', 'vad'],
  [vadDir, 'silero_vad_v5.onnx', 'vad'],
  [ortDir, 'ort-wasm-simd-threaded.wasm', 'ort'],
  [ortDir, 'ort-wasm-simd-threaded.mjs', 'ort'],
];
for (const [from, file, to] of assets) {
  mkdirSync(path.join(dist, to), { recursive: true });
  copyFileSync(path.join(from, file), path.join(dist, to, file));
}

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(path.join(root, 'src/manifest.base.json'), 'utf8'));
manifest.version = pkg.version;
if (release) delete manifest.key;
writeFileSync(path.join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`built ${release ? 'release' : 'development'} extension ${pkg.version} into ${dist}`);
