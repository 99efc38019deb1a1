import { describe, expect, it } from 'vitest';

import { press, PTT_UP, released, REPEAT_MS } from './pushToTalk';

describe('push-to-talk', () => {
  it('starts on the first press and ends on the next', () => {
    const down = press(PTT_UP, 1_000);
    expect(down.change).toBe('down');
    expect(down.state.held).toBe(true);
    const up = press(down.state, 4_000);
    expect(up.change).toBe('up');
    expect(up.state.held).toBe(false);
  });

  it('takes a held key’s repeated presses for one press', () => {
    let state = press(PTT_UP, 0).state;
    for (let at = 30; at < 2_000; at += 30) {
      const step = press(state, at);
      expect(step.change).toBeNull();
      state = step.state;
    }
    expect(state.held).toBe(true);
    // Released, then pressed again after a pause: that ends the utterance.
    expect(press(state, 2_000 + REPEAT_MS).change).toBe('up');
  });

  it('forgets the hold when the utterance ended by itself', () => {
    const held = press(PTT_UP, 0).state;
    const after = released(held);
    expect(after.held).toBe(false);
    expect(press(after, 10_000).change).toBe('down');
    expect(released(PTT_UP)).toBe(PTT_UP);
  });
});
