// The tracker's answer to "what does this tab show now?" (`videoOf`), which the voice loop
// follows: for a tab whichever window shows it, a tab left in the background included.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { GraphqlOperation, GraphqlResult, PageVideo } from '@/shared/messages';

import type { Socket } from '../socket/socket';
import { VideoTracker } from './tracker';

function nameOf(operation: GraphqlOperation): string {
  return /(?:mutation|query|subscription) (\w+)/.exec(operation.query)?.[1] ?? '?';
}

/** The server's side: `detectVideo` answers by URL (held until released, when asked to). */
class FakeServer {
  connected = true;
  calls: string[] = [];
  sinks = new Map<string, { next(result: GraphqlResult): void }>();
  held = new Map<string, () => void>();
  hold = false;

  request(operation: GraphqlOperation): Promise<GraphqlResult> {
    const name = nameOf(operation);
    this.calls.push(name);
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
      return Promise.resolve({
        data: { notes: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
      });
    }
    return Promise.resolve({ data: null });
  }

  subscribe(operation: GraphqlOperation, sink: { next(result: GraphqlResult): void }) {
    this.sinks.set(nameOf(operation), sink);
    return () => undefined;
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

const page = (pageInstanceId: string, url: string): PageVideo => ({
  url,
  title: null,
  durationSeconds: 120,
  pageInstanceId,
});

function rig() {
  const server = new FakeServer();
  const tracker = new VideoTracker({
    socket: server as unknown as Socket,
    sendToTab: () => undefined,
    changed: () => undefined,
    deviceId: () => 'device-1',
    feature: () => true,
    error: () => undefined,
    checkIdentity: () => undefined,
  });
  tracker.start();
  return { server, tracker };
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
