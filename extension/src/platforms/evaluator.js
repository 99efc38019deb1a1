// Reference evaluator of the platform adapter manifest (docs/platforms.md).
//
// The Rust engine (api/src/platforms/) and this file evaluate the same exported
// manifest and must give identical identities for every URL, so this follows the
// spec step by step rather than being clever. Plain ES module, no dependencies:
// it runs in Chrome MV3 service workers and in Node 20.

const MAX_INPUT_BYTES = 8 * 1024;
const GENERIC = 'generic';

const utf8Encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF like Rust's from_utf8_lossy does (the default
// TextDecoder would strip it); fatal=false replaces invalid UTF-8 with U+FFFD using
// the same "maximal subpart" rule as Rust.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Bad input from the user (not a URL, not a video URL, too long, ...). */
export class AdapterError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AdapterError';
    this.code = 'BAD_USER_INPUT';
  }
}

// ---------------------------------------------------------------------------
// SHA-256 (synchronous: crypto.subtle is async, and identities are computed in
// synchronous code paths).

const SHA256_K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const rotr = (x, n) => (x >>> n) | (x << (32 - n));

/** Pads a message as SHA-256 requires: 0x80, zeros, then the bit length (big endian). */
function sha256Pad(bytes) {
  const blocks = Math.ceil((bytes.length + 9) / 64);
  const padded = new Uint8Array(blocks * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bitLength = bytes.length * 8;
  // Split in two 32-bit halves: bit lengths can exceed 2^32.
  view.setUint32(padded.length - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  return view;
}

/** Lower-case hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text) {
  const view = sha256Pad(utf8Encoder.encode(text));
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const w = new Uint32Array(64);
  for (let offset = 0; offset < view.byteLength; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 =
        (hh +
          (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
          ((e & f) ^ (~e & g)) +
          SHA256_K[i] +
          w[i]) >>>
        0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  return Array.from(h, (word) => word.toString(16).padStart(8, '0')).join('');
}

// ---------------------------------------------------------------------------
// Manifest compilation

function fail(what) {
  throw new Error(`malformed platform manifest: ${what}`);
}

function expectString(value, what) {
  if (typeof value !== 'string') fail(`${what} must be a string`);
  return value;
}

function expectStringArray(value, what) {
  if (!Array.isArray(value)) fail(`${what} must be an array`);
  value.forEach((item, i) => expectString(item, `${what}[${i}]`));
  return value;
}

function expectObject(value, what) {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(`${what} must be an object`);
  return value;
}

/** Names ending in `*` are prefixes; the others match exactly (case-sensitive). */
function compileNameFilter(names) {
  const exact = new Set();
  const prefixes = [];
  for (const name of names) {
    if (name.endsWith('*')) prefixes.push(name.slice(0, -1));
    else exact.add(name);
  }
  return (decodedName) => exact.has(decodedName) || prefixes.some((p) => decodedName.startsWith(p));
}

function compileRegex(source, what) {
  expectString(source, what);
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    return fail(`${what} is not a valid regex (${error.message})`);
  }
}

/** Every named group a regex declares, whether or not it takes part in a match. */
function groupNames(regex) {
  // An alternative that always matches the empty string lists all groups as undefined.
  const match = new RegExp(`(?:${regex.source})|`, 'u').exec('');
  return Object.keys(match.groups ?? {});
}

/** Compiles `{ name: regex }` into `[name, RegExp]` pairs, in the manifest's order. */
function compileQueryMatchers(value, what) {
  return Object.entries(expectObject(value, what)).map(([name, source]) => [
    name,
    compileRegex(source, `${what}.${name}`),
  ]);
}

function compilePattern(pattern, what) {
  expectObject(pattern, what);
  const compiled = {
    host: compileRegex(pattern.host, `${what}.host`),
    path: compileRegex(pattern.path, `${what}.path`),
    query: compileQueryMatchers(pattern.query, `${what}.query`),
    optionalQuery: compileQueryMatchers(pattern.optionalQuery, `${what}.optionalQuery`),
    fragment: pattern.fragment === null ? null : compileRegex(pattern.fragment, `${what}.fragment`),
  };
  // The host regex only filters: its groups are not captures.
  const regexes = [
    compiled.path,
    ...compiled.query.map(([, re]) => re),
    ...compiled.optionalQuery.map(([, re]) => re),
    ...(compiled.fragment ? [compiled.fragment] : []),
  ];
  if (!regexes.some((re) => groupNames(re).includes('id'))) fail(`${what} has no (?<id>...) group`);
  return compiled;
}

const PLACEHOLDER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses a template into tokens: strings, `{ name }` placeholders and
 * `{ section: [...] }` optional sections (not nested).
 */
function compileTemplate(template, what) {
  expectString(template, what);
  const top = [];
  let current = top;
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === '[') {
      if (current !== top) fail(`${what}: nested [ ]`);
      current = [];
      top.push({ section: current });
      i += 1;
    } else if (ch === ']') {
      if (current === top) fail(`${what}: ] without [`);
      current = top;
      i += 1;
    } else if (ch === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) fail(`${what}: { without }`);
      const name = template.slice(i + 1, end);
      if (!PLACEHOLDER_NAME.test(name)) fail(`${what}: bad placeholder {${name}}`);
      current.push({ name });
      i = end + 1;
    } else if (ch === '}') {
      fail(`${what}: } without {`);
    } else {
      const next = template.slice(i).search(/[[\]{}]/u);
      const end = next < 0 ? template.length : i + next;
      current.push(template.slice(i, end));
      i = end;
    }
  }
  if (current !== top) fail(`${what}: [ without ]`);
  return top;
}

