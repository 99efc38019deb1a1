// Videos in frames. The content script runs in every frame (manifest `all_frames`), so the
// video of an embedded player (a YouTube or Vimeo embed on a blog, in a cross-origin iframe)
// is found where it plays. The worker knows one video per tab, so one frame at a time speaks
// for the tab: the top frame chooses it. A frame holding a video offers it to the top frame
// (`window.postMessage`: only a size, nothing of the reviewer's or of the frame's address);
// the top frame compares the offers with its own main video, the largest wins (as between two
// videos of one page), and tells each offering frame whether it was chosen. The chosen frame
// reports its video to the worker itself and draws the markers and answers the playhead;
// every other frame stays silent. The worker's messages reach every frame of the tab, and
// only the chosen one acts on them.
//
// Only the top frame's word counts for a frame (`event.source === window.top`), and only
// offers from frames of this page for the top frame. A page can fake these messages only to
// itself: the worst it can do is point Lossy at another of its own videos.

import { MIN_HEIGHT, MIN_WIDTH } from './main-video';
import { openShadowRoot, queryAll, rectOf } from './native';

const TAG = 'lossy-frames/1';

/**
 * A frame's video is chosen only once the frames' offers have been quiet this long: frames
 * load in any order (an ad's video often before the player's), and each choice makes the
 * worker identify that video on the server, which keeps it in the reviewer's library.
 */
export const SETTLE_MS = 1_000;

export type FrameMessage =
  /** A frame to the top frame: the area of its main video (0: none). */
  | { tag: typeof TAG; type: 'offer'; key: string; area: number }
  /** The top frame to the frames: offer again (the top frame's script (re)started). */
  | { tag: typeof TAG; type: 'ask' }
  /** The top frame to an offering frame: whether its video is the tab's. */
  | { tag: typeof TAG; type: 'choice'; key: string; chosen: boolean };

/** Ours, by its tag; every other field is still unchecked (any page can post anything). */
function isTagged(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null && (data as { tag?: unknown }).tag === TAG;
}

/** True in the top frame (and wherever `top` cannot be read, which only a top frame is). */
export function isTopFrame(): boolean {
  try {
    return window.top === window;
  } catch {
    return true;
  }
}

export interface Offer {
  key: string;
  /** The offered video's area, at most the frame's own on the page (CSS px²). */
  area: number;
}

/**
 * Whose video is the tab's: `'own'` (the top frame's), an offering frame's key, or null. The
 * largest wins; a tie goes to the top frame's own, then to the first offer.
 */
export function chooseVideo(ownArea: number, offers: readonly Offer[]): string | null {
  let best: Offer | null = null;
  for (const offer of offers) {
    if (offer.area > 0 && (!best || offer.area > best.area)) best = offer;
  }
  if (best && best.area > ownArea) return best.key;
  return ownArea > 0 ? 'own' : null;
}

export function areaOf(rect: { width: number; height: number }): number {
  return rect.width >= MIN_WIDTH && rect.height >= MIN_HEIGHT ? rect.width * rect.height : 0;
}

function post(target: MessageEventSource | Window | null, message: FrameMessage): void {
  try {
    // Any origin: the frames' origins are not ours to know, and nothing here is private.
    (target as Window | null)?.postMessage(message, '*');
  } catch {
    // A frame gone meanwhile.
  }
}

/** Every frame window below `root`, depth first (cross-origin windows expose `frames`). */
function descendants(root: Window): Window[] {
  const found: Window[] = [];
  const pending: Window[] = [root];
  for (let next = pending.pop(); next; next = pending.pop()) {
    let count = 0;
    try {
      count = next.frames.length;
    } catch {
      count = 0;
    }
    for (let i = 0; i < count; i += 1) {
      try {
        const child = next.frames[i];
        if (child) {
          found.push(child);
          pending.push(child);
        }
      } catch {
        // A frame detached while we walked.
      }
    }
  }
  return found;
}

/** The <iframe> (or <frame>) of this document, open shadow roots included, holding `win`. */
function frameElementOf(win: Window): Element | null {
  // A frame several levels down: climb to the child of this window that contains it.
  let child: Window = win;
  try {
    for (let hops = 0; child.parent !== window && hops < 32; hops += 1) {
      if (child.parent === child) return null;
      child = child.parent;
    }
    if (child.parent !== window) return null;
  } catch {
    return null;
  }
  const pending: (Document | ShadowRoot)[] = [document];
  for (let root = pending.pop(); root; root = pending.pop()) {
    for (const element of queryAll(root, 'iframe, frame')) {
      if ((element as HTMLIFrameElement).contentWindow === child) return element;
    }
    for (const element of queryAll(root, '*')) {
      const shadow = openShadowRoot(element);
      if (shadow) pending.push(shadow);
    }
  }
  return null;
}

