import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { readDraft, useDraft, writeDraft } from './drafts';

const asString = (stored: unknown) => (typeof stored === 'string' ? stored : null);

afterEach(() => {
  window.localStorage.clear();
});

describe('useDraft', () => {
  it('keeps what was typed across a remount', () => {
    const first = renderHook(() => useDraft('note', '', asString));
    act(() => first.result.current[1]('half a sentence'));
    first.unmount();
    const second = renderHook(() => useDraft('note', '', asString));
    expect(second.result.current[0]).toBe('half a sentence');
  });

  it('forgets the draft on clear', () => {
    const { result } = renderHook(() => useDraft('note', 'start', asString));
    act(() => result.current[1]('typed'));
    act(() => result.current[2]());
    expect(result.current[0]).toBe('start');
    expect(readDraft('note', asString)).toBeNull();
  });

  it('ignores a stored value the caller does not accept', () => {
    writeDraft('note', 42);
    const { result } = renderHook(() => useDraft('note', 'start', asString));
    expect(result.current[0]).toBe('start');
  });

  it('stores nothing without a key', () => {
    const { result } = renderHook(() => useDraft<string>(null, '', asString));
    act(() => result.current[1]('typed'));
    expect(window.localStorage.length).toBe(0);
  });
});
