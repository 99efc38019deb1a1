// Compiling the platform adapter manifest (docs/platforms.md, "The manifest"): validates the
// exported JSON and builds its regexes and templates once.

export const GENERIC = 'generic';

/** The manifest as `lossy adapters export` writes it. */
export interface AdapterManifest {
  manifestVersion: string;
  trackingParameters: string[];
  adapters: AdapterSpec[];
}

export interface AdapterSpec {
  id: string;
  name: string;
  hosts: string[];
  lowercaseId: boolean;
  patterns: PatternSpec[];
  dropParameters: string[];
  canonical: string;
  embed: string;
  deepLink: string;
  thumbnail?: string | null;
}

export interface PatternSpec {
  host: string;
  path: string;
  query: Record<string, string>;
  optionalQuery: Record<string, string>;
  fragment: string | null;
}

/** A piece of a template: literal text, a `{name}` placeholder, or a `[...]` optional section. */
export type TemplateToken = string | { name: string } | { section: (string | { name: string })[] };

export interface CompiledPattern {
  host: RegExp;
  path: RegExp;
  query: [string, RegExp][];
  optionalQuery: [string, RegExp][];
  fragment: RegExp | null;
}

export interface CompiledAdapter {
  id: string;
  name: string;
  hosts: string[];
  lowercaseId: boolean;
  patterns: CompiledPattern[];
  isDropped: (decodedName: string) => boolean;
  canonical: TemplateToken[];
  embed: TemplateToken[];
  deepLink: TemplateToken[];
}

export interface CompiledManifest {
  readonly manifestVersion: string;
  readonly isTracking: (decodedName: string) => boolean;
  readonly adapters: readonly CompiledAdapter[];
}

/** The manifest itself is broken (a bug of the exporter, or a corrupted download). */
export class ManifestError extends Error {
  constructor(what: string) {
    super(`malformed platform manifest: ${what}`);
    this.name = 'ManifestError';
  }
}

function fail(what: string): never {
  throw new ManifestError(what);
}

function expectString(value: unknown, what: string): string {
  if (typeof value !== 'string') fail(`${what} must be a string`);
  return value;
}

function expectStringArray(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) fail(`${what} must be an array`);
  return value.map((item: unknown, i) => expectString(item, `${what}[${i}]`));
}

function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(`${what} must be an object`);
  return value as Record<string, unknown>;
}

/** Names ending in `*` are prefixes; the others match exactly (case-sensitive). */
export function compileNameFilter(names: readonly string[]): (decodedName: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const name of names) {
    if (name.endsWith('*')) prefixes.push(name.slice(0, -1));
    else exact.add(name);
  }
  return (decodedName) => exact.has(decodedName) || prefixes.some((p) => decodedName.startsWith(p));
}

function compileRegex(source: unknown, what: string): RegExp {
  const text = expectString(source, what);
  try {
    return new RegExp(text, 'u');
  } catch (error) {
    return fail(`${what} is not a valid regex (${error instanceof Error ? error.message : ''})`);
  }
}

/** Every named group a regex declares, whether or not it takes part in a match. */
function groupNames(regex: RegExp): string[] {
  // An alternative that always matches the empty string lists all groups as undefined.
  const match = new RegExp(`(?:${regex.source})|`, 'u').exec('');
  return Object.keys(match?.groups ?? {});
}

/** Compiles `{ name: regex }` into `[name, RegExp]` pairs, in the manifest's order. */
function compileQueryMatchers(value: unknown, what: string): [string, RegExp][] {
  return Object.entries(expectObject(value, what)).map(([name, source]) => [
    name,
    compileRegex(source, `${what}.${name}`),
  ]);
}

function compilePattern(value: unknown, what: string): CompiledPattern {
  const pattern = expectObject(value, what);
  const compiled: CompiledPattern = {
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

/** Parses a template into tokens: strings, `{name}` placeholders and `[...]` optional sections (not nested). */
export function compileTemplate(value: unknown, what: string): TemplateToken[] {
  const template = expectString(value, what);
  const top: TemplateToken[] = [];
  let section: (string | { name: string })[] | null = null;
  const push = (token: string | { name: string }) => {
    if (section) section.push(token);
    else top.push(token);
  };
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === '[') {
      if (section) fail(`${what}: nested [ ]`);
      section = [];
      top.push({ section });
      i += 1;
    } else if (ch === ']') {
      if (!section) fail(`${what}: ] without [`);
      section = null;
      i += 1;
    } else if (ch === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) fail(`${what}: { without }`);
      const name = template.slice(i + 1, end);
      if (!PLACEHOLDER_NAME.test(name)) fail(`${what}: bad placeholder {${name}}`);
      push({ name });
      i = end + 1;
    } else if (ch === '}') {
      fail(`${what}: } without {`);
    } else {
      const next = template.slice(i).search(/[[\]{}]/u);
      const end = next < 0 ? template.length : i + next;
      push(template.slice(i, end));
      i = end;
    }
  }
  if (section) fail(`${what}: [ without ]`);
  return top;
}

function compileAdapter(value: unknown, index: number, seenIds: Set<string>): CompiledAdapter {
  const what = `adapters[${index}]`;
  const adapter = expectObject(value, what);
  const id = expectString(adapter.id, `${what}.id`);
  if (id === '' || id === GENERIC) fail(`${what}.id must not be empty or "${GENERIC}"`);
  if (seenIds.has(id)) fail(`duplicate adapter id ${id}`);
  seenIds.add(id);
  if (typeof adapter.lowercaseId !== 'boolean') fail(`${what}.lowercaseId must be a boolean`);
  if (!Array.isArray(adapter.patterns)) fail(`${what}.patterns must be an array`);
  return {
    id,
    name: expectString(adapter.name, `${what}.name`),
    hosts: expectStringArray(adapter.hosts, `${what}.hosts`),
    lowercaseId: adapter.lowercaseId,
    patterns: adapter.patterns.map((p: unknown, i) => compilePattern(p, `${what}.patterns[${i}]`)),
    isDropped: compileNameFilter(
      expectStringArray(adapter.dropParameters, `${what}.dropParameters`),
    ),
    canonical: compileTemplate(adapter.canonical, `${what}.canonical`),
    embed: compileTemplate(adapter.embed, `${what}.embed`),
    deepLink: compileTemplate(adapter.deepLink, `${what}.deepLink`),
  };
}

/** Validates the manifest and builds its regexes and templates once. Throws ManifestError. */
export function compileManifest(value: unknown): CompiledManifest {
  const manifest = expectObject(value, 'manifest');
  const seenIds = new Set<string>();
  const adapters: unknown[] = Array.isArray(manifest.adapters)
    ? manifest.adapters
    : fail('adapters must be an array');
  return Object.freeze({
    manifestVersion: expectString(manifest.manifestVersion, 'manifestVersion'),
    isTracking: compileNameFilter(
      expectStringArray(manifest.trackingParameters, 'trackingParameters'),
    ),
    adapters: adapters.map((adapter, i) => compileAdapter(adapter, i, seenIds)),
  });
}
