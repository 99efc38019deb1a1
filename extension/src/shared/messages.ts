// Every message between the extension's contexts (service worker, content script, side panel,
// popup) as typed unions: no ad-hoc strings. The voice loop's own are in voice.ts. The service worker owns the one GraphQL socket,
// the tokens and the outbox; the other contexts ask it.

import type { PlaybackSample } from './voice';

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
  | { kind: 'page/marker-clicked'; noteId: string }
  /** While voice is on for the tab (`page/playback-watch`): the playhead's history. */
  | { kind: 'page/playback'; sample: PlaybackSample };

export type WorkerToContent =
  | { kind: 'page/markers'; markers: Marker[] }
  | { kind: 'page/seek'; seconds: number }
  | { kind: 'page/pause' }
  | { kind: 'page/resume' }
  /** Answered with `PlayheadAnswer`. */
  | { kind: 'page/playhead' }
  /** Voice turned on (or off) for this tab: start (stop) sending `page/playback`. */
  | { kind: 'page/playback-watch'; on: boolean };

export interface PlayheadAnswer {
  seconds: number | null;
  playing: boolean;
}

// ---------------------------------------------------------------------------------------------
// Side panel and popup ⇄ service worker: a long-lived port (`chrome.runtime.connect`) named
// `PANEL_PORT`, followed by the panel's browser window (`panelPortName`). GraphQL operations
// travel over the worker's socket; writes the user makes go through the worker's durable
// outbox.

export const PANEL_PORT = 'lossy-panel';

/**
 * A panel's port name. Chrome's side panel is per window, and each window's panel shows that
 * window's tab; the name carries the window so the worker knows it from the first message
 * (the page reads it with `chrome.windows.getCurrent()`). `null`: no window (the panels then
 * see the focused window's tab).
 */
export function panelPortName(windowId: number | null): string {
  return windowId === null ? PANEL_PORT : `${PANEL_PORT}/window/${windowId}`;
}

/** The window a port's name carries; null when the name is not a panel's port at all. */
export function panelPortWindow(name: string): { windowId: number | null } | null {
  if (name === PANEL_PORT) return { windowId: null };
  const match = /^lossy-panel\/window\/(-?\d{1,15})$/.exec(name);
  return match ? { windowId: Number(match[1]) } : null;
}

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
  | { kind: 'updateSettings'; key: string; input: Record<string, unknown> }
  /** A transcribed utterance (`SubmitTranscriptInput`); `key` is its `utteranceId`, on which
   * the server is idempotent, so a resend after an unknown outcome makes no second note. */
  | { kind: 'submitTranscript'; key: string; input: Record<string, unknown> };

/** What the voice chip says: the server's session state in v2 (lower case), the local loop's
 * in v1, or the worker's own word before and between sessions. */
export type VoiceChipState =
  /** Voice is off. */
  | 'off'
  /** Turned on; the session or the microphone is starting. */
  | 'starting'
  /** On, but no tab with a video to listen to. */
  | 'waiting'
  | 'idle'
  | 'observing'
  | 'recording'
  | 'cooldown'
  | 'error'
  | 'disconnected'
  | 'reconnecting'
  | 'closed';

/** One utterance between speech and note, as the panel lists it. */
export interface VoiceUtteranceView {
  utteranceId: string;
  /** Where the note will be, in seconds. */
  mediaTime: number;
  /** `recording` while spoken, `transcribing` until its text comes, `sending` while the
   * outbox holds its transcript, `failed` when transcription (or the server) gave up. */
  status: 'recording' | 'transcribing' | 'sending' | 'failed';
  message: string | null;
}

