// Utterance audio kept in IndexedDB (`lossy-utterances`), so no utterance is lost between the
// microphone and its transcript: one is written before its `capture/speech-end` is sent and
// removed only once the worker took its transcript. Its audio lives in a store of its own, so
// listing the queue (each status, each step of the queue) does not read every recording. The
// last capture configuration is kept too, so a reopened offscreen document can transcribe
// what is still queued before the worker says anything.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

import type { CaptureConfig, SpeechEndReason, Transcript } from '@/shared/voice';

export type UtteranceState =
  /** Waiting for (another) transcription attempt. */
  | 'queued'
  /** Transcribed; waiting for the worker to take the transcript. */
  | 'transcribed'
  /** Transcription failed for good; the audio waits for a retry. */
  | 'failed';

export interface StoredUtterance {
  /** Insertion order (auto-increment). */
  seq?: number;
  utteranceId: string;
  onsetAt: number;
  durationMs: number;
  reason: SpeechEndReason;
  recordedAt: number;
  state: UtteranceState;
  /** Failed attempts since it was (re)queued. */
  attempts: number;
  transcript: Transcript | null;
  error: string | null;
}

interface UtteranceSchema extends DBSchema {
  utterances: { key: number; value: StoredUtterance; indexes: { utteranceId: string } };
  /** 16 kHz mono samples, by utterance id. */
  audio: { key: string; value: Float32Array };
  settings: { key: string; value: CaptureConfig };
}

export const UTTERANCE_DB = 'lossy-utterances';
const CONFIG_KEY = 'config';

export class UtteranceStore {
  private constructor(private readonly db: IDBPDatabase<UtteranceSchema>) {}

  static async open(name = UTTERANCE_DB): Promise<UtteranceStore> {
    const db = await openDB<UtteranceSchema>(name, 1, {
      upgrade(database) {
        const utterances = database.createObjectStore('utterances', {
          keyPath: 'seq',
          autoIncrement: true,
        });
        utterances.createIndex('utteranceId', 'utteranceId', { unique: true });
        database.createObjectStore('audio');
        database.createObjectStore('settings');
      },
    });
    return new UtteranceStore(db);
  }

  /** Stores a new utterance and its audio (16 kHz mono), together; a second one with the same
   * id is ignored. */
  async add(utterance: Omit<StoredUtterance, 'seq'>, audio: Float32Array): Promise<void> {
    const tx = this.db.transaction(['utterances', 'audio'], 'readwrite');
    const utterances = tx.objectStore('utterances');
    const existing = await utterances.index('utteranceId').getKey(utterance.utteranceId);
    if (existing === undefined) {
      await Promise.all([
        utterances.add(utterance),
        tx.objectStore('audio').put(audio, utterance.utteranceId),
      ]);
    }
    await tx.done;
  }

  /** Every utterance kept, oldest first. */
  async all(): Promise<StoredUtterance[]> {
    return this.db.getAll('utterances');
  }

  async get(utteranceId: string): Promise<StoredUtterance | undefined> {
    return this.db.getFromIndex('utterances', 'utteranceId', utteranceId);
  }

  async audio(utteranceId: string): Promise<Float32Array | undefined> {
    return this.db.get('audio', utteranceId);
  }

  /** Writes back a stored utterance (one read from this store, with its `seq`). */
  async put(utterance: StoredUtterance): Promise<void> {
    await this.db.put('utterances', utterance);
  }

  async remove(utteranceId: string): Promise<void> {
    const tx = this.db.transaction(['utterances', 'audio'], 'readwrite');
    const utterances = tx.objectStore('utterances');
    const key = await utterances.index('utteranceId').getKey(utteranceId);
    await Promise.all([
      key === undefined ? undefined : utterances.delete(key),
      tx.objectStore('audio').delete(utteranceId),
    ]);
    await tx.done;
  }

  async saveConfig(config: CaptureConfig): Promise<void> {
    await this.db.put('settings', config, CONFIG_KEY);
  }

  async loadConfig(): Promise<CaptureConfig | null> {
    return (await this.db.get('settings', CONFIG_KEY)) ?? null;
  }

  close(): void {
    this.db.close();
  }
}
