import type { ProgressInfo } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';

import { createProgressTracker } from './progress';

function track() {
  const reports: (number | null)[] = [];
  return { reports, tracker: createProgressTracker((f) => reports.push(f)) };
}

const progress = (file: string, loaded: number, total: number): ProgressInfo => ({
  status: 'progress',
  name: 'onnx-community/whisper-base.en',
  file,
  loaded,
  total,
  progress: (loaded / total) * 100,
});

describe('the model-load progress', () => {
  it('is the bytes read over the bytes known, in whole percents, then 1 and null when ready', () => {
    const { reports, tracker } = track();
    tracker.start();
    tracker.event({ status: 'initiate', name: 'm', file: 'config.json' });
    tracker.event(progress('encoder.onnx', 25, 100));
    tracker.event(progress('encoder.onnx', 25.4, 100)); // under a percent more: not reported
    tracker.event(progress('decoder.onnx', 0, 100)); // a second file halves the fraction...
    tracker.event(progress('encoder.onnx', 100, 100)); // ...which never goes backwards
    tracker.event({ status: 'done', name: 'm', file: 'decoder.onnx' });
    tracker.finish(true);
    expect(reports).toEqual([0, 0.25, 0.5, 0.99, 1, null]);
  });

  it('prefers the total across files when the library knows it', () => {
    const { reports, tracker } = track();
    tracker.start();
    tracker.event({
      status: 'progress_total',
      name: 'm',
      progress: 10,
      loaded: 30,
      total: 300,
      files: {},
    });
    tracker.event(progress('encoder.onnx', 100, 100)); // one file done is not the whole model
    tracker.event({
      status: 'progress_total',
      name: 'm',
      progress: 50,
      loaded: 150,
      total: 300,
      files: {},
    });
    tracker.finish(false);
    expect(reports).toEqual([0, 0.1, 0.5, null]);
  });

  it('stays below 1 until the model is ready, and reports only null when it failed', () => {
    const { reports, tracker } = track();
    tracker.start();
    tracker.event(progress('encoder.onnx', 100, 100));
    tracker.finish(false);
    expect(reports).toEqual([0, 0.99, null]);
  });

  it('ignores sizes it cannot use', () => {
    const { reports, tracker } = track();
    tracker.start();
    tracker.event(progress('a', 10, 0));
    tracker.event(progress('b', 10, Number.NaN));
    expect(reports).toEqual([0]);
  });
});
