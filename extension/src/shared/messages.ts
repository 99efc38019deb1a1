// Every message between the extension's contexts (service worker, content script, side panel,
// popup) as typed unions: no ad-hoc strings. The service worker owns the one GraphQL socket,
// the tokens and the outbox; the other contexts ask it.

/** What the content script knows of the page's main video. */
export interface PageVideo {
  url: string;
  title: string | null;
  durationSeconds: number | null;
  /** Made by the content script once per page load; the server's `pageInstanceId`. */
  pageInstanceId: string;
}

/** One note's marker on the video's progress bar. */
export interface Marker {
  noteId: string;
  seconds: number;
  /** A `NoteCategory` value (`AUDIO`, …). */
  category: string;
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Content script ⇄ service worker: `chrome.runtime.sendMessage` / `chrome.tabs.sendMessage`.

export type ContentToWorker =
  /** The page's main video appeared, changed or is gone (null). */
  | { kind: 'page/video'; video: PageVideo | null }
  /** A marker was clicked on the page (the content script has already seeked). */
  | { kind: 'page/marker-clicked'; noteId: string };

export type WorkerToContent =
  | { kind: 'page/markers'; markers: Marker[] }
  | { kind: 'page/seek'; seconds: number }
  | { kind: 'page/pause' }
  | { kind: 'page/resume' }
  /** Answered with `PlayheadAnswer`. */
  | { kind: 'page/playhead' };

export interface PlayheadAnswer {
  seconds: number | null;
  playing: boolean;
}

// ---------------------------------------------------------------------------------------------
// Side panel and popup ⇄ service worker: a long-lived port (`chrome.runtime.connect`) named
// `PANEL_PORT`. GraphQL operations travel over the worker's socket; writes the user makes go
// through the worker's durable outbox.

export const PANEL_PORT = 'lossy-panel';

export interface GraphqlOperation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface GraphqlResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Something the user made that the server must not lose; see src/background/outbox. */
export type OutboxWrite =
  | { kind: 'createNote'; key: string; input: Record<string, unknown> }
  | { kind: 'updateNote'; key: string; input: Record<string, unknown> }
  | { kind: 'deleteNote'; key: string; id: string; reason: string | null }
  | { kind: 'restoreNote'; key: string; id: string }
  | { kind: 'updateSettings'; key: string; input: Record<string, unknown> };

/** What the worker knows, pushed to every panel on each change. */
export interface ExtensionState {
  server: string;
  auth:
    | {
        kind: 'signed-out';
        reason: 'never' | 'refresh-failed' | 'revoked';
        /** The server's or the network's words about the last failed attempt, if any. */
        message?: string | null;
      }
    | { kind: 'signed-in'; email: string | null; deviceId: string };
  connection: 'connecting' | 'connected' | 'reconnecting' | 'offline';
  /** Writes waiting in the outbox. */
  waiting: number;
  /** The handshake's flags (`server_notes_channel`, …), updated by `featuresChanged`. */
  features: Record<string, boolean>;
  /** The active tab's video, once the server identified it (`detectVideo`). */
  video: { id: string; tabId: number; title: string | null; platform: string } | null;
  /** The user's video context as the active tab sees it. */
  context: 'owner' | 'taken' | 'available' | 'off';
  /** Set when the browser refused to store a queued write (quota): shown, never hidden. */
  storageError?: string | null;
}

export type PanelToWorker =
  | { kind: 'op/start'; id: string; operation: GraphqlOperation }
  | { kind: 'op/stop'; id: string }
  | { kind: 'outbox/add'; write: OutboxWrite }
  | { kind: 'context/take-over' }
  | { kind: 'seek'; seconds: number }
  | { kind: 'playhead' }
  | { kind: 'sign-in' }
  | { kind: 'server/set'; server: string };

export type WorkerToPanel =
  | { kind: 'state'; state: ExtensionState }
  | { kind: 'op/next'; id: string; result: GraphqlResult }
  | { kind: 'op/error'; id: string; message: string }
  | { kind: 'op/complete'; id: string }
  | { kind: 'playhead'; answer: PlayheadAnswer }
  /** An outbox write the server refused for good (bad input, a conflict): shown, not retried.
   * `field` is the error's `extensions.field` when the server named one (a setting). */
  | { kind: 'outbox/refused'; write: OutboxWrite; code: string; message: string; field?: string }
  /** An outbox write the server acknowledged; it has left the outbox. The panel also clears
   * its "waiting" mark when the server's event shows the change, so this is a shortcut. */
  | { kind: 'outbox/acked'; key: string };

/** Narrows anything received on a message channel to one of the unions above by `kind`. */
export function hasKind(value: unknown): value is { kind: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}
