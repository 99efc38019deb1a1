// The outbox's storage: IndexedDB (through idb), so queued writes survive the service
// worker's sleep, a browser restart and an extension reload. Two stores, each in insertion
// order (auto-increment keys): the user's writes, and telemetry (capped, dropped first).

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

import type { OutboxWrite } from '@/shared/messages';

import { TELEMETRY_CAP } from './rules';

export interface TelemetryEvent {
  eventId: string;
  name: string;
  occurredAt: string;
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  properties?: Record<string, unknown>;
  clientVersion?: string;
}

export interface StoredWrite {
  seq: number;
  write: OutboxWrite;
  addedAt: number;
  /** When it was last sent without an answer; set before sending, so a send whose answer
   * was lost (socket closed, worker stopped) is known to be of unknown outcome. */
  sentAt: number | null;
}

export interface StoredEvent {
  seq: number;
  event: TelemetryEvent;
}

interface OutboxSchema extends DBSchema {
  writes: { key: number; value: StoredWrite; indexes: { key: string } };
  telemetry: { key: number; value: StoredEvent; indexes: { eventId: string } };
}

export const OUTBOX_DB = 'lossy-outbox';

/** A storage failure the user must see (quota exceeded, storage unavailable). */
export class OutboxStorageError extends Error {
  constructor(
    message: string,
    /** The browser refused for want of room (not a broken store): freeing some may help. */
    readonly quota = false,
  ) {
    super(message);
  }
}

function isQuota(cause: unknown): boolean {
  // IndexedDB reports it on the request or as the aborted transaction's error; idb rejects
  // with that DOMException.
  return (cause as { name?: unknown } | null)?.name === 'QuotaExceededError';
}

function storageError(cause: unknown): OutboxStorageError {
  if (cause instanceof OutboxStorageError) return cause;
  return isQuota(cause)
    ? new OutboxStorageError('the browser has no room left for queued notes', true)
    : new OutboxStorageError(
        `the browser's storage failed: ${String((cause as Error | null)?.message ?? cause)}`,
      );
}

export class OutboxStore {
  private constructor(private readonly db: IDBPDatabase<OutboxSchema>) {}

  static async open(name = OUTBOX_DB): Promise<OutboxStore> {
    const db = await openDB<OutboxSchema>(name, 1, {
      upgrade(database) {
        const writes = database.createObjectStore('writes', {
          keyPath: 'seq',
          autoIncrement: true,
        });
        writes.createIndex('key', 'write.key', { unique: true });
        const telemetry = database.createObjectStore('telemetry', {
          keyPath: 'seq',
          autoIncrement: true,
        });
        telemetry.createIndex('eventId', 'event.eventId', { unique: true });
      },
    });
    return new OutboxStore(db);
  }

  close(): void {
    this.db.close();
  }

  /** Queues a write; false when one with the same idempotency key is already queued. */
  async add(write: OutboxWrite, now = Date.now()): Promise<boolean> {
    try {
      const tx = this.db.transaction('writes', 'readwrite');
      if ((await tx.store.index('key').count(write.key)) > 0) {
        await tx.done;
        return false;
      }
      // `seq` is assigned by the store.
      await tx.store.add({ write, addedAt: now, sentAt: null } as StoredWrite);
      await tx.done;
      return true;
    } catch (error) {
      throw storageError(error);
    }
  }

  async first(): Promise<StoredWrite | undefined> {
    const cursor = await this.db.transaction('writes').store.openCursor();
    return cursor?.value;
  }

  async all(): Promise<StoredWrite[]> {
    return this.db.getAll('writes');
  }

  async countWrites(): Promise<number> {
    return this.db.count('writes');
  }

  async markSent(seq: number, at: number): Promise<void> {
    try {
      const tx = this.db.transaction('writes', 'readwrite');
      const item = await tx.store.get(seq);
      if (item) await tx.store.put({ ...item, sentAt: at });
      await tx.done;
    } catch (error) {
      throw storageError(error);
    }
  }

  async remove(seq: number): Promise<void> {
    await this.db.delete('writes', seq);
  }

  /** Queues telemetry, dropping the oldest events beyond `cap` (never a write). */
  async addTelemetry(events: TelemetryEvent[], cap = TELEMETRY_CAP): Promise<void> {
    try {
      const tx = this.db.transaction('telemetry', 'readwrite');
      for (const event of events) {
        if ((await tx.store.index('eventId').count(event.eventId)) === 0) {
          await tx.store.add({ event } as StoredEvent);
        }
      }
      let excess = (await tx.store.count()) - cap;
      let cursor = excess > 0 ? await tx.store.openCursor() : null;
      while (cursor && excess > 0) {
        await cursor.delete();
        excess -= 1;
        cursor = await cursor.continue();
      }
      await tx.done;
    } catch (error) {
      throw storageError(error);
    }
  }

  async telemetryBatch(limit: number): Promise<StoredEvent[]> {
    return this.db.getAll('telemetry', undefined, limit);
  }

  async countTelemetry(): Promise<number> {
    return this.db.count('telemetry');
  }

  /** Drops every queued telemetry event (to give its room to the user's writes); answers
   * how many there were. */
  async clearTelemetry(): Promise<number> {
    const tx = this.db.transaction('telemetry', 'readwrite');
    const count = await tx.store.count();
    if (count > 0) await tx.store.clear();
    await tx.done;
    return count;
  }

  /** Drops the events the server acknowledged (accepted or duplicate). */
  async removeTelemetry(eventIds: Iterable<string>): Promise<void> {
    const tx = this.db.transaction('telemetry', 'readwrite');
    for (const id of eventIds) {
      const key = await tx.store.index('eventId').getKey(id);
      if (key !== undefined) await tx.store.delete(key);
    }
    await tx.done;
  }
}
