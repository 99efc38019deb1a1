// SHA-256 through the browser's WebCrypto (service workers, pages and Node 20 all have
// `crypto.subtle`), so the hash is asynchronous.

const utf8Encoder = new TextEncoder();

/** Lower-case hex SHA-256 of a string's UTF-8 bytes. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', utf8Encoder.encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
