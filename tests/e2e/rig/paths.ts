// Where the rig finds the server binary, the built web app and its generated fixtures.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const E2E_ROOT = path.resolve(here, '..');
export const REPO_ROOT = path.resolve(E2E_ROOT, '..', '..');

/** `LOSSY_BIN` (scripts/test sets it), else the debug build. */
export const LOSSY_BIN = process.env.LOSSY_BIN
  ? path.resolve(REPO_ROOT, process.env.LOSSY_BIN)
  : path.join(REPO_ROOT, 'target', 'debug', 'lossy');

/** `LOSSY_LOAD_BIN` (run.sh sets it), else the debug build of the load generator. */
export const LOSSY_LOAD_BIN = process.env.LOSSY_LOAD_BIN
  ? path.resolve(REPO_ROOT, process.env.LOSSY_LOAD_BIN)
  : path.join(REPO_ROOT, 'target', 'debug', 'lossy-load');

/** The built web app, served with `LOSSY_WEB_DIR` so a front-end change needs no Rust build. */
export const WEB_DIR = process.env.LOSSY_E2E_WEB_DIR
  ? path.resolve(REPO_ROOT, process.env.LOSSY_E2E_WEB_DIR)
  : path.join(REPO_ROOT, 'dashboard', 'dist');

/** Files the global set-up makes (the test video); git-ignored. */
export const GENERATED = path.join(E2E_ROOT, '.generated');

/** Debian's Chromium; Playwright never downloads a browser here. */
export const CHROMIUM = process.env.LOSSY_E2E_CHROMIUM ?? '/usr/bin/chromium';
