// The canonical identity of the video at a URL (docs/platforms.md): the first adapter whose
// hosts and patterns match, else the generic identity.

import {
  GENERIC,
  type CompiledAdapter,
  type CompiledManifest,
  type CompiledPattern,
  type TemplateToken,
} from './manifest';
import { sha256Hex } from './sha256';
import {
  AdapterError,
  adapterUrl,
  analyze,
  compareUtf8,
  genericUrl,
  type QueryParam,
  type UrlParts,
} from './url';

export interface VideoIdentity {
  /** An adapter id (`youtube`, …) or `generic`. */
  platform: string;
  externalId: string;
  canonicalUrl: string;
  embedUrl: string;
  /** Captures other than `id` (Vimeo's unlisted `hash`, …), sorted by name. */
  extras: Record<string, string>;
  /** A link that opens the video at `seconds` (rounded down). Throws AdapterError when not finite. */
  deepLink: (seconds: number) => string;
}

function findAdapterById(compiled: CompiledManifest, adapterId: string): CompiledAdapter {
  const adapter = compiled.adapters.find((a) => a.id === adapterId);
  if (!adapter) throw new Error(`unknown platform adapter ${adapterId}`);
  return adapter;
}

/**
 * The normalized URL: generic normalization without `adapterId` (or with "generic"), otherwise
 * that adapter's normalize. Throws AdapterError on bad input.
 */
export function normalizeUrl(compiled: CompiledManifest, url: string, adapterId?: string): string {
  const parts = analyze(compiled, url);
  if (adapterId === undefined || adapterId === GENERIC) return genericUrl(parts);
  return adapterUrl(parts, findAdapterById(compiled, adapterId));
}

function hostBelongsTo(host: string, adapter: CompiledAdapter): boolean {
  return adapter.hosts.some((h) => host === h || host.endsWith(`.${h}`));
}

/** First value of a parameter (decoded), or undefined when absent. */
function firstValue(params: readonly QueryParam[], name: string): string | undefined {
  return params.find((p) => p.name === name)?.value;
}

type Captures = Map<string, string>;

/** Adds the named groups that took part in the match, keeping earlier captures. */
function addCaptures(captures: Captures, match: RegExpExecArray): void {
  for (const [name, value] of Object.entries(match.groups ?? {})) {
    // Groups that did not take part are undefined at run time, whatever the type says.
    if ((value as string | undefined) !== undefined && !captures.has(name))
      captures.set(name, value);
  }
}

/**
 * Captures of a pattern, or null when it does not match. The host only filters; the other
 * parts capture, and win a name, in the order path, query, optional query, fragment.
 */
function matchPattern(pattern: CompiledPattern, parts: UrlParts): Captures | null {
  if (!pattern.host.test(parts.host)) return null;
  const captures: Captures = new Map();
  const required: [RegExp, string | undefined][] = [
    [pattern.path, parts.path],
    ...pattern.query.map(([name, re]): [RegExp, string | undefined] => [
      re,
      firstValue(parts.params, name),
    ]),
  ];
  for (const [re, text] of required) {
    const match = text === undefined ? null : re.exec(text);
    if (!match) return null;
    addCaptures(captures, match);
  }
  // Checked before the optional query (a failing fragment rejects the pattern) but its
  // captures rank last. undefined: the pattern does not look at the fragment.
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
 * The first adapter (in manifest order) on whose hosts the URL is and one of whose patterns
 * matches, with that pattern's captures; null means generic (a channel page, say). Like the
 * Rust engine, a later adapter is still tried when an earlier one owns the host but has no
 * matching pattern.
 */
function matchAdapter(
  compiled: CompiledManifest,
  parts: UrlParts,
): { adapter: CompiledAdapter; captures: Captures } | null {
  for (const adapter of compiled.adapters) {
    if (!hostBelongsTo(parts.host, adapter)) continue;
    for (const pattern of adapter.patterns) {
      const captures = matchPattern(pattern, parts);
      if (captures) return { adapter, captures };
    }
  }
  return null;
}

const U64_MAX = 2n ** 64n - 1n;

/** `{seconds}`: whole seconds, rounded down, at least 0. */
function formatSeconds(seconds: number): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new AdapterError('seconds must be a finite number');
  }
  // BigInt prints large values in full where String() would switch to "1e+21"; the cap is
  // Rust's saturating `as u64`.
  const whole = BigInt(Math.max(0, Math.floor(seconds)));
  return (whole > U64_MAX ? U64_MAX : whole).toString();
}

type Lookup = (name: string) => string | undefined;

/**
 * Renders a template. An optional section is kept only when all its placeholders have a value;
 * a placeholder outside a section without a value renders as "".
 */
function renderTemplate(tokens: readonly TemplateToken[], lookup: Lookup): string {
  const renderToken = (token: string | { name: string }) =>
    typeof token === 'string' ? token : (lookup(token.name) ?? '');
  return tokens
    .map((token) => {
      if (typeof token === 'string' || !('section' in token)) return renderToken(token);
      const complete = token.section.every(
        (t) => typeof t === 'string' || lookup(t.name) !== undefined,
      );
      return complete ? token.section.map(renderToken).join('') : '';
    })
    .join('');
}

function makeLookup(
  id: string,
  url: string,
  extras: Record<string, string>,
  seconds?: string,
): Lookup {
  return (name) => {
    if (name === 'id') return id;
    if (name === 'url') return url;
    if (name === 'seconds') return seconds;
    return Object.hasOwn(extras, name) ? extras[name] : undefined;
  };
}

/** ASCII-only lower case, like Rust's `to_ascii_lowercase` (toLowerCase is Unicode). */
function asciiLowercase(text: string): string {
  return text.replace(/[A-Z]+/gu, (upper) => upper.toLowerCase());
}

function adapterIdentity(
  parts: UrlParts,
  adapter: CompiledAdapter,
  captures: Captures,
): VideoIdentity {
  const rawId = captures.get('id') ?? '';
  const externalId = adapter.lowercaseId ? asciiLowercase(rawId) : rawId;
  // Sorted by name like the Rust engine's BTreeMap. Object.fromEntries defines own
  // properties, so a group named __proto__ is safe.
  const extras = Object.fromEntries(
    [...captures].filter(([name]) => name !== 'id').sort(([a], [b]) => compareUtf8(a, b)),
  );
  // `{url}` is the generic normalized URL whatever the platform.
  const url = genericUrl(parts);
  const render = (tokens: readonly TemplateToken[], seconds?: string) =>
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

async function genericIdentity(parts: UrlParts): Promise<VideoIdentity> {
  const url = genericUrl(parts);
  return {
    platform: GENERIC,
    externalId: await sha256Hex(url),
    canonicalUrl: url,
    embedUrl: url,
    extras: {},
    deepLink: (seconds) => `${url}#t=${formatSeconds(seconds)}`,
  };
}

/**
 * The canonical identity of the video at `url`. Rejects with AdapterError when the input is
 * not an http(s) URL (asynchronous because the generic id is a WebCrypto SHA-256).
 */
export async function resolveVideo(
  compiled: CompiledManifest,
  url: string,
): Promise<VideoIdentity> {
  const parts = analyze(compiled, url);
  const matched = matchAdapter(compiled, parts);
  return matched
    ? adapterIdentity(parts, matched.adapter, matched.captures)
    : genericIdentity(parts);
}
