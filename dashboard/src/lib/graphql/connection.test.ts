import { describe, expect, it, vi } from 'vitest';

import { backoffMs, ConnectionStore } from './connection';

describe('reconnect backoff', () => {
  it('doubles from half a second and stops growing at 30 s', () => {
    const ceiling = (attempt: number) => backoffMs(attempt, () => 1);
    expect([0, 1, 2, 3].map(ceiling)).toEqual([500, 1000, 2000, 4000]);
    expect(ceiling(6)).toBe(30_000);
    expect(ceiling(60)).toBe(30_000);
  });

  it('waits at least half of the ceiling, so clients spread out without hammering', () => {
    expect(backoffMs(3, () => 0)).toBe(2000);
    expect(backoffMs(3, () => 0.5)).toBe(3000);
  });
});

describe('connection store', () => {
  it('tells every listener about each change until it unsubscribes', () => {
    const store = new ConnectionStore();
    const heard = vi.fn();
    const unsubscribe = store.subscribe(heard);
    store.set({ kind: 'connected' });
    expect(heard).toHaveBeenCalledTimes(1);
    expect(store.get()).toEqual({ kind: 'connected' });
    unsubscribe();
    store.set({ kind: 'signed-out' });
    expect(heard).toHaveBeenCalledTimes(1);
  });
});
