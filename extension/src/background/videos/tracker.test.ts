// The tracker's answer to "what does this tab show now?" (`videoOf`), which the voice loop
// follows: for a tab whichever window shows it, a tab left in the background included.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { GraphqlOperation, GraphqlResult, PageVideo } from '@/shared/messages';

import type { OperationPayload, OperationSink, Socket } from '../socket/socket';
import { VideoTracker } from './tracker';

function nameOf(operation: GraphqlOperation): string {
  return /(?:mutation|query|subscription) (\w+)/.exec(operation.query)?.[1] ?? '?';
}

/** The server's side: `detectVideo` answers by URL (held until released, when asked to). */
class FakeServer {
  connected = true;
  calls: string[] = [];
  sinks = new Map<string, Partial<OperationSink> & { next(result: GraphqlResult): void }>();
  /** What each subscription sends, as the socket reads it. */
  payloads = new Map<string, () => GraphqlOperation>();
  /** The operations sent, with their variables. */
  sent: GraphqlOperation[] = [];
  /** Answers `WorkerMarkerNotes` with these, read at `offset`. */
  notes: { id: string; version: number; timestampSeconds: number }[] = [];
  offset = 'o-0';
  held = new Map<string, () => void>();
  hold = false;
  /** Subscriptions stopped by the tracker, by name. */
  stopped: string[] = [];

  request(operation: GraphqlOperation): Promise<GraphqlResult> {
    const name = nameOf(operation);
    this.calls.push(name);
    this.sent.push(operation);
    if (name === 'WorkerDetectVideo') {
      const input = operation.variables?.input as { url: string };
      const videoId = `video-${input.url.slice(-1)}`;
      const answer = {
        data: {
          detectVideo: { id: videoId, platform: 'generic', externalId: videoId, title: null },
        },
      };
      if (!this.hold) return Promise.resolve(answer);
      return new Promise((resolve) => this.held.set(input.url, () => resolve(answer)));
    }
    if (name === 'WorkerMarkerNotes') {
      const nodes = this.notes.map((note) => workerNote(note));
      return Promise.resolve({
        data: {
          notes: { nodes, pageInfo: { hasNextPage: false, endCursor: null }, offset: this.offset },
        },
      });
    }
    return Promise.resolve({ data: null });
  }

  subscribe(payload: OperationPayload, sink: OperationSink) {
    const read = typeof payload === 'function' ? payload : () => payload;
    const operation = read();
    const name = nameOf(operation);
    this.calls.push(name);
    this.sent.push(operation);
    this.sinks.set(name, sink);
    this.payloads.set(name, read);
    return () => {
      if (this.sinks.get(name) === sink) this.stopped.push(name);
    };
  }

  /** The socket came back: it sends the stream again, read as it stands now. */
  resend(name: string): GraphqlOperation {
    const operation = this.payloads.get(name)?.();
    if (!operation) throw new Error(`no subscription ${name}`);
    this.calls.push(name);
    this.sent.push(operation);
    this.sinks.get(name)?.resent?.(operation);
    return operation;
  }

  /** The server's `videoContextEvents`: `owner` holds the context now. */
  contextOwnedBy(owner: { deviceId: string; tabId: number; pageInstanceId: string }): void {
    this.sinks.get('WorkerVideoContextEvents')?.next({
      data: {
        videoContextEvents: {
          kind: 'CONTEXT_UPDATED',
          context: { video: { id: 'video-a' }, owner },
        },
      },
    });
  }
}

function workerNote(note: { id: string; version: number; timestampSeconds: number }) {
  return {
    videoId: 'video-a',
    text: note.id,
    category: 'GENERAL',
    status: 'GHOST',
    deletedAt: null,
    ...note,
  };
}

const page = (pageInstanceId: string, url: string): PageVideo => ({
  url,
  title: null,
  durationSeconds: 120,
  pageInstanceId,
});

function rig(features: Record<string, boolean> = {}) {
  const server = new FakeServer();
  /** The markers each tab was sent last, as `seconds id`. */
  const markers = new Map<number, string[]>();
  const errors: string[] = [];
  const tracker = new VideoTracker({
    socket: server as unknown as Socket,
    sendToTab: (tabId, message) => {
      if (message.kind === 'page/markers') {
        markers.set(
          tabId,
          message.markers.map((marker) => `${marker.seconds} ${marker.noteId}`),
        );
      }
    },
    changed: () => undefined,
    deviceId: () => 'device-1',
    feature: (name) => features[name] ?? true,
    error: (name) => errors.push(name),
    checkIdentity: () => undefined,
  });
  tracker.start();
  return { server, tracker, markers, errors };
}

