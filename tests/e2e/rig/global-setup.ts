// Checks what the specs need before any browser starts, and makes the test video once.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { CHROMIUM, GENERATED, LOSSY_BIN, WEB_DIR } from './paths';

/** 30 s of a numbered test pattern, 10 frames a second: small, and every second looks different. */
export const CLIP = 'clip.webm';

export default function globalSetup(): void {
  const missing: string[] = [];
  if (!existsSync(LOSSY_BIN)) missing.push(`the server binary ${LOSSY_BIN} (cargo build --bin lossy)`);
  if (!existsSync(path.join(WEB_DIR, 'index.html'))) {
    missing.push(`the built web app in ${WEB_DIR} (npm run build --prefix dashboard)`);
  }
  if (!existsSync(CHROMIUM)) missing.push(`Chromium at ${CHROMIUM} (scripts/ensure-debian-packages.sh)`);
  if (missing.length) {
    throw new Error(`the browser tests need:\n- ${missing.join('\n- ')}\n(scripts/test builds them all)`);
  }
  mkdirSync(GENERATED, { recursive: true });
  const clip = path.join(GENERATED, CLIP);
  if (!existsSync(clip)) {
    execFileSync(
      'ffmpeg',
      [
        '-loglevel', 'error', '-y',
        '-f', 'lavfi', '-i', 'testsrc=duration=30:size=320x240:rate=10',
        '-c:v', 'libvpx', '-b:v', '100k', '-g', '10',
        clip,
      ],
      { stdio: 'inherit' },
    );
  }
}
