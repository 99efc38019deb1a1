// Starts a real `lossy serve` on a free port with a fresh data folder, and stops it.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { LOSSY_BIN, WEB_DIR } from './paths';

export interface ServerOptions {
  /** Extra `LOSSY_*` variables, e.g. a lower rate limit for one test. */
  env?: Record<string, string>;
  /** Serve this web app folder instead of dashboard/dist. */
  webDir?: string;
  /** Let the server generate the admin password and print it, as on a fresh install;
   * `adminPassword` is then read from its output. */
  generatedAdminPassword?: boolean;
}

export interface LossyServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** The server's data folder (its SQLite database is `lossy.db` there). */
  dataDir: string;
  adminEmail: string;
  adminPassword: string;
  /** The server's stdout and stderr lines so far, for failure messages. */
  output: string[];
  /** Stops the server (SIGINT, then SIGKILL after 10 s) and removes its data folder. */
  stop(): Promise<void>;
  /** Stops the process, keeping the data folder, to `resume()` it later on the same port. */
  halt(): Promise<void>;
  /** Starts again on the same port and data folder after `halt()`. */
  resume(): Promise<void>;
  /** Suspends the running process (SIGSTOP): a hung server whose sockets stay open and
   * silent (the kernel still accepts connections and data), until `thaw()`. */
  freeze(): void;
  /** Lets a frozen process run again (SIGCONT); it then reads what waited on its sockets. */
  thaw(): void;
}

/** The child's environment: ours, less every LOSSY_* and DATABASE_URL, plus `extra`. */
function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('LOSSY_') || name === 'DATABASE_URL') continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

interface Running {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  address: string;
}

async function spawnServer(
  dataDir: string,
  bind: string,
  admin: { email: string; password: string },
  options: ServerOptions,
  output: string[],
): Promise<Running> {
  const child: ChildProcess = spawn(LOSSY_BIN, ['serve', '--bind', bind], {
    env: serverEnv({
      LOSSY_DATA_DIR: dataDir,
      LOSSY_WEB_DIR: options.webDir ?? WEB_DIR,
      LOSSY_ADMIN_EMAIL: admin.email,
      ...(options.generatedAdminPassword ? {} : { LOSSY_ADMIN_PASSWORD: admin.password }),
      // Every test signs in and connects devices from 127.0.0.1; the limits have tests of
      // their own in the Rust suite.
      LOSSY_LOGIN_RATE_PER_ADDRESS: '100000',
      LOSSY_JOIN_RATE_PER_ADDRESS: '100000',
      LOSSY_JOIN_RATE_PER_DEVICE: '100000',
      RUST_LOG: 'warn',
      ...options.env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  // Drain both pipes for the whole run so the server never blocks on a full pipe.
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`lossy serve did not start in 30 s:\n${output.join('\n')}`)),
      30_000,
    );
    child.on('error', (err) => reject(new Error(`cannot run ${LOSSY_BIN}: ${err.message}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const rest = line.split('listening on http://')[1];
      if (rest !== undefined) {
        clearTimeout(timer);
        resolve(rest.trim().split(/\s+/)[0]!);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `lossy serve exited before listening (code ${code}, signal ${signal}):\n${output.join('\n')}`,
        ),
      );
    });
  });
  return { child, exited, address };
}

async function halt({ child, exited }: Running): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    // A frozen process would not act on SIGINT.
    child.kill('SIGCONT');
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
}

export async function startServer(options: ServerOptions = {}): Promise<LossyServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lossy-e2e-'));
  const admin = { email: 'admin@lossy.test', password: `admin-${randomUUID()}` };
  const output: string[] = [];
  let running: Running | null = await spawnServer(dataDir, '127.0.0.1:0', admin, options, output);
  const address = running.address;
  if (options.generatedAdminPassword) {
    const printed = output.map((line) => /^\s*password:\s*(\S+)\s*$/.exec(line)?.[1]).find(Boolean);
    if (!printed) throw new Error(`no generated admin password printed:\n${output.join('\n')}`);
    admin.password = printed;
  }
  return {
    origin: `http://${address}`,
    dataDir,
    adminEmail: admin.email,
    adminPassword: admin.password,
    output,
    async stop() {
      if (running) await halt(running);
      running = null;
      rmSync(dataDir, { recursive: true, force: true });
    },
    async halt() {
      if (running) await halt(running);
      running = null;
    },
    async resume() {
      if (running) return;
      running = await spawnServer(dataDir, address, admin, options, output);
    },
    freeze() {
      if (!running) throw new Error('freeze: the server is not running');
      running.child.kill('SIGSTOP');
    },
    thaw() {
      running?.child.kill('SIGCONT');
    },
  };
}
