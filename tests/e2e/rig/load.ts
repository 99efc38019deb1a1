// Real traffic for the admin console's pages: a short run of the load generator
// (tests/load, `lossy-load`) against the test's server, with reviewers speaking and their
// transcripts becoming notes, so every figure the console shows comes from the server's own
// recording of that traffic.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { LOSSY_LOAD_BIN } from './paths';
import type { LossyServer } from './server';

const run = promisify(execFile);

export interface LoadOptions {
  sessions?: number;
  durationSecs?: number;
}

interface Phase {
  events_sent: number;
  errors: number;
}

/** What the load generator reports (the parts the specs read). */
export interface LoadReport {
  sessions_started: number;
  /** The voice events driven. */
  server: Phase;
  /** Transcripts sent and their notes' arrival. */
  notes?: { created: Phase };
}

/** Drives `sessions` reviewers in the notes scenario for `durationSecs`, and answers the
 * generator's JSON report. */
export async function generateTraffic(
  server: LossyServer,
  { sessions = 4, durationSecs = 8 }: LoadOptions = {},
): Promise<LoadReport> {
  const args = [
    '--server',
    server.origin,
    '--admin-email',
    server.adminEmail,
    '--scenario',
    'notes',
    '--sessions',
    String(sessions),
    '--duration-secs',
    String(durationSecs),
    '--utterance-every-ms',
    '1500',
    '--ramp-secs',
    '1',
    '--echo-secs',
    '0',
    '--json',
  ];
  const { stdout } = await run(LOSSY_LOAD_BIN, args, {
    env: { ...process.env, LOSSY_LOAD_ADMIN_PASSWORD: server.adminPassword },
    timeout: (durationSecs + 60) * 1000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as LoadReport;
}
