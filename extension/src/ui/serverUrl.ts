// The server address the reviewer types in the popup: an http(s) origin, nothing more (the
// worker adds /graphql and /api/... itself).

export type ServerUrl = { ok: true; origin: string } | { ok: false; message: string };

export function parseServerUrl(text: string): ServerUrl {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Enter the address of your Lossy server.' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, message: 'Enter a full address, such as https://lossy.example.com.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: 'The address must start with http:// or https://.' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, message: 'Leave the user name and password out of the address.' };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return {
      ok: false,
      message: `Enter only the server’s origin (${url.origin}), without a path.`,
    };
  }
  return { ok: true, origin: url.origin };
}
