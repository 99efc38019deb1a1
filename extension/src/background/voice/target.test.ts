import { describe, expect, it } from 'vitest';

import { chooseTarget, sameTarget, type TabTarget } from './target';

const tab = (tabId: number, change: Partial<TabTarget> = {}): TabTarget => ({
  tabId,
  videoId: `video-${tabId}`,
  pageInstanceId: `page-${tabId}`,
  durationSeconds: 60,
  context: 'owner',
  ...change,
});

describe('chooseTarget', () => {
  it('follows the reviewer to the focused tab’s video', () => {
    expect(chooseTarget(tab(2, { context: 'available' }), tab(1))?.tabId).toBe(2);
    expect(chooseTarget(tab(2, { context: 'off' }), tab(1))?.tabId).toBe(2);
  });

  it('stays on its tab while the focused one has no video', () => {
    expect(chooseTarget(null, tab(1))?.tabId).toBe(1);
  });

  it('follows its own tab to another video', () => {
    const next = chooseTarget(tab(1, { videoId: 'other' }), tab(1, { videoId: 'other' }));
    expect(next?.videoId).toBe('other');
  });

  it('never takes the video back from a tab that took it', () => {
    expect(chooseTarget(tab(2, { context: 'taken' }), tab(1))?.tabId).toBe(1);
    expect(chooseTarget(null, tab(1, { context: 'taken' }))).toBeNull();
  });

  it('waits when nothing is left to listen to', () => {
    expect(chooseTarget(null, null)).toBeNull();
  });
});

describe('sameTarget', () => {
  it('tells a new page or video from the same one', () => {
    expect(sameTarget(tab(1), tab(1, { context: 'available' }))).toBe(true);
    expect(sameTarget(tab(1), tab(1, { videoId: 'x' }))).toBe(false);
    expect(sameTarget(tab(1), tab(1, { pageInstanceId: 'reloaded' }))).toBe(false);
    expect(sameTarget(tab(1), null)).toBe(false);
    expect(sameTarget(null, null)).toBe(true);
  });
});