describe('videoOf', () => {
  beforeEach(() => {
    // The lease renewal's interval must not outlive the test.
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('follows a tab in the background of its window to its next video', async () => {
    const { server, tracker } = rig();
    // Window 1 shows tab 5 (a page without video); tab 7, behind it, plays video a and owns
    // the context.
    await tracker.activate(1, 7);
    await tracker.pageVideo(7, page('page-1', 'https://example.com/a'));
    server.contextOwnedBy({ deviceId: 'device-1', tabId: 7, pageInstanceId: 'page-1' });
    await tracker.activate(1, 5);
    await tracker.focus(1);
    expect(tracker.state(1).video).toBeNull();
    expect(tracker.videoOf(7)).toEqual({
      tabId: 7,
      videoId: 'video-a',
      pageInstanceId: 'page-1',
      durationSeconds: 120,
      context: 'owner',
    });

    // It navigates to video b: unknown while the server identifies it, then video b, which
    // its earlier page's hold on the context does not keep from it.
    server.hold = true;
    const identified = tracker.pageVideo(7, page('page-2', 'https://example.com/b'));
    expect(tracker.videoOf(7)).toBeUndefined();
    server.held.get('https://example.com/b')?.();
    await identified;
    expect(tracker.videoOf(7)).toMatchObject({
      videoId: 'video-b',
      pageInstanceId: 'page-2',
      context: 'available',
    });
    // The tracker claims only for the focused window's tab: the voice session's start does.
    expect(server.calls).not.toContain('WorkerClaimVideoContext');

    // Then to a page without a video.
    await tracker.pageVideo(7, null);
    expect(tracker.videoOf(7)).toBeNull();
  });

  it('keeps a context another device or tab took as taken', async () => {
    const { server, tracker } = rig();
    await tracker.pageVideo(7, page('page-1', 'https://example.com/a'));
    server.contextOwnedBy({ deviceId: 'device-2', tabId: 7, pageInstanceId: 'page-1' });
    expect(tracker.videoOf(7)?.context).toBe('taken');
    server.contextOwnedBy({ deviceId: 'device-1', tabId: 9, pageInstanceId: 'page-9' });
    expect(tracker.videoOf(7)?.context).toBe('taken');
    expect(tracker.videoOf(8)).toBeNull();
  });
});

describe("a video's notes: its list, then its stream from the list's offset", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const EVENTS = 'WorkerNoteEvents';
  const LIST = 'WorkerMarkerNotes';
  const created = (id: string, seconds: number, offset: string): GraphqlResult => ({
    data: {
      noteEvents: {
        __typename: 'NoteCreated',
        offset,
        note: workerNote({ id, version: 1, timestampSeconds: seconds }),
      },
    },
  });
  const notesRead = (server: FakeServer) => server.calls.filter((name) => name === LIST).length;
  const streams = (server: FakeServer) =>
    server.sent.filter((op) => nameOf(op) === EVENTS).map((op) => op.variables);

  async function following(server: FakeServer, tracker: VideoTracker) {
    server.notes = [{ id: 'listed', version: 1, timestampSeconds: 1 }];
    await tracker.pageVideo(7, page('page-1', 'https://example.com/a'));
    await vi.advanceTimersByTimeAsync(0);
    // The list first, then the stream from where the list was read.
    expect(server.calls.filter((name) => name === EVENTS || name === LIST)).toEqual([LIST, EVENTS]);
    expect(streams(server)).toEqual([{ videoId: 'video-a', since: 'o-0' }]);
  }

  it('resumes after the last offset applied, and reads nothing again', async () => {
    const { server, tracker, markers } = rig();
    await following(server, tracker);
    const sink = server.sinks.get(EVENTS);
    sink?.next(created('heard', 5, 'o-1'));
    sink?.next({ data: { noteEvents: { __typename: 'VideoSummaryUpdated', offset: 'o-2' } } });
    expect(markers.get(7)).toEqual(['1 listed', '5 heard']);

    expect(server.resend(EVENTS).variables).toEqual({ videoId: 'video-a', since: 'o-2' });
    tracker.reconnected();
    await vi.advanceTimersByTimeAsync(0);
    expect(notesRead(server)).toBe(1);
    // The replay arrives on the same stream; the next resend is after it.
    sink?.next(created('missed', 9, 'o-3'));
    expect(markers.get(7)).toEqual(['1 listed', '5 heard', '9 missed']);
    expect(server.resend(EVENTS).variables).toEqual({ videoId: 'video-a', since: 'o-3' });
    expect(notesRead(server)).toBe(1);
  });

  it("resumes from the list's offset when no event came yet, and reads nothing again", async () => {
    const { server, tracker, markers } = rig();
    await following(server, tracker);
    expect(server.resend(EVENTS).variables).toEqual({ videoId: 'video-a', since: 'o-0' });
    tracker.reconnected();
    await vi.advanceTimersByTimeAsync(0);
    server.sinks.get(EVENTS)?.next(created('made while away', 3, 'o-1'));
    expect(notesRead(server)).toBe(1);
    expect(markers.get(7)).toEqual(['1 listed', '3 made while away']);
  });

  it('polls while the notes channel is off, and streams from a new list when it is back', async () => {
    const features = { server_notes_channel: true };
    const { server, tracker, markers } = rig(features);
    await following(server, tracker);
    server.sinks.get(EVENTS)?.next({
      data: {
        noteEvents: {
          __typename: 'NoteDeleted',
          offset: 'o-1',
          noteId: 'listed',
          videoId: 'video-a',
        },
      },
    });
    expect(markers.get(7)).toEqual([]);

    features.server_notes_channel = false;
    tracker.channelChanged();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.stopped).toEqual([EVENTS]);
    // The list answers the note as a read older than the deletion would: it stays deleted.
    expect(notesRead(server)).toBe(2);
    expect(markers.get(7)).toEqual([]);
    server.notes.push({ id: 'polled', version: 1, timestampSeconds: 4 });
    await vi.advanceTimersByTimeAsync(15_000);
    expect(notesRead(server)).toBe(3);
    expect(markers.get(7)).toEqual(['4 polled']);

    features.server_notes_channel = true;
    server.offset = 'o-5';
    tracker.channelChanged();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls.filter((name) => name === EVENTS || name === LIST).slice(-2)).toEqual([
      LIST,
      EVENTS,
    ]);
    expect(streams(server).at(-1)).toEqual({ videoId: 'video-a', since: 'o-5' });
    await vi.advanceTimersByTimeAsync(15_000);
    expect(notesRead(server)).toBe(4);
  });

  it.each(['EVENTS_EXPIRED', 'BAD_USER_INPUT'])(
    "reads the notes again and follows from the new list's offset when the server refuses the offset (%s)",
    async (code) => {
      const { server, tracker, markers, errors } = rig();
      await following(server, tracker);
      server.notes.push({ id: 'heard', version: 1, timestampSeconds: 5 });
      server.sinks.get(EVENTS)?.next(created('heard', 5, 'o-1'));
      server.resend(EVENTS);
      server.notes.push({ id: 'made while away', version: 1, timestampSeconds: 3 });
      server.offset = 'o-9';
      server.sinks.get(EVENTS)?.error?.('refused', [{ message: 'refused', extensions: { code } }]);
      await vi.advanceTimersByTimeAsync(0);
      expect(streams(server)).toEqual([
        { videoId: 'video-a', since: 'o-0' },
        { videoId: 'video-a', since: 'o-1' },
        { videoId: 'video-a', since: 'o-9' },
      ]);
      expect(server.calls.slice(-2)).toEqual([LIST, EVENTS]);
      expect(markers.get(7)).toEqual(['1 listed', '3 made while away', '5 heard']);
      expect(errors).toEqual([]);
    },
  );

  it('reports a refusal of the offset a list has just given, rather than reading again for ever', async () => {
    const { server, tracker, errors } = rig();
    await following(server, tracker);
    const refuse = () =>
      server.sinks
        .get(EVENTS)
        ?.error?.('refused', [{ message: 'bad video', extensions: { code: 'BAD_USER_INPUT' } }]);
    refuse();
    await vi.advanceTimersByTimeAsync(0);
    // Read again once: the first refusal may be an offset that expired on the way.
    expect(notesRead(server)).toBe(2);
    refuse();
    await vi.advanceTimersByTimeAsync(0);
    expect(notesRead(server)).toBe(2);
    expect(streams(server)).toHaveLength(2);
    expect(errors).toEqual(['notes.events_failed']);
    // Without a stream, the next reconnect starts over: the list, then the stream.
    tracker.reconnected();
    await vi.advanceTimersByTimeAsync(0);
    expect(notesRead(server)).toBe(3);
    expect(server.calls.filter((name) => name === EVENTS || name === LIST).slice(-2)).toEqual([
      LIST,
      EVENTS,
    ]);
  });
});
