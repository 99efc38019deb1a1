// Helpers for the content script's specs: what the service worker hears from the pages, what
// it sends them, and what the markers' overlay shows. The overlay's shadow root is closed, so
// the page (and Playwright's selectors) cannot reach in; the DevTools protocol can, from an
// isolated world the page's overrides of `Element.prototype` do not touch.

import type { Frame, Page, Worker } from '@playwright/test';

/** The part of the extension API the worker-side snippets use (the rig has no chrome types). */
interface ChromeApi {
  runtime: {
    onMessage: {
      addListener(
        listener: (message: unknown, sender: { tab?: { id?: number }; frameId?: number; url?: string }) => void,
      ): void;
    };
  };
  tabs: { sendMessage(tabId: number, message: unknown): Promise<unknown> };
}

export interface Seen {
  message: { kind: string; video?: Record<string, unknown> | null; noteId?: string };
  tabId: number | null;
  /** 0 for the top frame. */
  frameId: number | null;
  /** The address of the frame that sent it. */
  url: string | null;
}

/** Records every message the worker receives from content scripts, from now on. */
export async function recordMessages(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    const scope = globalThis as unknown as { lossySeen: unknown[] };
    scope.lossySeen = [];
    const chrome = (globalThis as unknown as { chrome: ChromeApi }).chrome;
    chrome.runtime.onMessage.addListener((message: unknown, sender) => {
      scope.lossySeen.push({
        message,
        tabId: sender.tab?.id ?? null,
        frameId: sender.frameId ?? null,
        url: sender.url ?? null,
      });
    });
  });
}

export function seen(worker: Worker): Promise<Seen[]> {
  return worker.evaluate(() => (globalThis as unknown as { lossySeen: Seen[] }).lossySeen);
}

export async function lastVideo(worker: Worker): Promise<Seen | undefined> {
  return (await seen(worker)).filter((s) => s.message.kind === 'page/video').at(-1);
}

/** `chrome.tabs.sendMessage` from the worker: every frame of the tab hears it. */
export function toTab(worker: Worker, tabId: number, message: unknown): Promise<unknown> {
  return worker.evaluate(
    ([id, m]) => (globalThis as unknown as { chrome: ChromeApi }).chrome.tabs.sendMessage(id as number, m),
    [tabId, message] as const,
  );
}

/** A rectangle in the viewport of the frame that holds it. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OverlayMarker {
  noteId: string;
  /** The button's accessible name. */
  label: string;
  /** The button: its hit area. */
  box: Box;
  /** The visible tick inside it (null for a row of a group's card). */
  tick: Box | null;
  tickColor: string | null;
}

export interface OverlayView {
  host: Box;
  markers: OverlayMarker[];
  /** The cards one can see now (hovered or focused markers). */
  cards: { text: string; box: Box; rows: number }[];
  /** The accessible name of the focused marker, if one is. */
  focused: string | null;
}

interface AxNode {
  nodeId: number;
  localName?: string;
  children?: AxNode[];
  shadowRoots?: AxNode[];
}

function findHost(node: AxNode): AxNode | null {
  if (node.localName === 'lossy-markers') return node;
  for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) {
    const found = findHost(child);
    if (found) return found;
  }
  return null;
}

/**
 * What the markers' overlay of `target` (a page, or an out-of-process frame) shows, or null
 * when there is none. Boxes are in `target`'s own viewport.
 */
export async function inspectOverlay(target: Page | Frame): Promise<OverlayView | null> {
  const page = 'page' in target ? target.page() : target;
  const cdp = await page.context().newCDPSession(target);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: AxNode };
    const host = findHost(root);
    const shadow = host?.shadowRoots?.[0];
    if (!host || !shadow) return null;
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const { executionContextId } = await cdp.send('Page.createIsolatedWorld', {
      frameId: frameTree.frame.id,
      worldName: 'lossy-e2e',
    });
    const { object } = await cdp.send('DOM.resolveNode', { nodeId: shadow.nodeId, executionContextId });
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      returnByValue: true,
      functionDeclaration: String(function (this: ShadowRoot) {
        const box = (element: Element) => {
          const r = element.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        };
        const shown = (element: Element) => {
          const style = getComputedStyle(element);
          return style.opacity !== '0' && style.visibility === 'visible' && style.display !== 'none';
        };
        const markers = Array.from(this.querySelectorAll<HTMLElement>('[data-note-id]')).map((button) => {
          const tick = button.querySelector('.tick');
          return {
            noteId: button.dataset.noteId ?? '',
            label: button.getAttribute('aria-label') ?? '',
            box: box(button),
            tick: tick ? box(tick) : null,
            tickColor: tick ? getComputedStyle(tick).backgroundColor : null,
          };
        });
        const cards = Array.from(this.querySelectorAll('.card'))
          .filter(shown)
          .map((card) => {
            const body = card.querySelector('.card-body') ?? card;
            return { text: body.textContent ?? '', box: box(body), rows: card.querySelectorAll('.row').length };
          });
        const active = this.activeElement;
        return {
          host: box(this.host),
          markers,
          cards,
          focused: active ? active.getAttribute('aria-label') : null,
        };
      }),
    });
    return result.value as OverlayView;
  } finally {
    await cdp.detach();
  }
}

/** The centre of a box, moved by `offset` (a frame's place in the page). */
export function centre(box: Box, offset: { x: number; y: number } = { x: 0, y: 0 }): { x: number; y: number } {
  return { x: offset.x + box.x + box.width / 2, y: offset.y + box.y + box.height / 2 };
}
