// The mock mode's tab: a `chrome.runtime` shim for the real content script (src/content),
// which runs in the mock page itself, and the worker's side of its messages (in the extension,
// src/background/videos/tracker.ts): the page's `page/video`, the mock video's notes sent as
// `page/markers` on every change of the backend's store, and the panel's seek and playhead
// handed to the page. Like Chrome's, messages arrive asynchronously, except the playhead's
// answer, which the content script gives from inside its listener.

import { markersOf } from '@/background/videos/notes';
import type { PageVideo, PlayheadAnswer, WorkerToContent } from '@/shared/messages';

import type { MockStore } from './backend';

type Sender = { id: string; tab: { id: number } };
type Listener = (message: unknown, sender: Sender, respond: (answer: unknown) => void) => unknown;

/** The part of `chrome.runtime` the content script uses (src/content/worker.ts). */
export interface RuntimeShim {
  id: string;
  sendMessage(message: unknown): Promise<unknown>;
  onMessage: {
    addListener(listener: Listener): void;
    removeListener(listener: Listener): void;
  };
}

export interface FakeTabOptions {
  store: MockStore;
  videoId: string;
  tabId: number;
  /** Whether the worker has the page's video identified (signed in, a video): else no markers. */
  identified?: () => boolean;
}

export interface FakeTab {
  readonly runtime: RuntimeShim;
  /** What the page's content script last reported. */
  readonly video: PageVideo | null;
  /** The notes whose markers were clicked on the page, oldest first. */
  readonly clicked: readonly string[];
  /** Sends the page the markers again (after the worker's state changed). */
  refresh(): void;
  seek(seconds: number): void;
  /** Asks the page; no video (or no page) answers nothing, which reads as no playhead. */
  playhead(): PlayheadAnswer;
  /** Calls `listener` after every report or click; answers a function that stops it. */
  onChange: (listener: () => void) => () => void;
  stop(): void;
}

const RUNTIME_ID = 'lossy-mock';
const NO_PLAYHEAD: PlayheadAnswer = { seconds: null, playing: false };

export function createFakeTab(options: FakeTabOptions): FakeTab {
  const { store, videoId, tabId } = options;
  const identified = options.identified ?? (() => true);
  const listeners = new Set<Listener>();
  const changeListeners = new Set<() => void>();
  const sender: Sender = { id: RUNTIME_ID, tab: { id: tabId } };
  let video: PageVideo | null = null;
  const clicked: string[] = [];

  const changed = () => {
    for (const listener of [...changeListeners]) listener();
  };

  /** Delivers to the page now; the answer of the first listener that gives one. */
  const deliverNow = (message: WorkerToContent): unknown => {
    let answer: unknown;
    let answered = false;
    for (const listener of [...listeners]) {
      listener(message, sender, (value) => {
        if (answered) return;
        answered = true;
        answer = value;
      });
    }
    return answer;
  };
  const deliver = (message: WorkerToContent) => {
    setTimeout(() => deliverNow(message), 0);
  };

  const sendMarkers = () => {
    if (!video) return;
    const markers = identified() ? markersOf(store.notesOf(videoId)) : [];
    deliver({ kind: 'page/markers', markers });
  };
  const onNote = () => sendMarkers();
  store.noteListeners.add(onNote);

  const runtime: RuntimeShim = {
    id: RUNTIME_ID,
    sendMessage(message) {
      const request = message as { kind?: string; video?: PageVideo | null; noteId?: string };
      if (request.kind === 'page/video') {
        video = request.video ?? null;
        sendMarkers();
        changed();
      } else if (request.kind === 'page/marker-clicked' && typeof request.noteId === 'string') {
        clicked.push(request.noteId);
        changed();
      }
      return new Promise((resolve) => setTimeout(() => resolve(undefined), 0));
    },
    onMessage: {
      addListener: (listener) => listeners.add(listener),
      removeListener: (listener) => listeners.delete(listener),
    },
  };

  return {
    runtime,
    get video() {
      return video;
    },
    clicked,
    refresh: sendMarkers,
    seek(seconds) {
      deliver({ kind: 'page/seek', seconds });
    },
    playhead() {
      const answer = deliverNow({ kind: 'page/playhead' }) as PlayheadAnswer | undefined;
      return answer ?? NO_PLAYHEAD;
    },
    onChange: (listener) => {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    stop() {
      store.noteListeners.delete(onNote);
      listeners.clear();
    },
  };
}

/**
 * Gives the page a `chrome.runtime` (an ordinary tab has none), so the content script finds
 * the mock worker where it looks for the extension.
 */
export function installRuntime(runtime: RuntimeShim): void {
  const scope = globalThis as { chrome?: Record<string, unknown> };
  scope.chrome = { ...(scope.chrome ?? {}), runtime };
}