function compileAdapter(adapter, index, seenIds) {
  const what = `adapters[${index}]`;
  expectObject(adapter, what);
  const id = expectString(adapter.id, `${what}.id`);
  if (id === '' || id === GENERIC) fail(`${what}.id must not be empty or "${GENERIC}"`);
  if (seenIds.has(id)) fail(`duplicate adapter id ${id}`);
  seenIds.add(id);
  if (typeof adapter.lowercaseId !== 'boolean') fail(`${what}.lowercaseId must be a boolean`);
  if (!Array.isArray(adapter.patterns)) fail(`${what}.patterns must be an array`);
  return {
    id,
    name: expectString(adapter.name, `${what}.name`),
    hosts: expectStringArray(adapter.hosts, `${what}.hosts`).slice(),
    lowercaseId: adapter.lowercaseId,
    patterns: adapter.patterns.map((p, i) => compilePattern(p, `${what}.patterns[${i}]`)),
    isDropped: compileNameFilter(
      expectStringArray(adapter.dropParameters, `${what}.dropParameters`),
    ),
    canonical: compileTemplate(adapter.canonical, `${what}.canonical`),
    embed: compileTemplate(adapter.embed, `${what}.embed`),
    deepLink: compileTemplate(adapter.deepLink, `${what}.deepLink`),
  };
}

/** Validates the manifest and builds its regexes and templates once. */
export function compileManifest(manifest) {
  expectObject(manifest, 'manifest');
  const seenIds = new Set();
  return Object.freeze({
    manifestVersion: expectString(manifest.manifestVersion, 'manifestVersion'),
    isTracking: compileNameFilter(
      expectStringArray(manifest.trackingParameters, 'trackingParameters'),
    ),
    adapters: (Array.isArray(manifest.adapters)
      ? manifest.adapters
      : fail('adapters must be an array')
    ).map((adapter, i) => compileAdapter(adapter, i, seenIds)),
  });
}

// ---------------------------------------------------------------------------
// Percent-encoding helpers

/** An escape (`%` and two hex digits, captured), or a bare `%`. */
const ESCAPE_OR_PERCENT = /%([0-9A-Fa-f]{2})?/gu;

function isUnreservedByte(byte) {
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
function normalizeEscapes(text) {
  return text.replace(ESCAPE_OR_PERCENT, (escape, hex) => {
    if (hex === undefined) return '%25';
    const byte = parseInt(hex, 16);
    return isUnreservedByte(byte) ? String.fromCharCode(byte) : `%${hex.toUpperCase()}`;
  });
}

function hexValue(byte) {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/**
 * application/x-www-form-urlencoded decoding of one name or value: `+` is a space,
 * `%XX` is a byte, a `%` not followed by two hex digits stays as it is, and the bytes
 * are read as UTF-8 with invalid sequences replaced by U+FFFD. Never throws (unlike
 * decodeURIComponent).
 */
function formDecode(text) {
  const input = utf8Encoder.encode(text);
  const out = new Uint8Array(input.length);
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i];
    if (byte === 0x2b) {
      out[length++] = 0x20;
    } else if (
      byte === 0x25 &&
      i + 2 < input.length &&
      hexValue(input[i + 1]) >= 0 &&
      hexValue(input[i + 2]) >= 0
    ) {
      out[length++] = hexValue(input[i + 1]) * 16 + hexValue(input[i + 2]);
      i += 2;
    } else {
      out[length++] = byte;
    }
  }
  return utf8Decoder.decode(out.subarray(0, length));
}

