// Runs the platform URL fixtures through the JavaScript reference evaluator and
// compares every field with the expected identity (the Rust engine's, see
// docs/platforms.md). Node 20, no dependencies.
//
//   node tests/adapters/check.mjs <manifest.json> <fixtures.json>
//
// Exit status: 0 when every fixture matches, 1 on any mismatch, on fewer than
// MIN_FIXTURES fixtures, or when the SHA-256 self-test fails; 2 on bad usage.

import { readFileSync } from "node:fs";
import { AdapterError, compileManifest, resolveVideo, sha256Hex } from "../../extension/src/platforms/evaluator.js";

const MIN_FIXTURES = 120;
const DEEP_LINK_SECONDS = 75.9;
const IDENTITY_FIELDS = ["platform", "externalId", "canonicalUrl", "embedUrl", "deepLink75", "extras"];

const SHA256_VECTORS = [
  ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  // 56 bytes: the padding spills into a second block.
  [
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  ],
  // Exactly one block of data, then a block of padding only.
  ["a".repeat(64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"],
  // The hash is over UTF-8 bytes ("é" is c3 a9), not UTF-16 code units.
  ["\u00e9", "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c"],
];

/** Number of failed known-answer vectors (each printed). */
function selfTestSha256() {
  const failures = SHA256_VECTORS.filter(([input, hex]) => sha256Hex(input) !== hex);
  for (const [input, hex] of failures) {
    console.log(`sha256 self-test failed for ${JSON.stringify(input)}: expected ${hex}, got ${sha256Hex(input)}`);
  }
  return failures.length;
}

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

function fixtureUrl(fixture) {
  if (fixture.url !== null) return fixture.url;
  const { prefix, char, count } = fixture.urlRepeat;
  return prefix + char.repeat(count);
}

/** A short printable form of a URL (the 8 KiB ones would flood the output). */
function shortUrl(url) {
  return typeof url === "string" && url.length > 120 ? `${url.slice(0, 100)}...(${url.length} chars)` : url;
}

/** Key-order-independent comparison of two plain string maps. */
function sameExtras(a, b) {
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

function sameField(field, expected, actual) {
  return field === "extras" ? sameExtras(expected, actual) : expected === actual;
}

function observed(identity) {
  return {
    platform: identity.platform,
    externalId: identity.externalId,
    canonicalUrl: identity.canonicalUrl,
    embedUrl: identity.embedUrl,
    deepLink75: identity.deepLink(DEEP_LINK_SECONDS),
    extras: identity.extras,
  };
}

/** Resolves a URL; an AdapterError becomes `{ error: code }`, anything else is a bug. */
function attempt(compiled, url) {
  try {
    return { identity: observed(resolveVideo(compiled, url)) };
  } catch (error) {
    if (error instanceof AdapterError) return { error: error.code };
    return { crash: `${error.name}: ${error.message}` };
  }
}

/** The mismatches of one fixture, as [field, expected, actual] triples. */
function checkFixture(compiled, fixture) {
  const url = fixtureUrl(fixture);
  const result = attempt(compiled, url);
  if (result.crash) return [["exception", fixture.error ?? "identity", result.crash]];
  if (fixture.error !== undefined) {
    return result.error === fixture.error ? [] : [["error", fixture.error, result.error ?? result.identity]];
  }
  if (result.error) return [["error", "identity", result.error]];
  const mismatches = IDENTITY_FIELDS.filter((f) => !sameField(f, fixture.expect[f], result.identity[f])).map(
    (f) => [f, fixture.expect[f], result.identity[f]],
  );
  return mismatches.concat(checkIdempotence(compiled, result.identity));
}

/** Resolving the canonical URL must give the same video. */
function checkIdempotence(compiled, identity) {
  const again = attempt(compiled, identity.canonicalUrl);
  if (!again.identity) {
    return [["idempotence", identity.canonicalUrl, again.error ?? again.crash]];
  }
  return ["platform", "externalId"]
    .filter((f) => again.identity[f] !== identity[f])
    .map((f) => [`idempotence.${f}`, identity[f], again.identity[f]]);
}

/** A fixture's shape problem, or null. */
function fixtureProblem(fixture) {
  if (fixture === null || typeof fixture !== "object") return "not an object";
  if (fixture.url === null) {
    const r = fixture.urlRepeat;
    if (!r || typeof r.prefix !== "string" || typeof r.char !== "string" || !Number.isInteger(r.count)) {
      return "url is null but urlRepeat is not {prefix, char, count}";
    }
  } else if (typeof fixture.url !== "string") {
    return "url must be a string or null";
  }
  if ((fixture.expect === undefined) === (fixture.error === undefined)) return "needs exactly one of expect and error";
  if (fixture.expect !== undefined) {
    const missing = IDENTITY_FIELDS.filter((f) => !Object.hasOwn(fixture.expect, f));
    if (missing.length) return `expect lacks ${missing.join(", ")}`;
  }
  return null;
}

function main(argv) {
  if (argv.length !== 2) {
    console.error("usage: node tests/adapters/check.mjs <manifest.json> <fixtures.json>");
    return 2;
  }
  let mismatches = selfTestSha256();
  const compiled = compileManifest(readJson(argv[0]));
  const fixtures = readJson(argv[1]);
  if (!Array.isArray(fixtures)) throw new Error(`${argv[1]} is not a JSON array`);

  fixtures.forEach((fixture, index) => {
    const problem = fixtureProblem(fixture);
    if (problem) {
      mismatches += 1;
      console.log(`fixture #${index}: malformed: ${problem}`);
      return;
    }
    const url = shortUrl(fixtureUrl(fixture));
    for (const [field, expected, actual] of checkFixture(compiled, fixture)) {
      mismatches += 1;
      console.log(
        `${JSON.stringify(url)} (${fixture.note ?? ""}): ${field}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
      );
    }
  });

  console.log(`${fixtures.length} fixtures, ${mismatches} mismatches`);
  if (fixtures.length < MIN_FIXTURES) {
    console.log(`too few fixtures: ${fixtures.length} < ${MIN_FIXTURES}`);
    return 1;
  }
  return mismatches === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
