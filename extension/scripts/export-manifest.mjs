// Writes src/platforms/adapters.json, the platform adapter manifest the extension embeds, from
// the server's `lossy adapters export` (LOSSY_BIN, else target/debug/lossy). With --check,
// fails when the embedded copy differs from what the server exports.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.resolve(root, '..');
const bin = process.env.LOSSY_BIN
  ? path.resolve(repo, process.env.LOSSY_BIN)
  : path.join(repo, 'target', 'debug', 'lossy');
const target = path.join(root, 'src', 'platforms', 'adapters.json');

if (!existsSync(bin)) {
  console.error(`no server binary at ${bin}: cargo build --bin lossy (or set LOSSY_BIN)`);
  process.exit(2);
}
const exported = execFileSync(bin, ['adapters', 'export'], { encoding: 'utf8' });
// Stored pretty-printed so a change reads well in a diff.
const pretty = JSON.stringify(JSON.parse(exported), null, 2) + '\n';

if (process.argv.includes('--check')) {
  const embedded = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (embedded !== pretty) {
    console.error(
      'src/platforms/adapters.json differs from `lossy adapters export`: run `npm run manifest:export`',
    );
    process.exit(1);
  }
  console.log('the embedded adapter manifest matches the server');
} else {
  writeFileSync(target, pretty);
  console.log(`wrote ${path.relative(root, target)}`);
}
