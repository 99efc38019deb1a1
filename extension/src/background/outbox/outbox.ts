// The durable outbox: queues what the user made, drains it over the socket in order, one
// write at a time, and lets an item go only once the server acknowledged it (or refused it
// for good, which the panels are told). Telemetry drains after the writes, in batches.

import type { GraphqlOperation, GraphqlResult, OutboxWrite } from '@/shared/messages';

import { NoteDocument, NotesDocument, IngestTelemetryDocument, text } from '../operations';
import { backoffDelay } from '../socket/backoff';
import {
  editApplied,
  isNoteFrom,
  operationFor,
  TELEMETRY_BATCH,
  verdictFor,
  withoutSession,
  type NoteLike,
} from './rules';
import {
  OutboxStorageError,
  type OutboxStore,
  type StoredWrite,
  type TelemetryEvent,
} from './store';

export interface OutboxDeps {
  store: OutboxStore;
  /** Rejects when the answer is lost (the socket closed) or the request failed. */
  execute(operation: GraphqlOperation): Promise<GraphqlResult>;
  connected(): boolean;
  /** Telemetry is sent only while `server_telemetry` is on. */
  telemetryEnabled(): boolean;
  refused: (write: OutboxWrite, code: string, message: string, field?: string) => void;
  /** The server acknowledged `write`; it has left the outbox. */
  acknowledged?: (write: OutboxWrite) => void;
  /** The waiting count or the storage error changed. */
  changed(): void;
  /** The token was refused on an operation: refresh it. */
  refreshAuth(): Promise<void>;
  schedule?: (run: () => void, ms: number) => void;
  now?: () => number;
}

type Sent = 'stop' | 'next';

export class Outbox {
  waiting = 0;
  storageError: string | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private retryPending = false;
  /** Sends whose mark the storage refused (full): this worker still knows they happened. */
  private readonly sentUnstored = new Map<number, number>();

  constructor(private readonly deps: OutboxDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async load(): Promise<void> {
    this.waiting = await this.deps.store.countWrites();
    this.deps.changed();
  }

  /** Queues a write (a repeated idempotency key is ignored) and starts draining. */
  async add(write: OutboxWrite): Promise<void> {
    try {
      await this.keep(write);
      this.storageError = null;
    } catch (error) {
      this.storageError = error instanceof OutboxStorageError ? error.message : String(error);
      this.deps.changed();
      throw error;
    }
    this.waiting = await this.deps.store.countWrites();
    this.deps.changed();
    void this.drain();
  }

  private async keep(write: OutboxWrite): Promise<void> {
    try {
      await this.deps.store.add(write, this.now());
    } catch (error) {
      if (!(error instanceof OutboxStorageError && error.quota)) throw error;
      // Short of room: telemetry gives up its room before a write of the user's is refused.
      const dropped = await this.deps.store.clearTelemetry().catch(() => 0);
      if (dropped === 0) throw error;
      await this.deps.store.add(write, this.now());
    }
  }

  async addTelemetry(events: TelemetryEvent[]): Promise<void> {
    // While the browser refuses the user's writes, telemetry must not take the room back.
    if (!this.deps.telemetryEnabled() || this.storageError !== null) return;
    try {
      await this.deps.store.addTelemetry(events);
    } catch {
      // Telemetry is the first thing to give up when storage is short.
      return;
    }
    void this.drain();
  }

  /** Drains until empty or disconnected; concurrent calls share one run. */
  drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.drainOnce();
      } while (this.wantsAgain() && this.deps.connected());
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** A drain was asked for while one ran (read through a call: the loop body changes it). */
  private wantsAgain(): boolean {
    return this.again;
  }

  private async drainOnce(): Promise<void> {
    while (this.deps.connected()) {
      const item = await this.deps.store.first();
      if (!item) break;
      if ((await this.send(item)) === 'stop') return;
    }
    while (this.deps.connected() && this.deps.telemetryEnabled()) {
      if ((await this.sendTelemetry()) === 'stop') return;
    }
  }

  private async settle(item: StoredWrite): Promise<void> {
    await this.deps.store.remove(item.seq);
    this.sentUnstored.delete(item.seq);
    this.waiting = await this.deps.store.countWrites();
    this.failures = 0;
    this.deps.changed();
  }

  private later(): Sent {
    // Not reconnect-driven (the socket is up): wait, then drain again.
    if (!this.retryPending) {
      this.retryPending = true;
      const schedule = this.deps.schedule ?? ((run, ms) => setTimeout(run, ms));
      schedule(
        () => {
          this.retryPending = false;
          void this.drain();
        },
        backoffDelay(this.failures++, Math.random(), 1_000, 60_000) + 1_000,
      );
    }
    return 'stop';
  }

