import { describe, expect, it } from 'vitest';

import { FrameClock } from './frameClock';

const FRAME = 32;
const T0 = 1_700_000_000_000;

/** A deterministic spread of delays in [min, min + spread). */
function delays(count: number, min: number, spread: number): number[] {
  let seed = 7;
  return Array.from({ length: count }, () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return min + (seed / 2_147_483_647) * spread;
  });
}

describe('FrameClock', () => {
  it('knows nothing before the first frame', () => {
    expect(new FrameClock(FRAME).startOf(0)).toBeNull();
  });

  it("dates frames from the least delayed arrival, not from each frame's own", () => {
    const clock = new FrameClock(FRAME);
    const late = delays(200, 3, 60);
    // One frame arrives with only the smallest delay; every other one later, by up to 63 ms.
    late[40] = 3;
    late.forEach((delay, index) => clock.observe(index, T0 + (index + 1) * FRAME + delay));
    // Frame 150 is dated at its true capture time plus the smallest delay, whatever its own
    // arrival was.
    expect(clock.startOf(150)).toBeCloseTo(T0 + 150 * FRAME + 3, 6);
    expect(clock.endOf(150)).toBeCloseTo(T0 + 151 * FRAME + 3, 6);
  });

  it('dates a burst of frames delivered together (a busy main thread) by their capture', () => {
    const clock = new FrameClock(FRAME);
    for (let index = 0; index < 20; index++) clock.observe(index, T0 + (index + 1) * FRAME + 2);
    // Frames 20..29 are held up and all arrive at once, after frame 29's end.
    const burst = T0 + 30 * FRAME + 5;
    for (let index = 20; index < 30; index++) clock.observe(index, burst);
    expect(clock.startOf(25)).toBeCloseTo(T0 + 25 * FRAME + 2, 6);
  });

  it('follows the stream when samples were lost (every later frame arrives later)', () => {
    const clock = new FrameClock(FRAME, { window: 250, recent: 31, resyncMs: 100 });
    for (let index = 0; index < 100; index++) clock.observe(index, T0 + (index + 1) * FRAME + 2);
    // The audio thread dropped 400 ms: from frame 100 on, each frame is 400 ms later than
    // counting frames says.
    for (let index = 100; index < 140; index++) {
      clock.observe(index, T0 + 400 + (index + 1) * FRAME + 2);
    }
    expect(clock.startOf(139)).toBeCloseTo(T0 + 400 + 139 * FRAME + 2, 6);
  });

  it('does not move for one late second shorter than the resync margin', () => {
    const clock = new FrameClock(FRAME, { window: 250, recent: 31, resyncMs: 100 });
    for (let index = 0; index < 100; index++) clock.observe(index, T0 + (index + 1) * FRAME + 2);
    for (let index = 100; index < 140; index++) {
      clock.observe(index, T0 + 60 + (index + 1) * FRAME + 2);
    }
    expect(clock.startOf(139)).toBeCloseTo(T0 + 139 * FRAME + 2, 6);
  });
});
