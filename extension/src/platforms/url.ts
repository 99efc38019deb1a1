// Parsing and normalizing a page URL (docs/platforms.md, "Normalization", steps 1 to 8). The
// Rust engine (api/src/platforms/page_url.rs) does the same, step by step, so both give the
// same bytes for every URL.

import type { CompiledAdapter, CompiledManifest } from './manifest';

const MAX_INPUT_BYTES = 8 * 1024;

const utf8Encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF like Rust's from_utf8_lossy does (the default TextDecoder
// would strip it); fatal=false replaces invalid UTF-8 with U+FFFD using the same "maximal
// subpart" rule as Rust.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Bad input from the user (not a URL, not a video URL, too long, ...): `BAD_USER_INPUT`. */
export class AdapterError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'AdapterError';
  }
}

/** One query piece left after removing tracking parameters. */
export interface QueryParam {
  /** The raw piece after step 6. */
  raw: string;
  /** Decoded name and value (form-urlencoded). */
  name: string;
  value: string;
}

/** A URL parsed and normalized into its parts. */
export interface UrlParts {
  scheme: string;
  host: string;
  authority: string;
  path: string;
  params: QueryParam[];
  /** "" when there is none (an empty `#` is no fragment either). */
  fragment: string;
}

/** An escape (`%` and two hex digits, captured), or a bare `%`. */
const ESCAPE_OR_PERCENT = /%([0-9A-Fa-f]{2})?/gu;

function isUnreservedByte(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d ||
    byte === 0x2e ||
    byte === 0x5f ||
    byte === 0x7e // - . _ ~
  );
}

/**
 * Step 6: decode escaped unreserved characters, upper-case the hex of the other escapes, and
 * escape a `%` that starts no escape as `%25` (kept bare, decoding what follows could make a
 * new escape, `%%36A` to `%6A`, and normalizing twice would differ).
 */
export function normalizeEscapes(text: string): string {
  return text.replace(ESCAPE_OR_PERCENT, (_escape, hex: string | undefined) => {
    if (hex === undefined) return '%25';
    const byte = parseInt(hex, 16);
    return isUnreservedByte(byte) ? String.fromCharCode(byte) : `%${hex.toUpperCase()}`;
  });
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/**
 * application/x-www-form-urlencoded decoding of one name or value: `+` is a space, `%XX` is a
 * byte, a `%` not followed by two hex digits stays as it is, and the bytes are read as UTF-8
 * with invalid sequences replaced by U+FFFD. Never throws (unlike decodeURIComponent).
 */
export function formDecode(text: string): string {
  const input = utf8Encoder.encode(text);
  const out = new Uint8Array(input.length);
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i] ?? 0;
    const high = hexValue(input[i + 1]);
    const low = hexValue(input[i + 2]);
    if (byte === 0x2b) {
      out[length++] = 0x20;
    } else if (byte === 0x25 && i + 2 < input.length && high >= 0 && low >= 0) {
      out[length++] = high * 16 + low;
      i += 2;
    } else {
      out[length++] = byte;
    }
  }
  return utf8Decoder.decode(out.subarray(0, length));
}

/** Compares strings by their UTF-8 bytes (Rust's `str` order), i.e. by code points. */
export function compareUtf8(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return (ca.done ? 0 : 1) - (cb.done ? 0 : 1);
    const diff = (ca.value.codePointAt(0) ?? 0) - (cb.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}

const ASCII_WHITESPACE = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/gu;
// A colon at the very end also counts as a scheme ("foo:" is refused, not "https://foo:").
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[^0-9]|$)/u;

/** Steps 1 to 3: the raw input to a parsed http(s) URL. */
function parseInput(input: unknown): URL {
  if (typeof input !== 'string') throw new AdapterError('not a URL');
  if (utf8Encoder.encode(input).length > MAX_INPUT_BYTES)
    throw new AdapterError('URL longer than 8 KiB');
  const trimmed = input.replace(ASCII_WHITESPACE, '');
  if (trimmed === '') throw new AdapterError('empty URL');
  const withScheme = HAS_SCHEME.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AdapterError('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AdapterError('only http and https URLs can be videos');
  }
  return url;
}

function parseQueryPiece(piece: string): QueryParam {
  const eq = piece.indexOf('=');
  return {
    raw: normalizeEscapes(piece),
    name: formDecode(eq < 0 ? piece : piece.slice(0, eq)),
    value: eq < 0 ? '' : formDecode(piece.slice(eq + 1)),
  };
}

/**
 * Parses and normalizes a URL into its parts; `params` holds the query pieces left after
 * removing tracking parameters. Throws AdapterError when the input is not an http(s) URL.
 */
export function analyze(compiled: CompiledManifest, input: unknown): UrlParts {
  // Step 4 (user name and password) is done by never reading them back.
  const url = parseInput(input);
  // Step 5: one trailing dot.
  const host = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
  if (host === '') throw new AdapterError('URL has no host');
  const params = url.search
    .slice(1)
    .split('&')
    .filter((piece) => piece !== '')
    .map(parseQueryPiece)
    .filter((param) => !compiled.isTracking(param.name));
  return {
    scheme: url.protocol.slice(0, -1),
    host,
    authority: url.port === '' ? host : `${host}:${url.port}`,
    path: normalizeEscapes(url.pathname) || '/',
    params,
    fragment: normalizeEscapes(url.hash.slice(1)),
  };
}

function serialize(parts: UrlParts, params: readonly QueryParam[], fragment: string): string {
  const query = params.length ? `?${params.map((p) => p.raw).join('&')}` : '';
  const hash = fragment ? `#${fragment}` : '';
  return `${parts.scheme}://${parts.authority}${parts.path}${query}${hash}`;
}

/** The generic normalized URL: query sorted by decoded name (stable), no fragment. */
export function genericUrl(parts: UrlParts): string {
  const sorted = parts.params.slice().sort((a, b) => compareUtf8(a.name, b.name));
  return serialize(parts, sorted, '');
}

/** An adapter's normalized URL: its dropParameters removed too, order and fragment kept. */
export function adapterUrl(parts: UrlParts, adapter: CompiledAdapter): string {
  return serialize(
    parts,
    parts.params.filter((p) => !adapter.isDropped(p.name)),
    parts.fragment,
  );
}