function rendered(element: Element): boolean {
  try {
    return element.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  } catch {
    return true;
  }
}

/** The top frame's side: the frames' offers and its choice. */
export class FrameChooser {
  private readonly offers = new Map<string, { source: MessageEventSource; area: number }>();
  private chosen: string | null = null;
  private lastOfferAt = -Infinity;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly changed: () => void) {}

  /** Listens to the frames' offers until `signal` aborts, and asks them for one now. */
  listen(signal: AbortSignal): void {
    window.addEventListener(
      'message',
      (event) => {
        const data: unknown = event.data;
        if (!isTagged(data) || data.type !== 'offer' || !event.source) return;
        if (typeof data.key !== 'string' || typeof data.area !== 'number') return;
        if (event.source === window) return;
        const held = this.offers.get(data.key);
        if (data.area > 0) this.offers.set(data.key, { source: event.source, area: data.area });
        else this.offers.delete(data.key);
        // The same offer again (the frame was asked, or navigated): it hears the choice again.
        if (held?.area === data.area) {
          this.confirm(data.key);
        } else {
          this.lastOfferAt = performance.now();
          this.changed();
        }
      },
      { signal },
    );
    signal.addEventListener('abort', () => {
      clearTimeout(this.settleTimer);
      this.settleTimer = undefined;
    });
    for (const frame of descendants(window)) post(frame, { tag: TAG, type: 'ask' });
  }

  /**
   * Chooses between the top frame's own video (`ownArea`) and the frames' offers; tells the
   * frames that gained or lost the choice. Returns the choice (see `chooseVideo`).
   */
  choose(ownArea: number): string | null {
    const offers: Offer[] = [];
    for (const [key, offer] of this.offers) {
      const element = frameElementOf(offer.source as Window);
      if (!element) {
        // The frame is gone (or is not one of this page's): forget its offer.
        this.offers.delete(key);
        continue;
      }
      const frameArea = rendered(element) ? areaOf(rectOf(element)) : 0;
      offers.push({ key, area: Math.min(offer.area, frameArea) });
    }
    // Until the offers settle, no frame newly wins; the one chosen keeps its place while its
    // video is there, and the page's own video can still take it back.
    const quietFor = performance.now() - this.lastOfferAt;
    const settled = quietFor >= SETTLE_MS;
    if (!settled && this.settleTimer === undefined) {
      this.settleTimer = setTimeout(() => {
        this.settleTimer = undefined;
        this.changed();
      }, SETTLE_MS - quietFor);
    }
    const choice = chooseVideo(
      ownArea,
      settled ? offers : offers.filter((offer) => offer.key === this.chosen),
    );
    const before = this.chosen;
    this.chosen = choice === 'own' ? null : choice;
    if (before !== this.chosen) {
      if (before) post(this.offers.get(before)?.source ?? null, choiceOf(before, false));
      if (this.chosen)
        post(this.offers.get(this.chosen)?.source ?? null, choiceOf(this.chosen, true));
    }
    return choice;
  }

  private confirm(key: string): void {
    if (key === this.chosen) post(this.offers.get(key)?.source ?? null, choiceOf(key, true));
  }
}

function choiceOf(key: string, chosen: boolean): FrameMessage {
  return { tag: TAG, type: 'choice', key, chosen };
}

/** A frame's side: its offers to the top frame and the top frame's choice. */
export class FrameOffer {
  readonly key = randomKey();
  private area = 0;
  private chosenNow = false;

  constructor(private readonly changed: () => void) {}

  get chosen(): boolean {
    return this.chosenNow;
  }

  /** Listens to the top frame until `signal` aborts. */
  listen(signal: AbortSignal): void {
    window.addEventListener(
      'message',
      (event) => {
        const data: unknown = event.data;
        if (!isTagged(data) || event.source !== window.top) return;
        if (data.type === 'ask') {
          this.send();
        } else if (data.type === 'choice' && data.key === this.key) {
          const chosen = data.chosen === true;
          if (this.chosenNow === chosen) return;
          this.chosenNow = chosen;
          this.changed();
        }
      },
      { signal },
    );
  }

  /** Offers a video of `area` (0: none) to the top frame when it differs from the last. */
  offer(area: number): void {
    if (area === this.area) return;
    this.area = area;
    if (area === 0) this.chosenNow = false;
    this.send();
  }

  private send(): void {
    post(window.top, { tag: TAG, type: 'offer', key: this.key, area: this.area });
  }
}

/** A random id; `crypto.randomUUID` exists only in secure contexts (not on an http page). */
export function randomKey(): string {
  try {
    if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  } catch {
    // Fall through.
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // RFC 4122 version 4: the server's pageInstanceId is a UUID.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