/** Compares strings by their UTF-8 bytes (Rust's `str` order), i.e. by code points. */
function compareUtf8(a, b) {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return (ca.done ? 0 : 1) - (cb.done ? 0 : 1);
    const diff = ca.value.codePointAt(0) - cb.value.codePointAt(0);
    if (diff !== 0) return diff;
  }
}

// ---------------------------------------------------------------------------
// Normalization (spec section "Normalization", steps 1 to 8)

const ASCII_WHITESPACE = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/gu;
// A colon at the very end also counts as a scheme ("foo:" is refused, not "https://foo:").
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[^0-9]|$)/u;

/** Steps 1 to 3: the raw input to a parsed http(s) URL. */
function parseInput(input) {
  if (typeof input !== 'string') throw new AdapterError('not a URL');
  if (utf8Encoder.encode(input).length > MAX_INPUT_BYTES)
    throw new AdapterError('URL longer than 8 KiB');
  const trimmed = input.replace(ASCII_WHITESPACE, '');
  if (trimmed === '') throw new AdapterError('empty URL');
  const withScheme = HAS_SCHEME.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url;
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

/**
 * Parses and normalizes a URL into its parts. `params` holds the query pieces left
 * after removing tracking parameters, each as the step-6-normalized raw piece plus
 * its decoded name and value.
 */
function analyze(compiled, input) {
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
    // "" when there is none (an empty `#` is no fragment either).
    fragment: normalizeEscapes(url.hash.slice(1)),
  };
}

function parseQueryPiece(piece) {
  const eq = piece.indexOf('=');
  return {
    raw: normalizeEscapes(piece),
    name: formDecode(eq < 0 ? piece : piece.slice(0, eq)),
    value: eq < 0 ? '' : formDecode(piece.slice(eq + 1)),
  };
}

function serialize(parts, params, fragment) {
  const query = params.length ? `?${params.map((p) => p.raw).join('&')}` : '';
  const hash = fragment ? `#${fragment}` : '';
  return `${parts.scheme}://${parts.authority}${parts.path}${query}${hash}`;
}

/** The generic normalized URL: query sorted by decoded name (stable), no fragment. */
function genericUrl(parts) {
  const sorted = parts.params.slice().sort((a, b) => compareUtf8(a.name, b.name));
  return serialize(parts, sorted, '');
}

/** An adapter's normalized URL: its dropParameters removed too, order and fragment kept. */
function adapterUrl(parts, adapter) {
  return serialize(
    parts,
    parts.params.filter((p) => !adapter.isDropped(p.name)),
    parts.fragment,
  );
}

function findAdapterById(compiled, adapterId) {
  const adapter = compiled.adapters.find((a) => a.id === adapterId);
  if (!adapter) throw new Error(`unknown platform adapter ${adapterId}`);
  return adapter;
}

/**
 * The normalized URL: generic normalization without `adapterId` (or with "generic"),
 * otherwise that adapter's normalize.
 */
export function normalizeUrl(compiled, url, adapterId) {
  const parts = analyze(compiled, url);
  if (adapterId === undefined || adapterId === GENERIC) return genericUrl(parts);
  return adapterUrl(parts, findAdapterById(compiled, adapterId));
}

// ---------------------------------------------------------------------------
// Matching

function hostBelongsTo(host, adapter) {
  return adapter.hosts.some((h) => host === h || host.endsWith(`.${h}`));
}

/** First value of a parameter (decoded), or undefined when absent. */
function firstValue(params, name) {
  return params.find((p) => p.name === name)?.value;
}

/** Adds the named groups that took part in the match, keeping earlier captures. */
function addCaptures(captures, match) {
  for (const [name, value] of Object.entries(match.groups ?? {})) {
    if (value !== undefined && !captures.has(name)) captures.set(name, value);
  }
}

/**
 * Captures of a pattern, or null when it does not match. The host only filters;
 * the other parts capture, and win a name, in the order path, query, optional
 * query, fragment.
 */
