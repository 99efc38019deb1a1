// The mock mode's GraphQL server, run inside the page: the real schema (../schema.graphql)
// made executable with `@graphql-tools/schema`, with in-memory notes and settings that behave
// like the server's where the panel depends on it (versions, CONFLICT, BAD_USER_INPUT with a
// field, soft deletion, `noteEvents` with offsets, replayed after `since` and refused when
// expired, and `settingsChanged`), and `@graphql-tools/mock`
// answering everything else with made-up values. Development only: the built extension
// never imports this folder.

import { addMocksToSchema } from '@graphql-tools/mock';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, type GraphQLSchema } from 'graphql';

import type { NoteCategory, NoteStatus, TranscriptionMode } from '@/gql/graphql';

import typeDefs from '../../../schema.graphql?raw';

export interface MockNote {
  id: string;
  videoId: string;
  sessionId: null;
  utteranceId: null;
  text: string;
  rawTranscript: string;
  category: NoteCategory;
  confidence: number;
  timestampSeconds: number;
  endSeconds: null;
  status: NoteStatus;
  version: number;
  structurer: string;
  source: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  deleteReason: string | null;
  quality: null;
}

export type MockNoteEvent =
  | { __typename: 'NoteCreated'; note: MockNote; offset: string }
  | { __typename: 'NoteUpdated'; note: MockNote; offset: string }
  | { __typename: 'NoteDeleted'; noteId: string; videoId: string; offset: string };

/** An event as a change makes it; publishing gives it its offset. */
type NewNoteEvent = MockNoteEvent extends infer E
  ? E extends MockNoteEvent
    ? Omit<E, 'offset'>
    : never
  : never;

function videoOf(event: MockNoteEvent): string {
  return event.__typename === 'NoteDeleted' ? event.videoId : event.note.videoId;
}

/** The defaults a new account has (every field of `UserSettings`). */
const DEFAULT_SETTINGS = {
  cooldownMs: 500,
  mergeWithinMs: 800,
  minSpeechMs: 250,
  maxSpeechMs: 30000,
  autoPauseVideo: true,
  autoResumeDelayMs: 400,
  idleStopMs: 600000,
  heartbeatIntervalMs: 5000,
  heartbeatTimeoutMs: 15000,
  maxRestarts: 3,
  restartWindowMs: 60000,
  sessionTtlMs: 14400000,
  startThreshold: 0.6,
  endThreshold: 0.35,
  minSilenceMs: 700,
  preRollMs: 300,
  minConfidence: 0.3,
  preferredProtocolVersion: 2,
  clientPreferences: {},
  transcriptionMode: 'ON_DEVICE' as TranscriptionMode,
  transcriptionEndpoint: null as string | null,
  transcriptionModel: 'whisper-base',
  version: 1,
  updatedAt: null as string | null,
};

export type MockSettings = typeof DEFAULT_SETTINGS;

/** The ranges of the settings the panel edits, as the schema documents them. */
const RANGES: Partial<Record<keyof MockSettings, [number, number]>> = {
  cooldownMs: [0, 10000],
  autoResumeDelayMs: [0, 10000],
  minConfidence: [0, 1],
  mergeWithinMs: [0, 5000],
  minSpeechMs: [0, 5000],
};

type Listener<T> = (value: T) => void;

/** Turns pushed values into the async iterator a GraphQL `subscribe` resolver returns,
 * starting with `first` (a replay). */
function listen<T>(
  listeners: Set<Listener<T>>,
  accept: (value: T) => boolean = () => true,
  first: T[] = [],
) {
  const queue: T[] = [...first];
  let wake: (() => void) | null = null;
  let done = false;
  const listener: Listener<T> = (value) => {
    if (!accept(value)) return;
    queue.push(value);
    wake?.();
  };
  listeners.add(listener);
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const value = queue.shift();
      return value === undefined ? { done: true, value: undefined } : { done: false, value };
    },
    return() {
      done = true;
      listeners.delete(listener);
      wake?.();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** The offset of the `count`th event (0: before any). */
function mockOffset(count: number): string {
  return `mock-${String(count).padStart(8, '0')}`;
}

function userError(message: string, code: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: field ? { code, field } : { code } });
}

