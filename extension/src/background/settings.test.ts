import { describe, expect, it } from 'vitest';

import { normalizeServer, socketUrl } from './settings';

describe('normalizeServer', () => {
  it('keeps an origin and drops trailing slashes, queries and hashes', () => {
    expect(normalizeServer(' http://127.0.0.1:4000/ ')).toBe('http://127.0.0.1:4000');
    expect(normalizeServer('https://lossy.example/base/?x=1#y')).toBe('https://lossy.example/base');
  });

  it('refuses what is not an http(s) address', () => {
    expect(normalizeServer('ftp://host')).toBeNull();
    expect(normalizeServer('not a url')).toBeNull();
    expect(normalizeServer('javascript:alert(1)')).toBeNull();
  });
});

describe('socketUrl', () => {
  it('maps http to ws and https to wss', () => {
    expect(socketUrl('http://127.0.0.1:4000')).toBe('ws://127.0.0.1:4000/graphql');
    expect(socketUrl('https://lossy.example/base')).toBe('wss://lossy.example/base/graphql');
  });
});
