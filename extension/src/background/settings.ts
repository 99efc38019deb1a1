// The extension's own settings: which server it talks to and who it is (the device id).
// Everything else of record lives on the server.

export const DEFAULT_SERVER = 'http://127.0.0.1:4000';

const SERVER_KEY = 'server';
const DEVICE_KEY = 'deviceId';

/** An http(s) origin without a trailing slash, or null when `input` is not one. */
export function normalizeServer(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // A path prefix is kept (a server behind a reverse proxy), the query and hash are not.
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

/** `ws://` or `wss://` address of the server's GraphQL socket. */
export function socketUrl(server: string): string {
  return `${server.replace(/^http/, 'ws')}/graphql`;
}

export async function loadServer(): Promise<string> {
  const stored = await chrome.storage.local.get(SERVER_KEY);
  const value = stored[SERVER_KEY];
  return typeof value === 'string' ? (normalizeServer(value) ?? DEFAULT_SERVER) : DEFAULT_SERVER;
}

export async function saveServer(server: string): Promise<void> {
  await chrome.storage.local.set({ [SERVER_KEY]: server });
}

/** The device id, made once; `renew` replaces it (a revoked device cannot come back). */
export async function deviceId(renew = false): Promise<string> {
  if (!renew) {
    const stored = await chrome.storage.local.get(DEVICE_KEY);
    const value = stored[DEVICE_KEY];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  const id = crypto.randomUUID();
  await chrome.storage.local.set({ [DEVICE_KEY]: id });
  return id;
}
