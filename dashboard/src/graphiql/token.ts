// The GraphiQL token lives in this browser's local storage only and never in a URL.

const KEY = 'lossy.graphiql.token';

export function readToken(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function storeToken(token: string): void {
  try {
    if (token) localStorage.setItem(KEY, token);
    else localStorage.removeItem(KEY);
  } catch {
    // Storage can be disabled; the token then lasts for this page only.
  }
}

/** The socket endpoint of the page's own server: `ws://` beside `http://`, `wss://` beside
 * `https://`. */
export function socketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/graphql`;
}
