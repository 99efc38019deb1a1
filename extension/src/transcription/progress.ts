// The on-device model's load as one number for the reviewer: transformers.js reports each file
// it reads (from the model hub the first time, from the browser's cache after) with its bytes,
// and, when it could learn every file's size first, a total across them (`progress_total`).
// The fraction is that total, else the bytes read over the bytes known across the files so far.

import type { ProgressInfo } from '@huggingface/transformers';

export interface ProgressTracker {
  /** The load begins: reports 0. */
  start(): void;
  /** One of transformers.js' `progress_callback` events. */
  event(info: ProgressInfo): void;
  /** The model is ready (reports 1, then null) or failed (reports null). */
  finish(ready: boolean): void;
}

/** Reports only changes of at least a percent, never backwards, and below 1 until `finish`: a
 * file that starts late adds to the total, and the session is built after the last byte. */
export function createProgressTracker(report: (fraction: number | null) => void): ProgressTracker {
  const files = new Map<string, { loaded: number; total: number }>();
  let last: number | null = null;

  function emit(fraction: number | null) {
    if (fraction === last) return;
    last = fraction;
    report(fraction);
  }

  let overall: { loaded: number; total: number } | null = null;

  function update() {
    let loaded = 0;
    let total = 0;
    if (overall) {
      ({ loaded, total } = overall);
    } else {
      for (const file of files.values()) {
        loaded += Math.min(file.loaded, file.total);
        total += file.total;
      }
    }
    if (!(total > 0)) return;
    const fraction = Math.min(0.99, Math.floor((loaded / total) * 100) / 100);
    if (last === null || fraction > last) emit(fraction);
  }

  return {
    start() {
      files.clear();
      overall = null;
      last = null;
      emit(0);
    },
    event(info) {
      if (info.status === 'progress_total') {
        if (Number.isFinite(info.total) && info.total > 0) {
          overall = { loaded: Math.min(Math.max(0, info.loaded), info.total), total: info.total };
          update();
        }
      } else if (info.status === 'progress') {
        const total = Number.isFinite(info.total) && info.total > 0 ? info.total : 0;
        files.set(info.file, { loaded: Math.max(0, info.loaded), total });
        update();
      } else if (info.status === 'done') {
        const file = files.get(info.file);
        if (file) {
          file.loaded = file.total;
          update();
        }
      }
    },
    finish(ready) {
      if (ready) emit(1);
      emit(null);
    },
  };
}