/** The voice loop, as every panel sees it (one per browser). */
export interface VoiceView {
  /** The reviewer turned voice on. */
  on: boolean;
  /** 2: the server's session drives the loop; 1: the local loop (PROTOCOL.md section 4). */
  protocol: 1 | 2;
  /** The tab listened to, while on. */
  tabId: number | null;
  state: VoiceChipState;
  capture: 'off' | 'starting' | 'running' | 'mic-denied' | 'mic-missing' | 'failed';
  /** The capture's words about its failure. */
  captureMessage: string | null;
  /** Push-to-talk is held (an utterance started by the shortcut). */
  pushToTalk: boolean;
  /** Utterances recorded and waiting for their text in the capture's queue. */
  queued: number;
  /** The on-device model's download or load, 0..1, or null. */
  modelProgress: number | null;
  utterances: VoiceUtteranceView[];
  /** Why voice waits or stopped, in the reviewer's words (null when all is well). */
  notice: string | null;
}

/** This computer's own voice settings in `chrome.storage.local`, never sent to the Lossy
 * server: the transcription endpoint's API key (a string), and the reviewer's consent to
 * download the on-device model (`true`). The worker reads them at each capture start and on
 * every change; the side panel's settings write them. */
export const DEVICE_VOICE_KEYS = {
  apiKey: 'voiceApiKey',
  downloadAllowed: 'voiceModelDownloadAllowed',
} as const;

/** What the worker knows, pushed to every panel on each change: `video` and `context` as the
 * panel's window sees them, the rest the same for every panel. */
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
  /** The video of the panel's window's active tab (the last one that is not an extension
   * page), once the server identified it (`detectVideo`). */
  video: { id: string; tabId: number; title: string | null; platform: string } | null;
  /** The user's video context as that tab sees it: `taken` when another tab (in another
   * window, or another browser) owns it. */
  context: 'owner' | 'taken' | 'available' | 'off';
  /** Set when the browser refused to store a queued write (quota): shown, never hidden. */
  storageError?: string | null;
  /** The voice loop; absent where there is none (the mock mode's fake worker). */
  voice?: VoiceView;
}

export type PanelToWorker =
  /** `resume`: the operation is a stream whose events carry `offset` (`noteEvents`, PROTOCOL.md
   * section 6.1). Each time the worker's socket comes back, the worker sends it again after
   * the last offset it passed on (as `since`) and says so with `op/restarted`. */
  | { kind: 'op/start'; id: string; operation: GraphqlOperation; resume?: boolean }
  | { kind: 'op/stop'; id: string }
  | { kind: 'outbox/add'; write: OutboxWrite }
  /** These three act on the panel's window's active tab. */
  | { kind: 'context/take-over' }
  | { kind: 'seek'; seconds: number }
  | { kind: 'playhead' }
  | { kind: 'sign-in' }
  | { kind: 'server/set'; server: string }
  /** Voice on (for the panel's window's tab) or off. */
  | { kind: 'voice/set'; on: boolean }
  /** Transcribe a failed utterance again (its audio is still kept). */
  | { kind: 'voice/retry'; utteranceId: string };

export type WorkerToPanel =
  | { kind: 'state'; state: ExtensionState }
  | { kind: 'op/next'; id: string; result: GraphqlResult }
  /** `errors`: the server's GraphQL errors, with their codes, when it refused the operation. */
  | {
      kind: 'op/error';
      id: string;
      message: string;
      errors?: NonNullable<GraphqlResult['errors']>;
    }
  | { kind: 'op/complete'; id: string }
  /** A `resume` operation was sent again on a new connection, after `since`; null: from now,
   * so what happened while the socket was down was not replayed. */
  | { kind: 'op/restarted'; id: string; since: string | null }
  | { kind: 'playhead'; answer: PlayheadAnswer }
  /** An outbox write the server refused for good (bad input, a conflict): shown, not retried.
   * `field` is the error's `extensions.field` when the server named one (a setting). */
  | { kind: 'outbox/refused'; write: OutboxWrite; code: string; message: string; field?: string }
  /** An outbox write the server acknowledged; it has left the outbox. The panel also clears
   * its "waiting" mark when the server's event shows the change, so this is a shortcut. */
  | { kind: 'outbox/acked'; key: string }
  /** The microphone's input level, 0..1, about ten times a second while capture runs. */
  | { kind: 'voice/level'; level: number };

/** Narrows anything received on a message channel to one of the unions above by `kind`. */
export function hasKind(value: unknown): value is { kind: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}