export class MockStore {
  readonly notes = new Map<string, MockNote>();
  settings: MockSettings = { ...DEFAULT_SETTINGS };
  readonly noteListeners = new Set<Listener<MockNoteEvent>>();
  readonly settingsListeners = new Set<Listener<MockSettings>>();
  /** Every note event, in offset order (the server's event log). */
  readonly events: MockNoteEvent[] = [];
  /** Events before this index are past retention. */
  private retainedFrom = 0;
  private counter = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  private publish(event: NewNoteEvent) {
    const offset = mockOffset(this.events.length + 1);
    const sequenced: MockNoteEvent = { ...event, offset };
    this.events.push(sequenced);
    for (const listener of [...this.noteListeners]) listener(sequenced);
  }

  /** Every event so far is past retention: resuming from one answers `EVENTS_EXPIRED`. */
  expireEvents(): void {
    this.retainedFrom = this.events.length;
  }

  /** Where the stream stands now (a list's `offset`): the last event's, `mock-00000000` before
   * any. */
  get offset(): string {
    return mockOffset(this.events.length);
  }

  /** The events of `videoId` after `since`, as the server replays them; refused as it does:
   * the latest offset is never expired, since nothing came after it. */
  eventsAfter(since: string, videoId: string | null | undefined): MockNoteEvent[] {
    const at = /^mock-\d{8}$/.test(since) ? Number(since.slice(5)) : -1;
    if (at < 0 || at > this.events.length)
      throw userError('`since` is not an offset of your notes.', 'BAD_USER_INPUT', 'since');
    if (at < this.retainedFrom) {
      throw userError(
        'The events after `since` are no longer kept; read the notes again.',
        'EVENTS_EXPIRED',
      );
    }
    return this.events.slice(at).filter((event) => !videoId || videoOf(event) === videoId);
  }

  private held(id: string): MockNote {
    const note = this.notes.get(id);
    if (!note) throw userError('No such note.', 'NOT_FOUND');
    return note;
  }

  createNote(input: {
    videoId: string;
    text: string;
    timestampSeconds: number;
    category?: NoteCategory | null;
    status?: NoteStatus;
    confidence?: number;
  }): MockNote {
    const text = input.text.trim();
    if (text === '') throw userError('A note needs some text.', 'BAD_USER_INPUT', 'text');
    const at = this.now().toISOString();
    this.counter += 1;
    const note: MockNote = {
      id: `00000000-0000-4000-8000-${String(this.counter).padStart(12, '0')}`,
      videoId: input.videoId,
      sessionId: null,
      utteranceId: null,
      text,
      rawTranscript: text,
      category: input.category ?? 'GENERAL',
      confidence: input.confidence ?? 1,
      timestampSeconds: input.timestampSeconds,
      endSeconds: null,
      status: input.status ?? 'FIRMED',
      version: 1,
      structurer: 'manual',
      source: null,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
      deleteReason: null,
      quality: null,
    };
    this.notes.set(note.id, note);
    this.publish({ __typename: 'NoteCreated', note });
    return note;
  }

  updateNote(input: {
    id: string;
    version: number;
    text?: string | null;
    category?: NoteCategory | null;
    status?: NoteStatus | null;
  }): MockNote {
    const held = this.held(input.id);
    if (input.version !== held.version) {
      throw userError(
        `The note changed meanwhile (now version ${held.version}); your change was not applied.`,
        'CONFLICT',
      );
    }
    if (input.text?.trim() === '') {
      throw userError('A note needs some text.', 'BAD_USER_INPUT', 'text');
    }
    const note: MockNote = {
      ...held,
      text: input.text?.trim() ?? held.text,
      category: input.category ?? held.category,
      status: input.status ?? held.status,
      version: held.version + 1,
      updatedAt: this.now().toISOString(),
    };
    this.notes.set(note.id, note);
    this.publish({ __typename: 'NoteUpdated', note });
    return note;
  }

  deleteNote(id: string, reason: string | null): MockNote {
    const held = this.held(id);
    if (held.deletedAt !== null) return held;
    const at = this.now().toISOString();
    const note = { ...held, deletedAt: at, deleteReason: reason, version: held.version + 1 };
    this.notes.set(id, note);
    this.publish({ __typename: 'NoteDeleted', noteId: id, videoId: note.videoId });
    return note;
  }

  restoreNote(id: string): MockNote {
    const held = this.held(id);
    if (held.deletedAt === null) return held;
    const note = { ...held, deletedAt: null, deleteReason: null, version: held.version + 1 };
    this.notes.set(id, note);
    this.publish({ __typename: 'NoteUpdated', note });
    return note;
  }