  private async send(item: StoredWrite): Promise<Sent> {
    const { write } = item;
    const sentAt = item.sentAt ?? this.sentUnstored.get(item.seq) ?? null;
    const resent = sentAt !== null;
    try {
      if (write.kind === 'createNote' && sentAt !== null) {
        // The server has no idempotency key for createNote: before sending again after a
        // lost answer, look for the note the earlier send may have made.
        if (await this.createdEarlier(write, sentAt)) {
          await this.settle(item);
          this.deps.acknowledged?.(write);
          return 'next';
        }
      }
      await this.markSent(item.seq, sentAt ?? this.now());
      let result = await this.deps.execute(operationFor(write));
      let verdict = verdictFor(write, result, resent);
      if (verdict.kind === 'without-session' && write.kind === 'submitTranscript') {
        // Not kept in the store: a worker stopped before the answer repeats both steps.
        const alone = withoutSession(write);
        if (alone) {
          result = await this.deps.execute(operationFor(alone));
          verdict = verdictFor(alone, result, resent);
        }
      }
      switch (verdict.kind) {
        case 'acknowledged':
          await this.settle(item);
          this.deps.acknowledged?.(write);
          return 'next';
        case 'check-conflict':
          if (write.kind === 'updateNote' && (await this.editAppliedEarlier(write))) {
            await this.settle(item);
            this.deps.acknowledged?.(write);
            return 'next';
          }
          await this.settle(item);
          this.deps.refused(write, 'CONFLICT', result.errors?.[0]?.message ?? 'conflict');
          return 'next';
        case 'refused':
          await this.settle(item);
          this.deps.refused(write, verdict.code, verdict.message, verdict.field);
          return 'next';
        case 'auth':
          await this.deps.refreshAuth();
          return this.later();
        case 'later':
        case 'without-session':
          return this.later();
      }
    } catch {
      // The answer was lost or the request failed: the item stays, marked sent, and the
      // next drain (after a reconnect) starts with it.
      return this.deps.connected() ? this.later() : 'stop';
    }
  }

  private async markSent(seq: number, at: number): Promise<void> {
    try {
      await this.deps.store.markSent(seq, at);
    } catch (error) {
      if (!(error instanceof OutboxStorageError)) throw error;
      // A full storage must not hold back what is already queued (sending and removing
      // need no room): the mark is kept in memory instead, so only a worker restart before
      // the answer loses it.
      this.sentUnstored.set(seq, at);
    }
  }

  private async createdEarlier(
    write: Extract<OutboxWrite, { kind: 'createNote' }>,
    sentAt: number,
  ): Promise<boolean> {
    const videoId = (write.input as { videoId?: unknown }).videoId;
    if (typeof videoId !== 'string') return false;
    let after: string | null = null;
    for (;;) {
      const result = await this.deps.execute({
        query: text(NotesDocument),
        variables: { videoId, after, filter: { includeDeleted: true, includeSuppressed: true } },
      });
      if (result.errors?.length) throw new Error(result.errors[0]?.message);
      const notes = (result.data as { notes?: NotesPage } | null | undefined)?.notes;
      if (!notes) return false;
      if (notes.edges.some((edge) => isNoteFrom(write, sentAt, edge.node))) return true;
      if (!notes.pageInfo.hasNextPage) return false;
      after = notes.pageInfo.endCursor;
    }
  }

  private async editAppliedEarlier(
    write: Extract<OutboxWrite, { kind: 'updateNote' }>,
  ): Promise<boolean> {
    const id = (write.input as { id?: unknown }).id;
    if (typeof id !== 'string') return false;
    const result = await this.deps.execute({ query: text(NoteDocument), variables: { id } });
    const note = (result.data as { note?: NoteLike } | null | undefined)?.note;
    return note ? editApplied(write, note) : false;
  }

  private async sendTelemetry(): Promise<Sent> {
    const batch = await this.deps.store.telemetryBatch(TELEMETRY_BATCH);
    if (batch.length === 0) return 'stop';
    let result: GraphqlResult;
    try {
      result = await this.deps.execute({
        query: text(IngestTelemetryDocument),
        variables: { events: batch.map((item) => item.event) },
      });
    } catch {
      return 'stop';
    }
    const ack = (
      result.data as { ingestTelemetry?: { accepted: string[]; duplicates: string[] } } | null
    )?.ingestTelemetry;
    if (ack) {
      const acknowledged = [...ack.accepted, ...ack.duplicates];
      await this.deps.store.removeTelemetry(acknowledged);
      // What the server did not acknowledge stays for a later try, not a tight loop.
      return acknowledged.length >= batch.length ? 'next' : this.later();
    }
    const code = result.errors?.[0]?.extensions?.code;
    if (code === 'BAD_USER_INPUT' || code === 'FEATURE_DISABLED') {
      // An invalid event refuses its whole batch; telemetry is not worth a stuck queue.
      await this.deps.store.removeTelemetry(batch.map((item) => item.event.eventId));
      return 'next';
    }
    return this.later();
  }
}

interface NotesPage {
  edges: { node: NoteLike }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