function matchPattern(pattern, parts) {
  if (!pattern.host.test(parts.host)) return null;
  const captures = new Map();
  const required = [
    [pattern.path, parts.path],
    ...pattern.query.map(([name, re]) => [re, firstValue(parts.params, name)]),
  ];
  for (const [re, text] of required) {
    const match = text === undefined ? null : re.exec(text);
    if (!match) return null;
    addCaptures(captures, match);
  }
  // Checked before the optional query (a failing fragment rejects the pattern) but
  // its captures rank last. undefined: the pattern does not look at the fragment.
  const fragmentMatch = pattern.fragment ? pattern.fragment.exec(parts.fragment) : undefined;
  if (fragmentMatch === null) return null;
  for (const [name, re] of pattern.optionalQuery) {
    const value = firstValue(parts.params, name);
    const match = value === undefined ? null : re.exec(value);
    if (match) addCaptures(captures, match);
  }
  if (fragmentMatch) addCaptures(captures, fragmentMatch);
  return captures.has('id') ? captures : null;
}

/**
 * The first adapter (in manifest order) on whose hosts the URL is and one of whose
 * patterns matches, with that pattern's captures; null means generic (a channel
 * page, say). Like the Rust engine, a later adapter is still tried when an earlier
 * one owns the host but has no matching pattern.
 */
function matchAdapter(compiled, parts) {
  for (const adapter of compiled.adapters) {
    if (!hostBelongsTo(parts.host, adapter)) continue;
    for (const pattern of adapter.patterns) {
      const captures = matchPattern(pattern, parts);
      if (captures) return { adapter, captures };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Templates and identities

const U64_MAX = 2n ** 64n - 1n;

/** `{seconds}`: whole seconds, rounded down, at least 0. */
function formatSeconds(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new AdapterError('seconds must be a finite number');
  }
  // BigInt prints large values in full where String() would switch to "1e+21";
  // the cap is Rust's saturating `as u64`.
  const whole = BigInt(Math.max(0, Math.floor(seconds)));
  return (whole > U64_MAX ? U64_MAX : whole).toString();
}

/**
 * Renders a template. `lookup(name)` gives a placeholder's value or undefined; an
 * optional section is kept only when all its placeholders have a value, and a
 * placeholder outside a section without a value renders as "".
 */
function renderTemplate(tokens, lookup) {
  const renderToken = (token) => (typeof token === 'string' ? token : (lookup(token.name) ?? ''));
  return tokens
    .map((token) => {
      if (!token.section) return renderToken(token);
      const complete = token.section.every(
        (t) => typeof t === 'string' || lookup(t.name) !== undefined,
      );
      return complete ? token.section.map(renderToken).join('') : '';
    })
    .join('');
}

function makeLookup(id, url, extras, seconds) {
  return (name) => {
    if (name === 'id') return id;
    if (name === 'url') return url;
    if (name === 'seconds') return seconds;
    return Object.hasOwn(extras, name) ? extras[name] : undefined;
  };
}

/** ASCII-only lower case, like Rust's `to_ascii_lowercase` (toLowerCase is Unicode). */
function asciiLowercase(text) {
  return text.replace(/[A-Z]+/gu, (upper) => upper.toLowerCase());
}

function adapterIdentity(parts, adapter, captures) {
  const rawId = captures.get('id');
  const externalId = adapter.lowercaseId ? asciiLowercase(rawId) : rawId;
  // Sorted by name like the Rust engine's BTreeMap. Object.fromEntries defines own
  // properties, so a group named __proto__ is safe.
  const extras = Object.fromEntries(
    [...captures].filter(([name]) => name !== 'id').sort(([a], [b]) => compareUtf8(a, b)),
  );
  // `{url}` is the generic normalized URL whatever the platform.
  const url = genericUrl(parts);
  const render = (tokens, seconds) =>
    renderTemplate(tokens, makeLookup(externalId, url, extras, seconds));
  return {
    platform: adapter.id,
    externalId,
    canonicalUrl: render(adapter.canonical),
    embedUrl: render(adapter.embed),
    extras,
    deepLink: (seconds) => render(adapter.deepLink, formatSeconds(seconds)),
  };
}

function genericIdentity(parts) {
  const url = genericUrl(parts);
  return {
    platform: GENERIC,
    externalId: sha256Hex(url),
    canonicalUrl: url,
    embedUrl: url,
    extras: {},
    deepLink: (seconds) => `${url}#t=${formatSeconds(seconds)}`,
  };
}

/**
 * The canonical identity of the video at `url`:
 * `{ platform, externalId, canonicalUrl, embedUrl, extras, deepLink(seconds) }`.
 * Throws AdapterError when the input is not an http(s) URL.
 */
export function resolveVideo(compiled, url) {
  const parts = analyze(compiled, url);
  const matched = matchAdapter(compiled, parts);
  return matched
    ? adapterIdentity(parts, matched.adapter, matched.captures)
    : genericIdentity(parts);
}