  updateSettings(input: Record<string, unknown>): MockSettings {
    for (const [name, value] of Object.entries(input)) {
      const range = RANGES[name as keyof MockSettings];
      if (range && typeof value === 'number' && (value < range[0] || value > range[1])) {
        throw userError(
          `${name} must be between ${range[0]} and ${range[1]}.`,
          'BAD_USER_INPUT',
          name,
        );
      }
    }
    const { expectedVersion, ...changes } = input;
    if (typeof expectedVersion === 'number' && expectedVersion !== this.settings.version) {
      throw userError('The settings changed meanwhile.', 'CONFLICT');
    }
    this.settings = {
      ...this.settings,
      ...(changes as Partial<MockSettings>),
      version: this.settings.version + 1,
      updatedAt: this.now().toISOString(),
    };
    for (const listener of [...this.settingsListeners]) listener(this.settings);
    return this.settings;
  }

  notesOf(videoId: string): MockNote[] {
    return [...this.notes.values()]
      .filter((note) => note.videoId === videoId)
      .sort((a, b) => a.timestampSeconds - b.timestampSeconds || (a.id < b.id ? -1 : 1));
  }
}

interface PageArgs {
  videoId: string;
  first?: number | null;
  after?: string | null;
  filter?: { includeDeleted?: boolean; includeSuppressed?: boolean; statuses?: NoteStatus[] };
}

export interface MockBackend {
  schema: GraphQLSchema;
  store: MockStore;
}

export function createMockBackend(store = new MockStore()): MockBackend {
  const resolvers = {
    Query: {
      settings: () => store.settings,
      note: (_: unknown, { id }: { id: string }) => store.notes.get(id) ?? null,
      notes: (_: unknown, args: PageArgs) => {
        const statuses = args.filter?.statuses;
        const all = store
          .notesOf(args.videoId)
          .filter((note) => args.filter?.includeDeleted === true || note.deletedAt === null)
          .filter((note) => !statuses || statuses.includes(note.status));
        const start = args.after ? Number(args.after) : 0;
        const first = Math.min(args.first ?? 100, 100);
        const nodes = all.slice(start, start + first);
        const end = start + nodes.length;
        return {
          nodes,
          edges: nodes.map((node, index) => ({ node, cursor: String(start + index + 1) })),
          pageInfo: {
            hasNextPage: end < all.length,
            hasPreviousPage: start > 0,
            startCursor: nodes.length > 0 ? String(start + 1) : null,
            endCursor: nodes.length > 0 ? String(end) : null,
          },
          totalCount: all.length,
          countsByCategory: [],
          countsByStatus: [],
          offset: store.offset,
        };
      },
    },
    Mutation: {
      createNote: (_: unknown, { input }: { input: Parameters<MockStore['createNote']>[0] }) =>
        store.createNote(input),
      updateNote: (_: unknown, { input }: { input: Parameters<MockStore['updateNote']>[0] }) =>
        store.updateNote(input),
      deleteNote: (_: unknown, { id, reason }: { id: string; reason?: string | null }) =>
        store.deleteNote(id, reason ?? null),
      restoreNote: (_: unknown, { id }: { id: string }) => store.restoreNote(id),
      updateSettings: (_: unknown, { input }: { input: Record<string, unknown> }) =>
        store.updateSettings(input),
    },
    Subscription: {
      noteEvents: {
        subscribe: (
          _: unknown,
          { videoId, since }: { videoId?: string | null; since?: string | null },
        ) =>
          listen(
            store.noteListeners,
            (event) => !videoId || videoOf(event) === videoId,
            since ? store.eventsAfter(since, videoId) : [],
          ),
        resolve: (event: MockNoteEvent) => event,
      },
      settingsChanged: {
        subscribe: (_: unknown, { since }: { since?: number | null }) =>
          listen(
            store.settingsListeners,
            () => true,
            typeof since === 'number' && store.settings.version > since ? [store.settings] : [],
          ),
        resolve: (settings: MockSettings) => settings,
      },
    },
    NoteEvent: {
      __resolveType: (event: { __typename: string }) => event.__typename,
    },
  };
  const schema = addMocksToSchema({
    schema: makeExecutableSchema({ typeDefs, resolvers }),
    preserveResolvers: true,
    mocks: {
      DateTime: () => new Date().toISOString(),
      JSON: () => ({}),
      UUID: () => crypto.randomUUID(),
    },
  });
  return { schema, store };
}
