// `FIXTURE`, for tests only: a transcriber that needs no speech recogniser, so the whole voice
// loop (microphone, VAD, session, outbox, note) can be tested where no speech packages exist.
// Its answers come from `config.model`:
//
//   fixture:the music is too loud|the cut is late
//       the first utterance it sees is "the music is too loud", the second "the cut is late",
//       then round again. An utterance asked again (a retry, the offscreen document reopened)
//       gets the text it got the first time: texts are handed out per utterance id, and the
//       assignments are kept in the page's localStorage.
//   an empty entry (`fixture:a||b`)        the second utterance hears nothing (text '')
//   `!retry:the cut is late`               the first attempt fails (retryable), the next answers
//   `!fail`                                every attempt fails (not retryable)
//   fixture  (no list)                     "fixture utterance N, S.S seconds"
//
// Words are spread evenly over the audio, so the `words` path is exercised too.

import type { TranscriptionConfig, WordTiming } from '@/shared/voice';

import { durationMs, normaliseTranscript } from './text';
import { SAMPLE_RATE, throwIfAborted, TranscriptionError, type Transcriber } from './types';

const STORAGE_KEY = 'lossy.transcription.fixture';
/** Assignments kept: far more utterances than one test speaks. */
const REMEMBERED = 200;

type Entry = { kind: 'text'; text: string; retry: boolean } | { kind: 'fail' };

/** `config.model` as a list of answers; null for the duration-derived answer. */
export function parseFixtureModel(model: string): Entry[] | null {
  const list = model.trim().replace(/^fixture(:|$)/, '');
  if (list.trim() === '') return null;
  return list.split('|').map((raw): Entry => {
    const entry = raw.trim();
    if (entry === '!fail') return { kind: 'fail' };
    if (entry.startsWith('!retry:')) {
      return { kind: 'text', text: entry.slice('!retry:'.length).trim(), retry: true };
    }
    return { kind: 'text', text: entry, retry: false };
  });
}

interface Assignments {
  model: string;
  next: number;
  /** utterance id → its ordinal (0-based), oldest first. */
  ids: [string, number][];
}

interface AssignmentStore {
  load(): Assignments | null;
  save(assignments: Assignments): void;
}

/** The page's localStorage when it has one (the offscreen document does), else memory. */
function defaultStore(): AssignmentStore {
  let memory: Assignments | null = null;
  return {
    load() {
      try {
        const saved = globalThis.localStorage.getItem(STORAGE_KEY);
        if (saved !== null) return JSON.parse(saved) as Assignments;
      } catch {
        // no localStorage here (a worker), or unreadable: memory only
      }
      return memory;
    },
    save(assignments) {
      memory = assignments;
      try {
        globalThis.localStorage.setItem(STORAGE_KEY, JSON.stringify(assignments));
      } catch {
        // memory only
      }
    },
  };
}

export function createFixtureTranscriber(
  config: TranscriptionConfig,
  store: AssignmentStore = defaultStore(),
): Transcriber {
  const entries = parseFixtureModel(config.model);
  /** Utterances whose first attempt already failed on purpose (`!retry:`). */
  const failedOnce = new Set<string>();

  /** The utterance's ordinal: the same for the same id, the next one for a new id. */
  function ordinal(utteranceId: string): number {
    const saved = store.load();
    const assignments: Assignments =
      saved?.model === config.model ? saved : { model: config.model, next: 0, ids: [] };
    const known = assignments.ids.find(([id]) => id === utteranceId);
    if (known) return known[1];
    const n = assignments.next;
    store.save({
      model: config.model,
      next: n + 1,
      ids: [...assignments.ids, [utteranceId, n] as [string, number]].slice(-REMEMBERED),
    });
    return n;
  }

  return {
    transcribe(audio, { utteranceId, signal }) {
      // A promise, so every outcome (a wrong argument included) is a rejection, as elsewhere.
      return Promise.resolve().then(() => {
        throwIfAborted(signal);
        const n = ordinal(utteranceId);
        const audioMs = durationMs(audio, SAMPLE_RATE);
        let text: string;
        if (entries === null) {
          text = `fixture utterance ${n + 1}, ${(audioMs / 1000).toFixed(1)} seconds`;
        } else {
          const entry = entries[n % entries.length] ?? { kind: 'fail' };
          if (entry.kind === 'fail') {
            throw new TranscriptionError('The fixture transcriber fails this utterance.', false);
          }
          if (entry.retry && !failedOnce.has(utteranceId)) {
            failedOnce.add(utteranceId);
            throw new TranscriptionError('The fixture transcriber fails a first attempt.', true);
          }
          text = normaliseTranscript(entry.text);
        }
        return { text, confidence: null, words: text === '' ? null : spread(text, audioMs) };
      });
    },
  };
}

function spread(text: string, audioMs: number): WordTiming[] {
  const words = text.split(' ');
  const each = audioMs / words.length;
  return words.map((word, i) => ({
    word,
    startMs: Math.round(i * each),
    endMs: Math.round((i + 1) * each),
  }));
}
