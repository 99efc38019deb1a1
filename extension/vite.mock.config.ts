// `npm run dev:mock`: the side panel and the popup in an ordinary tab, against the fake
// worker and the in-page mock GraphQL backend (src/mock), and a page with a <video> on which
// the real content script runs against the same fake worker. No Lossy server, no extension.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The mock page's video: 10 minutes (the scripted notes reach 10:00) of a numbered test
 * pattern, one frame a second, made with ffmpeg once and git-ignored (mock/.gitignore). */
const CLIP = path.join(root, 'mock', 'generated', 'clip.webm');

function mockClip(): Plugin {
  return {
    name: 'lossy-mock-clip',
    configureServer() {
      if (existsSync(CLIP)) return;
      mkdirSync(path.dirname(CLIP), { recursive: true });
      const partial = `${CLIP}.${String(process.pid)}.part.webm`;
      try {
        execFileSync(
          'ffmpeg',
          [
            ...['-loglevel', 'error', '-y'],
            ...['-f', 'lavfi', '-i', 'testsrc=duration=600:size=320x180:rate=1'],
            ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '30k'],
            ...['-g', '1', partial],
          ],
          { stdio: 'inherit' },
        );
        renameSync(partial, CLIP);
      } catch (error) {
        // The panels work without it; the mock page says the clip is missing.
        console.warn(`[mock] could not make ${CLIP} with ffmpeg:`, String(error));
      }
    },
  };
}

export default defineConfig({
  root,
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  plugins: [mockClip()],
  server: {
    host: '127.0.0.1',
    port: 5174,
    open: false,
    // The mock backend reads ../schema.graphql, outside this package.
    fs: { allow: ['..'] },
  },
  build: { outDir: 'dist-mock', rollupOptions: { input: 'mock/index.html' } },
});
