// When each audio frame was captured, in epoch milliseconds, so a speech onset is dated by its
// first speech frame and not by when the VAD got round to deciding.
//
// Frames come from the audio thread in order and without gaps, one every `frameMs`, so frame
// n was captured `n · frameMs` after frame 0. When frame 0 was captured is not given; each
// frame's arrival is known, and arrives no earlier than the frame's last sample, but often
// later (the main thread was busy, the VAD ran first, the audio thread delivers in bursts).
// The least-delayed arrival is the best anchor: a sliding minimum of `arrival − end` over
// the recent frames. Should the audio thread ever lose samples, every later frame arrives
// "late" by the same amount: when the last second's minimum stays above the window's by more
// than `resyncMs`, the clock moves to it.

export interface FrameClockOptions {
  /** Frames in the sliding window (default: about 8 s). */
  window?: number;
  /** Frames in the recent window that detects lost samples (default: about 1 s). */
  recent?: number;
  /** How much later than the anchor every recent frame must be to count as lost samples. */
  resyncMs?: number;
}

export class FrameClock {
  private readonly window: number;
  private readonly recent: number;
  private readonly resyncMs: number;
  /** `arrival − end-of-frame` (as if frame 0 started at 0) of the last frames, oldest first. */
  private offsets: number[] = [];
  private anchor: number | null = null;

  constructor(
    readonly frameMs: number,
    options: FrameClockOptions = {},
  ) {
    this.window = options.window ?? Math.round(8000 / frameMs);
    this.recent = Math.min(options.recent ?? Math.round(1000 / frameMs), this.window);
    this.resyncMs = options.resyncMs ?? 100;
  }

  /** Frame `index` (0, 1, 2… since the stream began) reached us at `arrivedAt` (epoch ms). */
  observe(index: number, arrivedAt: number): void {
    this.offsets.push(arrivedAt - (index + 1) * this.frameMs);
    if (this.offsets.length > this.window) this.offsets.shift();
    const all = Math.min(...this.offsets);
    const recent = Math.min(...this.offsets.slice(-this.recent));
    if (this.offsets.length >= this.recent && recent - all > this.resyncMs) {
      // Samples were lost: what came before no longer describes the frames now arriving.
      this.offsets = this.offsets.slice(-this.recent);
      this.anchor = recent;
    } else {
      this.anchor = all;
    }
  }

  /** Epoch ms of frame `index`'s first sample; null before any frame arrived. */
  startOf(index: number): number | null {
    return this.anchor === null ? null : this.anchor + index * this.frameMs;
  }

  /** Epoch ms just after frame `index`'s last sample. */
  endOf(index: number): number | null {
    return this.anchor === null ? null : this.anchor + (index + 1) * this.frameMs;
  }
}
