// Pages and videos: which tab shows which video (detectVideo), each open video's notes sent
// to its tabs as markers, which tab each window shows, and the video context as each of those
// tabs sees it. A video's notes come the way the side panel's do (`followVideoNotes`,
// src/shared/videoNotes.ts): its list, then `noteEvents` from the offset the list was read at
// (PROTOCOL.md section 6.1). The stream then keeps the offset of the last event applied and,
// when the socket comes back, resumes after it, so nothing is read again; the notes are read
// again only when the server can no longer resume (past its retention).

import type { NoteSet } from '@lossy/common/notes';

import type { ExtensionState, GraphqlResult, PageVideo, WorkerToContent } from '@/shared/messages';
import { sinceOf } from '@/shared/stream';
import { followVideoNotes, type NotesTransport, type VideoNotes } from '@/shared/videoNotes';

import {
  ClaimVideoContextDocument,
  DetectVideoDocument,
  MarkerNotesDocument,
  NoteEventsDocument,
  text,
  VideoContextEventsDocument,
} from '../operations';
import type { Socket } from '../socket/socket';
import { contextView, type ContextEvent } from './context';
import { markersOf, type VideoNote } from './notes';
import {
  claimingTab,
  NO_WINDOWS,
  shownTab,
  tabActivated,
  tabClosed,
  windowClosed,
  windowFocused,
  type Windows,
} from './windows';

/** How often the owner renews its lease on the video context: a third of the server's default
 * lease (15 s), so one lost renewal does not lose the context. */
const RENEW_MS = 5_000;

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

/** A tab's video as the tracker knows it, whichever window shows the tab (or none does). */
export interface TrackedVideo {
  tabId: number;
  videoId: string;
  pageInstanceId: string;
  durationSeconds: number | null;
  /** The video context as this tab sees it. */
  context: ExtensionState['context'];
}

interface VideoBook {
  /** Its notes: the list, then the stream from the list's offset (or the list polled). */
  feed: VideoNotes<VideoNote>;
}

function firstError(result: GraphqlResult): string | null {
  return result.errors?.[0]?.message ?? null;
}

