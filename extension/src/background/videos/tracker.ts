// Pages and videos: which tab shows which video (detectVideo), each open video's notes
// (query, then noteEvents) sent to its tabs as markers, and the active tab's video context.

import type { ExtensionState, GraphqlResult, PageVideo, WorkerToContent } from '@/shared/messages';

import {
  ClaimVideoContextDocument,
  DetectVideoDocument,
  NoteEventsDocument,
  NotesDocument,
  text,
  VideoContextEventsDocument,
} from '../operations';
import type { Socket } from '../socket/socket';
import { contextView, type ContextEvent } from './context';
import { applyChange, changeOf, markersOf, type VideoNote } from './notes';

/** Without the notes channel, the worker re-reads a video's notes this often. */
const POLL_MS = 15_000;

export interface TrackerDeps {
  socket: Socket;
  sendToTab(tabId: number, message: WorkerToContent): void;
  changed(): void;
  deviceId(): string | null;
  feature(name: string): boolean;
  error(name: string, message: string): void;
  /** Compares the server's identity of a page's video with the extension's own reading. */
  checkIdentity(url: string, server: { platform: string; externalId: string }): void;
}

interface TabVideo {
  page: PageVideo;
  video: { id: string; platform: string; title: string | null } | null;
}

interface VideoBook {
  notes: Map<string, VideoNote>;
  stop: (() => void) | null;
  poll: ReturnType<typeof setInterval> | null;
}

function firstError(result: GraphqlResult): string | null {
  return result.errors?.[0]?.message ?? null;
}

export class VideoTracker {
  private readonly tabs = new Map<number, TabVideo>();
  private readonly books = new Map<string, VideoBook>();
  private activeTabId: number | null = null;
  private lastContext: ContextEvent | null = null;
  private stopContextEvents: (() => void) | null = null;

  constructor(private readonly deps: TrackerDeps) {}

  /** Starts following the user's video context (once; it survives reconnects). */
  start(): void {
    this.stopContextEvents ??= this.deps.socket.subscribe(
      { query: text(VideoContextEventsDocument) },
      {
        next: (result) => {
          const event = (result.data as { videoContextEvents?: ContextEvent } | null)
            ?.videoContextEvents;
          if (event) {
            this.lastContext = event;
            this.deps.changed();
          }
        },
        error: (message) => {
          this.stopContextEvents = null;
          this.deps.error('context.events_failed', message);
        },
        complete: () => {
          this.stopContextEvents = null;
        },
      },
    );
  }

  get state(): Pick<ExtensionState, 'video' | 'context'> {
    const tabId = this.activeTabId;
    const tab = tabId === null ? undefined : this.tabs.get(tabId);
    const video = tab?.video && tabId !== null ? { ...tab.video, tabId } : null;
    const deviceId = this.deps.deviceId();
    return {
      video,
      context: contextView(
        this.deps.feature('server_video_context'),
        video && deviceId && tab
          ? {
              deviceId,
              tabId: video.tabId,
              pageInstanceId: tab.page.pageInstanceId,
              videoId: video.id,
            }
          : null,
        this.lastContext,
      ),
    };
  }

  /** The pages with a video, by tab: kept in session storage so a restarted worker knows them. */
  pages(): Record<number, PageVideo> {
    return Object.fromEntries([...this.tabs].map(([tabId, tab]) => [tabId, tab.page]));
  }

  get activeTab(): number | null {
    return this.activeTabId;
  }

  async activate(tabId: number | null): Promise<void> {
    if (tabId === this.activeTabId) return;
    this.activeTabId = tabId;
    this.deps.changed();
    await this.claim(false);
  }

  /** A content script reported its page's video (or that it has none). */
  async pageVideo(tabId: number, page: PageVideo | null): Promise<void> {
    const before = this.tabs.get(tabId);
    if (!page) {
      this.tabs.delete(tabId);
      this.release(before?.video?.id);
      this.deps.changed();
      return;
    }
    const result = await this.deps.socket.request({
      query: text(DetectVideoDocument),
      variables: {
        input: {
          url: page.url,
          title: page.title,
          durationSeconds: page.durationSeconds,
          tabId,
          pageInstanceId: page.pageInstanceId,
        },
      },
    });
    const detected =
      (
        result.data as {
          detectVideo?: NonNullable<TabVideo['video']> & { externalId: string };
        } | null
      )?.detectVideo ?? null;
    if (!detected) {
      this.deps.error('video.detect_failed', firstError(result) ?? 'no video');
      return;
    }
    this.deps.checkIdentity(page.url, detected);
    const video = { id: detected.id, platform: detected.platform, title: detected.title };
    this.tabs.set(tabId, { page, video });
    if (before?.video && before.video.id !== video.id) this.release(before.video.id);
    this.follow(video.id);
    this.sendMarkers(video.id);
    this.deps.changed();
    if (tabId === this.activeTabId) await this.claim(false);
  }

