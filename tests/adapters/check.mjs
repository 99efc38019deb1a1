// Checks the shared platform URL fixtures and an exported manifest before any evaluator runs
// them: every fixture well-formed, enough of them, and a manifest with a version and adapters.
// The comparison itself is the extension's Vitest test (src/platforms/fixtures.test.ts) and the
// Rust engine's (api/src/platforms/tests.rs). Node 20, no dependencies.
//
//   node tests/adapters/check.mjs <manifest.json> <fixtures.json>
//
// Exit status: 0 when all is well, 1 on a malformed fixture or manifest or fewer than
// MIN_FIXTURES fixtures, 2 on bad usage.

import { readFileSync } from "node:fs";

const MIN_FIXTURES = 120;
const IDENTITY_FIELDS = [
  "platform",
  "externalId",
  "canonicalUrl",
  "embedUrl",
  "deepLink75",
  "extras",
];

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** A fixture's shape problem, or null. */
function fixtureProblem(fixture) {
  if (fixture === null || typeof fixture !== "object") return "not an object";
  if (fixture.url === null) {
    const r = fixture.urlRepeat;
    if (
      !r ||
      typeof r.prefix !== "string" ||
      typeof r.char !== "string" ||
      !Number.isInteger(r.count)
    ) {
      return "url is null but urlRepeat is not {prefix, char, count}";
    }
  } else if (typeof fixture.url !== "string") {
    return "url must be a string or null";
  }
  if ((fixture.expect === undefined) === (fixture.error === undefined))
    return "needs exactly one of expect and error";
  if (fixture.expect !== undefined) {
    const missing = IDENTITY_FIELDS.filter(
      (f) => !Object.hasOwn(fixture.expect, f),
    );
    if (missing.length) return `expect lacks ${missing.join(", ")}`;
  }
  return null;
}

/** The manifest's shape problem, or null (the evaluator validates the rest). */
function manifestProblem(manifest) {
  if (manifest === null || typeof manifest !== "object") return "not an object";
  if (typeof manifest.manifestVersion !== "string") return "no manifestVersion";
  if (!Array.isArray(manifest.adapters) || manifest.adapters.length === 0)
    return "no adapters";
  return null;
}

function main(argv) {
  if (argv.length !== 2) {
    console.error(
      "usage: node tests/adapters/check.mjs <manifest.json> <fixtures.json>",
    );
    return 2;
  }
  let problems = 0;
  const manifest = manifestProblem(readJson(argv[0]));
  if (manifest) {
    problems += 1;
    console.log(`${argv[0]}: malformed manifest: ${manifest}`);
  }
  const fixtures = readJson(argv[1]);
  if (!Array.isArray(fixtures))
    throw new Error(`${argv[1]} is not a JSON array`);
  fixtures.forEach((fixture, index) => {
    const problem = fixtureProblem(fixture);
    if (problem) {
      problems += 1;
      console.log(`fixture #${index}: malformed: ${problem}`);
    }
  });
  if (fixtures.length < MIN_FIXTURES) {
    problems += 1;
    console.log(`too few fixtures: ${fixtures.length} < ${MIN_FIXTURES}`);
  }
  console.log(`${fixtures.length} fixtures, ${problems} problems`);
  return problems === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