export class VideoTracker {
  private readonly tabs = new Map<number, TabVideo>();
  /** Tabs whose page's video the server is identifying now (`detectVideo` asked). */
  private readonly identifying = new Map<number, number>();
  private readonly books = new Map<string, VideoBook>();
  private windows: Windows = NO_WINDOWS;
  private lastContext: ContextEvent | null = null;
  private stopContextEvents: (() => void) | null = null;
  private renewTimer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly deps: TrackerDeps) {}

  /** Starts following the user's video context (once; it survives reconnects). */
  start(): void {
    // The owner keeps its lease by claiming again within it (docs/video-context.md): a claim
    // that changes nothing only renews, and sends no event. Without this the context lapsed
    // 15 s after the last claim and every panel showed it free.
    this.renewTimer ??= setInterval(() => void this.renewLease(), RENEW_MS);
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

  /** What the panels of `windowId` show: its tab's video and context (`null`: the focused
   * window's, for a panel that did not say its window). */
  state(windowId: number | null): Pick<ExtensionState, 'video' | 'context'> {
    return this.tabState(shownTab(this.windows, windowId));
  }

  private tabState(tabId: number | null): Pick<ExtensionState, 'video' | 'context'> {
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

  /**
   * `tabId`'s video now, whether or not its window shows it (a tab in the background can
   * navigate too): null when the tab shows no video (or is gone), undefined while the server
   * identifies its page's video (the tab's last answer would be stale). A context its own
   * earlier page held (the tab navigated to another video; nobody claimed since) is
   * `available` to it, not `taken`: nothing else holds it, and its lease lapses anyway.
   */
  videoOf(tabId: number): TrackedVideo | null | undefined {
    if (this.identifying.has(tabId)) return undefined;
    const tab = this.tabs.get(tabId);
    if (!tab?.video) return null;
    let { context } = this.tabState(tabId);
    const owner = this.lastContext?.context?.owner;
    if (context === 'taken' && owner?.deviceId === this.deps.deviceId() && owner.tabId === tabId) {
      context = 'available';
    }
    return {
      tabId,
      videoId: tab.video.id,
      pageInstanceId: tab.page.pageInstanceId,
      durationSeconds: tab.page.durationSeconds,
      context,
    };
  }

  /** The pages with a video, by tab: kept in session storage so a restarted worker knows them. */
  pages(): Record<number, PageVideo> {
    return Object.fromEntries([...this.tabs].map(([tabId, tab]) => [tabId, tab.page]));
  }

  /** Which tab each window shows, for session storage. */
  get windowsView(): Windows {
    return this.windows;
  }

  /** The tab `windowId`'s panels act on (seek, playhead, take over). */
  tabOf(windowId: number | null): number | null {
    return shownTab(this.windows, windowId);
  }

  /** A (re)started worker's reading of the open windows; claims for the focused one. */
  async restoreWindows(windows: Windows): Promise<void> {
    this.windows = windows;
    this.deps.changed();
    await this.claim(claimingTab(this.windows), false);
  }

  /** A tab (not one of the extension's pages) became its window's active tab. */
  async activate(windowId: number, tabId: number): Promise<void> {
    await this.setWindows(tabActivated(this.windows, windowId, tabId));
  }

  /** The reviewer moved to another window (`null`: out of the browser). */
  async focus(windowId: number | null): Promise<void> {
    await this.setWindows(windowFocused(this.windows, windowId));
  }

  windowClosed(windowId: number): void {
    void this.setWindows(windowClosed(this.windows, windowId));
  }

  /** Only the focused window's tab claims by itself: the last active tab wins. */
  private async setWindows(next: Windows): Promise<void> {
    if (next === this.windows) return;
    const claimingBefore = claimingTab(this.windows);
    this.windows = next;
    this.deps.changed();
    const claiming = claimingTab(next);
    if (claiming !== claimingBefore) await this.claim(claiming, false);
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
    // Counted, not flagged: a page reports again while its first answer is on its way.
    this.identifying.set(tabId, (this.identifying.get(tabId) ?? 0) + 1);
    let result: GraphqlResult;
    try {
      result = await this.deps.socket.request({
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
    } finally {
      const left = (this.identifying.get(tabId) ?? 1) - 1;
      if (left > 0) this.identifying.set(tabId, left);
      else this.identifying.delete(tabId);
    }
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
    if (tabId === claimingTab(this.windows)) await this.claim(tabId, false);
  }

  tabClosed(tabId: number): void {
    const tab = this.tabs.get(tabId);
    this.tabs.delete(tabId);
    this.release(tab?.video?.id);
    this.windows = tabClosed(this.windows, tabId);
    this.deps.changed();
  }

  /** The focused window's tab claims the context unless it owns it already. */
  async claimFocused(): Promise<void> {
    await this.claim(claimingTab(this.windows), false);
  }

  /** Makes `tabId` the owner of the user's video context; `takeOver` claims even when this
   * worker believes the tab owns it already (the reviewer's "Take over"). */
  async claim(tabId: number | null, takeOver: boolean): Promise<void> {
    const tab = tabId === null ? undefined : this.tabs.get(tabId);
    if (!this.deps.feature('server_video_context') || tabId === null || !tab?.video) return;
    if (!takeOver && this.tabState(tabId).context === 'owner') return;
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

  /** While one of this browser's tabs owns the context (focused or not: "Take over" from a
   * window left in the background), claims it again for that tab to renew the lease. */
  private async renewLease(): Promise<void> {
    const owner = this.lastContext?.context?.owner;
    if (!this.deps.socket.connected || !owner || owner.deviceId !== this.deps.deviceId()) return;
    if (this.tabs.get(owner.tabId)?.page.pageInstanceId !== owner.pageInstanceId) return;
    await this.claim(owner.tabId, true);
  }

  /** After a reconnect. A video's stream was sent again by the socket as it was acknowledged,
   * after its offset; a video without one (polled, its stream failed, its list unfinished) is
   * read again. */
  reconnected(): void {
    for (const book of this.books.values()) book.feed.reconnected();
    void this.claimFocused();
  }

  /** `server_notes_channel` changed: stream (from a list read now) or poll. */
  channelChanged(): void {
    for (const [videoId, book] of this.books) {
      book.feed.stop();
      book.feed = this.feed(videoId, book.feed.notes);
    }
  }

  private follow(videoId: string): void {
    if (this.books.has(videoId)) return;
    this.books.set(videoId, { feed: this.feed(videoId) });
  }

  private feed(videoId: string, initial?: NoteSet<VideoNote>): VideoNotes<VideoNote> {
    const socket = this.deps.socket;
    const transport: NotesTransport = {
      read: (operation) => socket.request(operation),
      follow: (operation, sink) =>
        socket.subscribe(operation, {
          next: (result) => sink.next(result),
          error: (message, errors) => sink.error(message, errors),
          complete: () => sink.complete(),
          resent: (payload) => sink.restarted(sinceOf(payload)),
        }),
    };
    return followVideoNotes<VideoNote>({
      transport,
      page: (after) => ({ query: text(MarkerNotesDocument), variables: { videoId, after } }),
      events: (since) => ({ query: text(NoteEventsDocument), variables: { videoId, since } }),
      streaming: this.deps.feature('server_notes_channel'),
      pollMs: POLL_MS,
      ...(initial ? { initial } : {}),
      changed: (notes) => this.sendMarkers(videoId, notes),
      failed: (what, message) =>
        this.deps.error(what === 'list' ? 'notes.load_failed' : 'notes.events_failed', message),
    });
  }

  private release(videoId: string | undefined): void {
    if (!videoId) return;
    for (const tab of this.tabs.values()) if (tab.video?.id === videoId) return;
    const book = this.books.get(videoId);
    this.books.delete(videoId);
    book?.feed.stop();
  }

  private sendMarkers(videoId: string, notes = this.books.get(videoId)?.feed.notes): void {
    if (!notes) return;
    const markers = markersOf(notes.sorted);
    for (const [tabId, tab] of this.tabs) {
      if (tab.video?.id === videoId) this.deps.sendToTab(tabId, { kind: 'page/markers', markers });
    }
  }
}
