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
  /** Answers `WorkerNotes` with these. */
  notes: { id: string; version: number; timestampSeconds: number }[] = [];
  held = new Map<string, () => void>();
  hold = false;

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
    if (name === 'WorkerNotes') {
      const edges = this.notes.map((note) => ({ node: workerNote(note) }));
      return Promise.resolve({
        data: { notes: { edges, pageInfo: { hasNextPage: false, endCursor: null } } },
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
    return () => undefined;
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

function rig() {
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
    feature: () => true,
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

describe("a video's notes across reconnects", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const EVENTS = 'WorkerNoteEvents';
  const created = (id: string, seconds: number, offset: string): GraphqlResult => ({
    data: {
      noteEvents: {
        __typename: 'NoteCreated',
        offset,
        note: workerNote({ id, version: 1, timestampSeconds: seconds }),
      },
    },
  });
  const notesRead = (server: FakeServer) =>
    server.calls.filter((name) => name === 'WorkerNotes').length;

  async function following(server: FakeServer, tracker: VideoTracker) {
    server.notes = [{ id: 'listed', version: 1, timestampSeconds: 1 }];
    await tracker.pageVideo(7, page('page-1', 'https://example.com/a'));
    await vi.advanceTimersByTimeAsync(0);
    // Subscribed first, then read, from now.
    expect(server.calls.filter((name) => name === EVENTS || name === 'WorkerNotes')).toEqual([
      EVENTS,
      'WorkerNotes',
    ]);
    expect(server.sent.find((op) => nameOf(op) === EVENTS)?.variables).toEqual({
      videoId: 'video-a',
    });
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

  it('reads the notes again when its stream is sent again from now (no event applied yet)', async () => {
    const { server, tracker, markers } = rig();
    await following(server, tracker);
    server.notes.push({ id: 'made while away', version: 1, timestampSeconds: 3 });
    expect(server.resend(EVENTS).variables).toEqual({ videoId: 'video-a' });
    await vi.advanceTimersByTimeAsync(0);
    expect(notesRead(server)).toBe(2);
    expect(markers.get(7)).toEqual(['1 listed', '3 made while away']);
  });

  it.each(['EVENTS_EXPIRED', 'BAD_USER_INPUT'])(
    'follows from now and reads the notes again when the server refuses the offset (%s)',
    async (code) => {
      const { server, tracker, markers, errors } = rig();
      await following(server, tracker);
      server.notes.push({ id: 'heard', version: 1, timestampSeconds: 5 });
      server.sinks.get(EVENTS)?.next(created('heard', 5, 'o-1'));
      server.resend(EVENTS);
      server.notes.push({ id: 'made while away', version: 1, timestampSeconds: 3 });
      server.sinks.get(EVENTS)?.error?.('refused', [{ message: 'refused', extensions: { code } }]);
      await vi.advanceTimersByTimeAsync(0);
      const streams = server.sent.filter((op) => nameOf(op) === EVENTS);
      expect(streams.map((op) => op.variables)).toEqual([
        { videoId: 'video-a' },
        { videoId: 'video-a', since: 'o-1' },
        { videoId: 'video-a' },
      ]);
      expect(server.calls.slice(-2)).toEqual([EVENTS, 'WorkerNotes']);
      expect(markers.get(7)).toEqual(['1 listed', '3 made while away', '5 heard']);
      expect(errors).toEqual([]);
    },
  );

  it('reports a stream refused without an offset, rather than starting over for ever', async () => {
    const { server, tracker, errors } = rig();
    await following(server, tracker);
    server.sinks
      .get(EVENTS)
      ?.error?.('refused', [{ message: 'bad video', extensions: { code: 'BAD_USER_INPUT' } }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.sent.filter((op) => nameOf(op) === EVENTS)).toHaveLength(1);
    expect(errors).toEqual(['notes.events_failed']);
    // Without a stream, the next reconnect reads the notes.
    tracker.reconnected();
    await vi.advanceTimersByTimeAsync(0);
    expect(notesRead(server)).toBe(2);
  });
});
