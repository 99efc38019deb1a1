import { describe, expect, it } from 'vitest';

import { readToken, socketUrl, storeToken } from './token';

describe('GraphiQL token', () => {
  it('keeps the token in local storage and clears it when emptied', () => {
    storeToken('abc.def');
    expect(readToken()).toBe('abc.def');
    storeToken('');
    expect(readToken()).toBe('');
  });

  it('points the socket at the same host with the matching scheme', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:4000' })).toBe(
      'ws://127.0.0.1:4000/graphql',
    );
    expect(socketUrl({ protocol: 'https:', host: 'lossy.example' })).toBe(
      'wss://lossy.example/graphql',
    );
  });
});
