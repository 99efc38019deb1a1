import { parseServerUrl } from './serverUrl';

describe('parseServerUrl', () => {
  it('accepts http and https origins, normalised', () => {
    expect(parseServerUrl(' https://Lossy.Example.com/ ')).toEqual({
      ok: true,
      origin: 'https://lossy.example.com',
    });
    expect(parseServerUrl('http://127.0.0.1:4000')).toEqual({
      ok: true,
      origin: 'http://127.0.0.1:4000',
    });
  });

  it.each([
    '',
    'lossy.example.com',
    'ftp://example.com',
    'https://a:b@example.com',
    'https://example.com/graphql',
    'https://example.com/?x=1',
  ])('refuses %j', (text) => {
    expect(parseServerUrl(text).ok).toBe(false);
  });
});