  tabClosed(tabId: number): void {
    const tab = this.tabs.get(tabId);
    this.tabs.delete(tabId);
    this.release(tab?.video?.id);
    if (tabId === this.activeTabId) this.activeTabId = null;
    this.deps.changed();
  }

  /** Makes the active tab the owner of the user's video context (the last active tab wins). */
  async claim(takeOver: boolean): Promise<void> {
    const tabId = this.activeTabId;
    const tab = tabId === null ? undefined : this.tabs.get(tabId);
    if (!this.deps.feature('server_video_context') || tabId === null || !tab?.video) return;
    if (!takeOver && this.state.context === 'owner') return;
    const result = await this.deps.socket.request({
      query: text(ClaimVideoContextDocument),
      variables: {
        input: {
          videoId: tab.video.id,
          tabId,
          pageInstanceId: tab.page.pageInstanceId,
          currentUrl: tab.page.url,
        },
      },
    });
    const context = (result.data as { claimVideoContext?: ContextEvent['context'] } | null)
      ?.claimVideoContext;
    if (context) {
      this.lastContext = { kind: 'CONTEXT_UPDATED', context };
      this.deps.changed();
    } else {
      this.deps.error('context.claim_failed', firstError(result) ?? 'no context');
    }
  }

  /** After a reconnect: events sent while we were away are read again by query. */
  reconnected(): void {
    for (const videoId of this.books.keys()) void this.load(videoId);
    void this.claim(false);
  }

  /** `server_notes_channel` changed: stream or poll. */
  channelChanged(): void {
    for (const [videoId, book] of this.books) {
      book.stop?.();
      if (book.poll) clearInterval(book.poll);
      book.stop = null;
      book.poll = null;
      this.watch(videoId, book);
    }
  }

  private follow(videoId: string): void {
    if (this.books.has(videoId)) return;
    const book: VideoBook = { notes: new Map(), stop: null, poll: null };
    this.books.set(videoId, book);
    this.watch(videoId, book);
    void this.load(videoId);
  }

  private watch(videoId: string, book: VideoBook): void {
    if (!this.deps.feature('server_notes_channel')) {
      book.poll = setInterval(() => void this.load(videoId), POLL_MS);
      return;
    }
    // Subscribed before the query runs (one socket keeps that order), so nothing falls
    // between the two; the version merge makes the overlap harmless.
    book.stop = this.deps.socket.subscribe(
      { query: text(NoteEventsDocument), variables: { videoId } },
      {
        next: (result) => {
          const change = changeOf((result.data as { noteEvents?: unknown } | null)?.noteEvents);
          if (change && applyChange(book.notes, change)) this.sendMarkers(videoId);
        },
        error: (message) => this.deps.error('notes.events_failed', message),
        complete: () => undefined,
      },
    );
  }

  private async load(videoId: string): Promise<void> {
    let after: string | null = null;
    const seen = new Set<string>();
    for (;;) {
      const result = await this.deps.socket.request({
        query: text(NotesDocument),
        variables: { videoId, after, filter: { includeSuppressed: true } },
      });
      const book = this.books.get(videoId);
      if (!book) return;
      const page = (result.data as { notes?: NotesPage } | null)?.notes;
      if (!page) {
        this.deps.error('notes.load_failed', firstError(result) ?? 'no notes');
        return;
      }
      for (const edge of page.edges) {
        seen.add(edge.node.id);
        applyChange(book.notes, { kind: 'upsert', note: edge.node });
      }
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const book = this.books.get(videoId);
    if (!book) return;
    // A note the full list no longer has was deleted while we were not listening.
    for (const id of book.notes.keys()) {
      if (!seen.has(id)) applyChange(book.notes, { kind: 'deleted', noteId: id });
    }
    this.sendMarkers(videoId);
  }

  private release(videoId: string | undefined): void {
    if (!videoId) return;
    for (const tab of this.tabs.values()) if (tab.video?.id === videoId) return;
    const book = this.books.get(videoId);
    this.books.delete(videoId);
    book?.stop?.();
    if (book?.poll) clearInterval(book.poll);
  }

  private sendMarkers(videoId: string): void {
    const book = this.books.get(videoId);
    if (!book) return;
    const markers = markersOf(book.notes.values());
    for (const [tabId, tab] of this.tabs) {
      if (tab.video?.id === videoId) this.deps.sendToTab(tabId, { kind: 'page/markers', markers });
    }
  }
}

interface NotesPage {
  edges: { node: VideoNote }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
