import { connectionLabel, connectionView, OFFLINE_AFTER_MS } from './connection';

describe('connectionView', () => {
  it('says connecting, then offline with the waiting count after 30 s down', () => {
    expect(connectionView('connecting', 2, 1)).toEqual({ kind: 'connecting' });
    expect(connectionView('reconnecting', 2, OFFLINE_AFTER_MS - 1).kind).toBe('reconnecting');
    expect(connectionLabel(connectionView('reconnecting', 2, OFFLINE_AFTER_MS))).toBe(
      'Offline, 2 waiting',
    );
  });

  it("trusts the worker's offline at once", () => {
    expect(connectionLabel(connectionView('offline', 0, 0))).toBe('Offline, 0 waiting');
  });

  it('connected ignores how long it was down', () => {
    expect(connectionView('connected', 0, OFFLINE_AFTER_MS * 2)).toEqual({
      kind: 'connected',
      waiting: 0,
    });
  });
});
