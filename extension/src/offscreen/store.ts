// Utterance audio kept in IndexedDB (`lossy-utterances`), so no utterance is lost between the
// microphone and its transcript: one is written before its `capture/speech-end` is sent and
// removed only once the worker took its transcript. The last capture configuration is kept
// too, so a reopened offscreen document can transcribe what is still queued before the
// worker says anything.

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
  /** 16 kHz mono. */
  audio: Float32Array;
  recordedAt: number;
  state: UtteranceState;
  /** Failed attempts since it was (re)queued. */
  attempts: number;
  transcript: Transcript | null;
  error: string | null;
}

interface UtteranceSchema extends DBSchema {
  utterances: { key: number; value: StoredUtterance; indexes: { utteranceId: string } };
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
        database.createObjectStore('settings');
      },
    });
    return new UtteranceStore(db);
  }

  /** Stores a new utterance; a second one with the same id is ignored. */
  async add(utterance: Omit<StoredUtterance, 'seq'>): Promise<void> {
    const tx = this.db.transaction('utterances', 'readwrite');
    const existing = await tx.store.index('utteranceId').getKey(utterance.utteranceId);
    if (existing === undefined) await tx.store.add(utterance);
    await tx.done;
  }

  /** Every utterance kept, oldest first. */
  async all(): Promise<StoredUtterance[]> {
    return this.db.getAll('utterances');
  }

  async get(utteranceId: string): Promise<StoredUtterance | undefined> {
    return this.db.getFromIndex('utterances', 'utteranceId', utteranceId);
  }

  /** Writes back a stored utterance (one read from this store, with its `seq`). */
  async put(utterance: StoredUtterance): Promise<void> {
    await this.db.put('utterances', utterance);
  }

  async remove(utteranceId: string): Promise<void> {
    const tx = this.db.transaction('utterances', 'readwrite');
    const key = await tx.store.index('utteranceId').getKey(utteranceId);
    if (key !== undefined) await tx.store.delete(key);
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
