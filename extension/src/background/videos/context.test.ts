import { describe, expect, it } from 'vitest';

import { contextView, type ActiveTab, type ContextEvent } from './context';

const tab: ActiveTab = { deviceId: 'd', tabId: 7, pageInstanceId: 'p', videoId: 'v' };
const event = (
  kind: ContextEvent['kind'],
  owner: ContextEvent['context'] extends infer C
    ? C extends { owner: infer O }
      ? O
      : never
    : never,
): ContextEvent => ({
  kind,
  context: { video: { id: 'v' }, owner },
});

describe('contextView', () => {
  it('is off without the flag or a video', () => {
    expect(contextView(false, tab, null)).toBe('off');
    expect(contextView(true, null, null)).toBe('off');
  });

  it('knows this tab as the owner', () => {
    expect(
      contextView(
        true,
        tab,
        event('CONTEXT_UPDATED', { deviceId: 'd', tabId: 7, pageInstanceId: 'p' }),
      ),
    ).toBe('owner');
  });

  it('says taken when another tab or device holds it', () => {
    expect(
      contextView(
        true,
        tab,
        event('CONTEXT_TAKEN', { deviceId: 'd', tabId: 8, pageInstanceId: 'q' }),
      ),
    ).toBe('taken');
    expect(
      contextView(
        true,
        tab,
        event('CONTEXT_UPDATED', { deviceId: 'other', tabId: 7, pageInstanceId: 'p' }),
      ),
    ).toBe('taken');
  });

  it('says available when released or lapsed', () => {
    expect(contextView(true, tab, event('CONTEXT_AVAILABLE', null))).toBe('available');
    expect(contextView(true, tab, { kind: 'CONTEXT_CLEARED', context: null })).toBe('available');
  });
});
