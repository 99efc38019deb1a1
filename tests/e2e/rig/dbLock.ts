// Holds the server's SQLite database write lock from another process (the `sqlite3` shell in a
// `BEGIN IMMEDIATE` transaction), as a long migration or a backup tool would: the server's
// writers wait out their busy timeout and then fail with an internal error, while its reads
// (WAL) go on. A real, transient server error, with nothing in the server replaced.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

import type { LossyServer } from './server';

export interface DatabaseLock {
  /** Ends the transaction and the shell; the server's writes go through again. */
  release(): Promise<void>;
}

export async function lockDatabase(server: LossyServer): Promise<DatabaseLock> {
  const shell = spawn('sqlite3', ['-bail', path.join(server.dataDir, 'lossy.db')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => shell.on('exit', resolve));
  const errors: string[] = [];
  createInterface({ input: shell.stderr }).on('line', (line) => errors.push(line));
  const lines = createInterface({ input: shell.stdout });
  const taken = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the database lock was not taken in 15 s: ${errors.join('\n')}`)),
      15_000,
    );
    lines.on('line', (line) => {
      if (line.trim() === 'locked') {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`sqlite3 exited (${code}) before taking the lock: ${errors.join('\n')}`));
    });
  });
  // Waits for the server's own writer to finish if it holds the lock right now.
  shell.stdin.write(".timeout 10000\nBEGIN IMMEDIATE;\nSELECT 'locked';\n");
  await taken;
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      shell.stdin.end('ROLLBACK;\n.quit\n');
      await exited;
    },
  };
}
