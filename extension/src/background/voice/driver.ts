// The voice loop in the service worker (issue 12): voice on for the tab that owns the video
// context; the capture's speech events become the v2 session's sequenced events (or drive the
// v1 local loop); the server's commands are carried out; every transcript goes through the
// outbox. The decisions are the pure modules beside this one; this file does the IO, keeps
// what a restarted worker needs in storage, and tells the panels.

import type {
  ExtensionState,
  GraphqlOperation,
  GraphqlResult,
  OutboxWrite,
  VoiceChipState,
  VoiceView,
  WorkerToContent,
} from '@/shared/messages';
import type { CaptureConfig, CaptureToWorker, PlaybackSample } from '@/shared/voice';

import {
  ReportVoiceMetricsDocument,
  ResumeVoiceSessionDocument,
  SettingsChangedDocument,
  StartVoiceSessionDocument,
  StopVoiceSessionDocument,
  text,
  VoiceEventDocument,
  VoiceStatusDocument,
} from '../operations';
import { SocketLost } from '../socket/socket';
import { badgeFor, type Badge } from './badge';
import type { CapturePort } from './capture';
import { actionsFor, type VoiceAction, type VoiceStatus } from './commands';
import {
  activeVersion,
  captureConfig,
  DEFAULT_VOICE_SETTINGS,
  readVoiceSettings,
  type DeviceVoice,
  type HandshakeVersion,
  type VoiceSettings,
} from './config';
import {
  acknowledge,
  adoptReset,
  connectionLost,
  enqueue,
  markSent,
  newBook,
  nextToSend,
  refuse,
  replay,
  resumed,
  statusSeen,
  worthQueueing,
  type Ack,
  type AckResult,
  type EventBody,
  type EventBook,
  type VoiceEvent,
  type VoiceState,
} from './events';
import {
  LOCAL_IDLE,
  localAdopt,
  localDeadline,
  localListen,
  localMisfire,
  localSpeechEnd,
  localSpeechStart,
  localTick,
  type LocalAction,
  type LocalLoop,
} from './local';
import { addMetrics, NO_METRICS, takeMetrics, type MetricsState } from './metrics';
import { addSample, mediaTimeAt, type PlaybackHistory } from './playback';
import { press, PTT_UP, released, type PushToTalk } from './pushToTalk';
import { chooseTarget, sameTarget, type TabTarget } from './target';
import {
  begin,
  end,
  failed,
  forget,
  listed,
  recording,
  retrying,
  sending,
  serverEndReason,
  transcriptWrite,
  unheard,
  type UtteranceBook,
} from './utterances';

/** The worker's socket, as the driver uses it. */
export interface VoiceSocket {
  readonly connected: boolean;
  execute(operation: GraphqlOperation): Promise<GraphqlResult>;
  /** `operation` as a function is read each time it is sent (again after a reconnect). */
  subscribe(
    operation: GraphqlOperation | (() => GraphqlOperation),
    sink: {
      next(result: GraphqlResult): void;
      error(message: string): void;
      complete(): void;
    },
  ): () => void;
}

/** What survives a worker restart (session storage) and a browser restart (local storage). */
export interface VoiceStore {
  load(): Promise<{ state: unknown; utterances: unknown }>;
  saveState(state: PersistedVoice): Promise<void>;
  saveUtterances(book: UtteranceBook): Promise<void>;
}

export interface VoiceDeps {
  socket: VoiceSocket;
  capture: CapturePort;
  /** Queues a transcript in the durable outbox; rejects when storage refuses it. */
  addWrite(write: OutboxWrite): Promise<void>;
  sendToTab(tabId: number, message: WorkerToContent): Promise<unknown>;
  /** The tab a window's panels show, with its video (null: the focused window). */
  tabTarget(windowId: number | null): TabTarget | null;
  /** A tab's video as the tracker knows it now, whether its window shows it or not: null when
   * the tab shows no video (or is gone), undefined when the worker cannot tell yet (the
   * server is identifying its page's video). */
  tabVideo(tabId: number): TabTarget | null | undefined;
  features(): Record<string, boolean>;
  connection(): ExtensionState['connection'];
  store: VoiceStore;
  /** What this device adds to the settings (API key, consent, test fixture). */
  deviceVoice(): Promise<DeviceVoice>;
  /** The view changed: push the panels' state. */
  changed(): void;
  level(level: number): void;
  badge(badge: Badge): void;
  track(
    name: string,
    level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR',
    properties: Record<string, unknown>,
  ): void;
  now?: () => number;
  schedule?: (run: () => void, ms: number) => () => void;
}

interface Session {
  book: EventBook;
  tabId: number;
  videoId: string;
  pageInstanceId: string;
}

export interface PersistedVoice {
  on: boolean;
  target: TabTarget | null;
  session: Session | null;
  /** A session the server put to sleep (`idle`): woken rather than replaced. */
  idleSessionId: string | null;
  local: LocalLoop;
  ptt: PushToTalk;
}

const OFF: PersistedVoice = {
  on: false,
  target: null,
  session: null,
  idleSessionId: null,
  local: LOCAL_IDLE,
  ptt: PTT_UP,
};

/** Retries of a session start or resume the server could not do now. */
const RETRY_MS = 3_000;
/** A stop waits this long for the utterance in flight to end before closing the session. */
const STOP_GRACE_MS = 3_000;

function errorCode(result: GraphqlResult): string | null {
  const error = result.errors?.[0];
  if (!error) return null;
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

function errorField(result: GraphqlResult): string | null {
  const field = result.errors?.[0]?.extensions?.field;
  return typeof field === 'string' ? field : null;
}

const SESSION_GONE = new Set(['NOT_FOUND', 'FORBIDDEN']);

interface SessionAnswer {
  id: string;
  state: VoiceState;
  lastAppliedSeq: number;
}

export class VoiceDriver {
  private persisted: PersistedVoice = OFF;
  private utterances: UtteranceBook = {};
  private settings: VoiceSettings = DEFAULT_VOICE_SETTINGS;
  /** The newest stored settings version applied; 0 while only the handshake's `config`
   * (which carries no version) is. */
  private settingsVersion = 0;
  private handshakeVersion: HandshakeVersion | null = null;
  private preferredVersion: number | null = null;
  /** The server refused a v2 call with `PROTOCOL_V1_ACTIVE` before the flag reached us. */
  private refusedV2 = false;
  private protocol: 1 | 2 = 1;
  private serverState: VoiceState | null = null;
  private capture: VoiceView['capture'] = 'off';
  private captureMessage: string | null = null;
  private queued = 0;
  private modelProgress: number | null = null;
  private notice: string | null = null;
  private history: PlaybackHistory = [];
  private metrics: MetricsState = NO_METRICS;
  private starting = false;
  private resuming = false;
  private pumping = false;
  private stopping: { sessionId: string; cancel: () => void } | null = null;
  /** A heartbeat goes out once capture is back after `RESTART_CAPTURE`. */
  private heartbeatAfterStart = false;
  /** Push-to-talk pressed while voice was off: press once capture runs. */
  private pushAfterStart = false;
  private lastBeatAt: number | null = null;
  private cancelHeartbeat: (() => void) | null = null;
  private cancelLocal: (() => void) | null = null;
  private cancelMetrics: (() => void) | null = null;
  private cancelRetry: (() => void) | null = null;
  private stopStatus: (() => void) | null = null;
  private stopSettings: (() => void) | null = null;
  /** Capture messages are handled one at a time, in the order sent. */
  private chain: Promise<unknown> = Promise.resolve();
  private savePending = false;
  private lastBadge = '';
  private ready: Promise<void>;

  constructor(private readonly deps: VoiceDeps) {
    deps.capture.onMessage((message) => this.fromCapture(message));
    this.ready = this.restore();
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private schedule(run: () => void, ms: number): () => void {
    if (this.deps.schedule) return this.deps.schedule(run, ms);
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  }

  // -------------------------------------------------------------------------------------------
  // The view.

  get view(): VoiceView {
    const { on, target, ptt } = this.persisted;
    return {
      on,
      protocol: this.protocol,
      tabId: on ? (target?.tabId ?? null) : null,
      state: this.chip(),
      capture: this.capture,
      captureMessage: this.captureMessage,
      pushToTalk: ptt.held,
      queued: this.queued,
      modelProgress: this.modelProgress,
      utterances: listed(this.utterances),
      notice: this.notice,
    };
  }

  private chip(): VoiceChipState {
    const { on, target, session } = this.persisted;
    if (!on) return 'off';
    if (
      this.capture === 'mic-denied' ||
      this.capture === 'mic-missing' ||
      this.capture === 'failed'
    ) {
      return 'error';
    }
    if (!target) return 'waiting';
    if (session) {
      if (!this.deps.socket.connected) return 'disconnected';
      if (this.resuming) return 'reconnecting';
      return (this.serverState ?? 'OBSERVING').toLowerCase() as VoiceChipState;
    }
    if (this.persisted.idleSessionId !== null) return 'idle';
    if (this.persisted.local.state === 'idle') return 'idle';
    if (this.capture === 'off') return 'closed';
    if (this.capture === 'starting' || (this.protocol === 2 && this.starting)) return 'starting';
    return this.persisted.local.state;
  }

  private changed(): void {
    this.deps.changed();
    const badge = badgeFor(this.view, this.deps.connection());
    const key = JSON.stringify(badge);
    if (key !== this.lastBadge) {
      this.lastBadge = key;
      this.deps.badge(badge);
    }
    if (this.savePending) return;
    this.savePending = true;
    queueMicrotask(() => {
      this.savePending = false;
      void this.deps.store.saveState(this.persisted).catch(() => undefined);
      void this.deps.store.saveUtterances(this.utterances).catch(() => undefined);
    });
  }

  private set(change: Partial<PersistedVoice>): void {
    this.persisted = { ...this.persisted, ...change };
    this.changed();
  }

  private setBook(book: EventBook): void {
    const session = this.persisted.session;
    if (session) this.set({ session: { ...session, book } });
  }

  // -------------------------------------------------------------------------------------------
  // Start, restore, connection.

  private async restore(): Promise<void> {
    const { state, utterances } = await this.deps.store.load().catch(() => ({
      state: null,
      utterances: null,
    }));
    if (utterances && typeof utterances === 'object') {
      this.utterances = utterances as UtteranceBook;
    }
    if (state && typeof state === 'object' && 'on' in state) {
      this.persisted = { ...OFF, ...(state as Partial<PersistedVoice>) };
    }
    this.protocol = this.computeProtocol();
    if (!this.persisted.on) {
      this.changed();
      return;
    }
    // A restarted worker: the page may have stopped nothing, but the new worker has no
    // history; ask for it again, and make sure capture runs (starting a running capture
    // only gives it the config).
    const target = this.persisted.target;
    if (target) await this.watch(target.tabId, true);
    // Capture stopped for lack of speech (the server's idle, or the local loop's) stays so.
    if (this.persisted.idleSessionId === null && this.persisted.local.state !== 'idle') {
      await this.startCapture();
    }
    this.armLocal();
    this.changed();
  }

  /** The socket (re)connected with `handshake` (the `connection_ack` payload). */
  async connected(handshake: unknown): Promise<void> {
    await this.ready;
    const payload = handshake as {
      protocol?: { activeVersion?: unknown };
      features?: Record<string, unknown>;
      config?: unknown;
    } | null;
    const version = payload?.protocol?.activeVersion;
    const flag = payload?.features?.server_voice_session;
    this.handshakeVersion =
      typeof version === 'number'
        ? { version, voiceFlag: typeof flag === 'boolean' ? flag : undefined }
        : null;
    this.refusedV2 = false;
    this.preferredVersion = null;
    const settings = readVoiceSettings(payload?.config, this.settings);
    await this.applySettings(settings);
    this.follow();
    this.stopStatus ??= this.deps.socket.subscribe(
      { query: text(VoiceStatusDocument) },
      {
        next: (result) => {
          const status = (result.data as { voiceStatus?: VoiceStatus } | null)?.voiceStatus;
          if (status) void this.onStatus(status);
        },
        error: () => (this.stopStatus = null),
        complete: () => (this.stopStatus = null),
      },
    );
    // Sent with the newest version applied, now and again after each reconnect: the server
    // answers first with newer stored settings, so a change made between the handshake and
    // this subscription, or while the socket was down, still arrives.
    this.stopSettings ??= this.deps.socket.subscribe(
      () => ({ query: text(SettingsChangedDocument), variables: { since: this.settingsVersion } }),
      {
        next: (result) => {
          const changed = (result.data as { settingsChanged?: Record<string, unknown> } | null)
            ?.settingsChanged;
          if (!changed) return;
          const version = changed.version;
          if (typeof version === 'number') {
            if (version <= this.settingsVersion) return;
            this.settingsVersion = version;
          }
          const preferred = changed.preferredProtocolVersion;
          if (typeof preferred === 'number') this.preferredVersion = preferred;
          void this.applySettings(readVoiceSettings(changed, this.settings)).then(() =>
            this.versionMayHaveChanged(),
          );
        },
        error: () => (this.stopSettings = null),
        complete: () => (this.stopSettings = null),
      },
    );
    this.versionMayHaveChanged();
    this.lastBeatAt = this.now();
    if (this.persisted.session) {
      this.armHeartbeat();
      await this.resume();
    } else {
      this.ensureSession();
    }
    this.changed();
  }

  /** The socket closed: the server's session is `disconnected` now; the FIFO keeps events. */
  disconnected(): void {
    const session = this.persisted.session;
    if (session) this.setBook(connectionLost(session.book));
    this.resuming = false;
    this.changed();
  }

  featuresChanged(): void {
    this.refusedV2 = false;
    this.versionMayHaveChanged();
    this.changed();
  }

  /** The device's own voice settings changed (API key, consent). */
  async deviceChanged(): Promise<void> {
    if (this.persisted.on && this.capture !== 'off')
      await this.deps.capture.configure(await this.config());
  }

  private async applySettings(next: VoiceSettings): Promise<void> {
    const before = JSON.stringify(this.settings);
    this.settings = next;
    if (JSON.stringify(next) === before) return;
    if (this.persisted.on && this.capture !== 'off') {
      await this.deps.capture.configure(await this.config()).catch(() => undefined);
    }
    if (this.cancelHeartbeat) this.armHeartbeat();
  }

  private async config(): Promise<CaptureConfig> {
    return captureConfig(this.settings, await this.deps.deviceVoice());
  }

  private computeProtocol(): 1 | 2 {
    if (this.refusedV2) return 1;
    return activeVersion(
      this.handshakeVersion,
      this.deps.features().server_voice_session,
      this.preferredVersion,
    );
  }

  /** A flag or a setting may have switched the protocol: switch without losing an utterance
   * in flight. To v1 at once (the local loop takes the utterance over and resumes the video
   * the server paused); to v2 once the local loop has no utterance recording. */
  private versionMayHaveChanged(): void {
    const next = this.computeProtocol();
    if (next === this.protocol) {
      if (next === 2) this.ensureSession();
      return;
    }
    this.protocol = next;
    this.deps.track('voice.protocol_changed', 'INFO', { version: next });
    if (next === 1) {
      const session = this.persisted.session;
      if (session) {
        const inFlight = recording(this.utterances);
        this.closeSessionQuietly(session.book.sessionId);
        this.set({
          session: null,
          idleSessionId: null,
          local: localAdopt(
            inFlight && inFlight.sessionId === session.book.sessionId
              ? { utteranceId: inFlight.utteranceId, playing: inFlight.videoPlaying }
              : null,
            this.settings,
            this.now(),
          ),
        });
        this.armLocal();
        this.stopHeartbeat();
        this.serverState = null;
      }
      if (this.persisted.on && this.capture === 'off') void this.startCapture();
    } else {
      this.ensureSession();
    }
    this.changed();
  }

  // -------------------------------------------------------------------------------------------
  // On, off, targets.

  /** The reviewer turned voice on (for `windowId`'s tab) or off. */
  async setOn(on: boolean, windowId: number | null): Promise<void> {
    await this.ready;
    if (!on) {
      await this.turnOff('user');
      return;
    }
    const target = this.deps.tabTarget(windowId) ?? this.persisted.target;
    this.notice = null;
    if (!this.persisted.on || !sameTarget(target, this.persisted.target)) {
      await this.listenTo(target, true);
    } else if (this.persisted.idleSessionId !== null || this.capture !== 'running') {
      // On already: "Listen again" after the server stopped capture (idle, errors). A
      // session whose circuit opened stays in `error` until a new start.
      if (this.persisted.session && this.serverState === 'ERROR') {
        this.closeSessionQuietly(this.persisted.session.book.sessionId);
        this.set({ session: null });
        this.serverState = null;
        this.stopHeartbeat();
      }
      this.set({ on: true });
      this.ensureSession(true);
      await this.startCapture();
    }
    this.set({ on: true });
  }

  private async listenTo(target: TabTarget | null, explicit: boolean): Promise<void> {
    const before = this.persisted.target;
    const old = this.persisted.session;
    if (old && !(target && old.tabId === target.tabId && old.videoId === target.videoId)) {
      // Another tab or video: the new session's start ends this one on the server (at once on
      // the same tab, else once its utterance in flight is submitted); what it still has to
      // hear goes first.
      this.set({ session: null });
      this.serverState = null;
      this.stopHeartbeat();
      await this.drain(old.book);
      // Nothing new to start: the old session is stopped here.
      if (!target) this.closeSessionQuietly(old.book.sessionId);
    }
    if (before && before.tabId !== target?.tabId) await this.watch(before.tabId, false);
    this.history = before?.tabId === target?.tabId ? this.history : [];
    this.set({
      on: true,
      target,
      idleSessionId: sameTarget(before, target) ? this.persisted.idleSessionId : null,
    });
    if (!target) {
      this.notice = 'Open a video to listen to.';
      if (this.capture !== 'off') await this.stopCapture();
      this.changed();
      return;
    }
    await this.watch(target.tabId, true);
    if (this.capture !== 'running') await this.startCapture();
    this.ensureSession(explicit);
  }

  /** Sends what a session that voice has left still holds (best effort: the server closes
   * it regardless). */
  private async drain(book: EventBook): Promise<void> {
    for (const event of book.pending) {
      if (event.kind === 'HEARTBEAT' || !this.deps.socket.connected) continue;
      await this.deps.socket
        .execute({ query: text(VoiceEventDocument), variables: { input: event } })
        .catch(() => undefined);
    }
  }

  private followPending = false;

  /** Something about tabs, videos or the context changed: voice may follow it. */
  follow(): void {
    if (this.followPending) return;
    this.followPending = true;
    queueMicrotask(() => {
      this.followPending = false;
      void this.ready.then(() => this.followNow());
    });
  }

  private followNow(): void {
    const { on, target, session } = this.persisted;
    if (!on) return;
    const seen = target ? this.deps.tabVideo(target.tabId) : null;
    // While the tab's new page is being identified, it keeps what it had.
    const current = seen === undefined ? target : seen;
    const next = chooseTarget(this.deps.tabTarget(null), current);
    if (sameTarget(next, target)) {
      if (next && target && next.context !== target.context) this.set({ target: next });
      this.ensureSession();
      return;
    }
    // The utterance being spoken belongs to where it began: switch once it has ended.
    const inFlight = recording(this.utterances);
    if (inFlight && session && inFlight.sessionId === session.book.sessionId) return;
    if (!next) {
      if (current?.context === 'taken') {
        this.notice = 'Another tab or browser took this video. Take over to listen here.';
        this.changed();
        return;
      }
      // The tab shows no video any more (it navigated away): nothing to note on, so the
      // session ends and the microphone is released until a video comes back.
      void this.listenTo(null, false);
      return;
    }
    this.notice = null;
    void this.listenTo(next, false);
  }

  async tabClosed(tabId: number): Promise<void> {
    await this.ready;
    if (this.persisted.on && this.persisted.target?.tabId === tabId) {
      // The utterance being spoken still ends (capture stops it) and its transcript still
      // goes out: the book keeps its video and time.
      await this.turnOff('tab_closed');
    }
  }

  private async turnOff(reason: string): Promise<void> {
    const { target, session } = this.persisted;
    this.set({ on: false, target: null, idleSessionId: null, ptt: PTT_UP });
    this.notice = null;
    if (target) await this.watch(target.tabId, false);
    await this.stopCapture();
    this.stopHeartbeat();
    if (session) this.endSession(session, reason);
    this.changed();
  }

  /** Closes the session once the utterance in flight has ended (its `SPEECH_END` queued),
   * or after a grace period. */
  private endSession(session: Session, reason: string): void {
    const sessionId = session.book.sessionId;
    const close = () => {
      this.stopping?.cancel();
      this.stopping = null;
      const current = this.persisted.session;
      if (current?.book.sessionId === sessionId) {
        // Events still waiting go out first (the socket runs mutations in order).
        void this.pump().then(() => this.closeSessionQuietly(sessionId));
        this.set({ session: null });
        this.serverState = null;
      }
      this.deps.track('voice.stopped', 'INFO', { reason, sessionId });
    };
    const inFlight = recording(this.utterances);
    if (!inFlight || inFlight.sessionId !== sessionId) {
      close();
      return;
    }
    this.stopping?.cancel();
    this.stopping = { sessionId, cancel: this.schedule(close, STOP_GRACE_MS) };
  }

  private closeSessionQuietly(sessionId: string): void {
    void this.deps.socket
      .execute({ query: text(StopVoiceSessionDocument), variables: { sessionId } })
      .catch(() => undefined);
  }

  private async watch(tabId: number, on: boolean): Promise<void> {
    await this.deps.sendToTab(tabId, { kind: 'page/playback-watch', on });
  }

  // -------------------------------------------------------------------------------------------
  // The v2 session.

  /** Starts (or wakes) a session for the target when v2 drives and none runs. `explicit`:
   * the reviewer asked, so a context another tab holds is taken over. */
  private ensureSession(explicit = false): void {
    const { on, target, session, local, idleSessionId } = this.persisted;
    if (!on || this.protocol !== 2 || session || this.starting || !target) return;
    if (!this.deps.socket.connected) return;
    if (idleSessionId !== null && !explicit) return;
    if (target.context === 'taken' && !explicit) return;
    // An utterance the local loop is recording finishes under it first.
    if (local.state === 'recording') return;
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.starting = true;
    this.changed();
    void this.startSession(target, idleSessionId).finally(() => {
      this.starting = false;
      this.changed();
    });
  }

  private async startSession(target: TabTarget, wake: string | null): Promise<void> {
    const input: Record<string, unknown> = {
      videoId: target.videoId,
      tabId: target.tabId,
      pageInstanceId: target.pageInstanceId,
    };
    if (wake !== null) input.resumeSessionId = wake;
    let result: GraphqlResult;
    try {
      result = await this.deps.socket.execute({
        query: text(StartVoiceSessionDocument),
        variables: { input },
      });
    } catch {
      // The socket closed: the next connection starts again.
      return;
    }
    const code = errorCode(result);
    if (code === 'PROTOCOL_V1_ACTIVE') {
      this.refusedV2 = true;
      this.versionMayHaveChanged();
      return;
    }
    if (wake !== null && code !== null && SESSION_GONE.has(code)) {
      this.set({ idleSessionId: null });
      this.retryLater(() => this.ensureSession(true), 0);
      return;
    }
    const started = (result.data as { startVoiceSession?: SessionAnswer } | null)
      ?.startVoiceSession;
    if (!started) {
      this.deps.track('voice.start_failed', 'WARN', {
        code,
        message: result.errors?.[0]?.message ?? null,
      });
      this.notice = `Voice could not start: ${result.errors?.[0]?.message ?? 'no answer'}. Trying again.`;
      this.retryLater(() => this.ensureSession(), RETRY_MS);
      return;
    }
    const current = this.persisted.target;
    if (!this.persisted.on || !sameTarget(current, target)) {
      // Voice moved on while the server answered.
      this.closeSessionQuietly(started.id);
      return;
    }
    this.notice = null;
    this.serverState = started.state;
    this.set({
      session: {
        book: newBook(started.id, started.state, started.lastAppliedSeq),
        tabId: target.tabId,
        videoId: target.videoId,
        pageInstanceId: target.pageInstanceId,
      },
      idleSessionId: null,
    });
    this.deps.track('voice.session_started', 'INFO', {
      sessionId: started.id,
      woken: wake !== null,
    });
    if (this.capture === 'off') await this.startCapture();
    this.lastBeatAt = this.now();
    this.armHeartbeat();
  }

  private retryLater(run: () => void, ms: number): void {
    this.cancelRetry?.();
    this.cancelRetry = this.schedule(() => {
      this.cancelRetry = null;
      run();
    }, ms);
  }

  /** After every reconnect (and a restarted worker's first connection): reattach the
   * session and replay the buffered events. */
  private async resume(): Promise<void> {
    const session = this.persisted.session;
    if (!session || this.resuming || !this.deps.socket.connected) return;
    this.resuming = true;
    this.changed();
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const current = this.persisted.session;
        if (!current) return;
        const sent = replay(current.book);
        let result: GraphqlResult;
        try {
          result = await this.deps.socket.execute({
            query: text(ResumeVoiceSessionDocument),
            variables: { input: sent },
          });
        } catch {
          return;
        }
        const code = errorCode(result);
        if (code === 'BAD_USER_INPUT') {
          // One replayed event was invalid (`events[i].field`): it goes, the rest again.
          const index = /^events\[(\d+)\]/.exec(errorField(result) ?? '')?.[1];
          const event = index === undefined ? undefined : sent.events[Number(index)];
          if (!event) {
            this.sessionLost('resume_refused');
            return;
          }
          this.setBook(refuse(current.book, event.seq).book);
          this.deps.track('voice.event_refused', 'WARN', { kind: event.kind, seq: event.seq });
          continue;
        }
        if (code === 'PROTOCOL_V1_ACTIVE') {
          this.refusedV2 = true;
          this.versionMayHaveChanged();
          return;
        }
        if (code !== null && SESSION_GONE.has(code)) {
          this.sessionLost('resume_not_found');
          return;
        }
        const answer = (result.data as { resumeVoiceSession?: Ack } | null)?.resumeVoiceSession;
        if (!answer) {
          this.retryLater(() => void this.resume(), RETRY_MS);
          return;
        }
        this.serverState = answer.state;
        this.afterAck(resumed(current.book, answer));
        this.deps.track('voice.resumed', 'INFO', {
          sessionId: current.book.sessionId,
          replayed: sent.events.length,
          outcome: answer.outcome,
        });
        if (answer.state === 'CLOSED') this.sessionLost('closed');
        return;
      }
    } finally {
      this.resuming = false;
      this.changed();
      void this.pump();
    }
  }

  /** The server no longer runs the session: start another if voice is still on. Its
   * utterances' transcripts still name it (the server accepts a closed session's), and the
   * outbox sends them without it if not. */
  private sessionLost(reason: string): void {
    const session = this.persisted.session;
    if (!session) return;
    this.deps.track('voice.session_lost', 'WARN', { sessionId: session.book.sessionId, reason });
    this.set({ session: null });
    this.serverState = null;
    this.stopHeartbeat();
    this.ensureSession();
  }

  private afterAck(result: AckResult): void {
    this.setBook(result.book);
    const starts = [...result.ignored, ...result.cleared].filter((e) => e.kind === 'SPEECH_START');
    if (starts.length) {
      this.utterances = unheard(
        this.utterances,
        starts.flatMap((e) => (e.utteranceId ? [e.utteranceId] : [])),
      );
    }
    for (const event of result.ignored) {
      this.deps.track('voice.event_ignored', 'INFO', { kind: event.kind, seq: event.seq });
    }
    if (result.reset) {
      this.deps.track('voice.reset', 'WARN', { cleared: result.cleared.length });
      if (result.book.lastKnownState.state === 'DISCONNECTED') void this.resume();
    }
    this.changed();
  }

  private queueEvent(body: EventBody): VoiceEvent | null {
    const session = this.persisted.session;
    if (!session) return null;
    const { book, event, dropped } = enqueue(session.book, body);
    this.setBook(book);
    if (dropped)
      this.deps.track('voice.event_dropped', 'WARN', { kind: dropped.kind, seq: dropped.seq });
    void this.pump();
    return event;
  }

  /** Sends the buffered events one at a time, oldest first, while connected. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const session = this.persisted.session;
        if (!session || this.resuming || !this.deps.socket.connected) return;
        const event = nextToSend(session.book);
        if (!event) return;
        this.setBook(markSent(session.book, event.seq));
        let result: GraphqlResult;
        try {
          result = await this.deps.socket.execute({
            query: text(VoiceEventDocument),
            variables: { input: event },
          });
        } catch (error) {
          const now = this.persisted.session;
          if (now) this.setBook(connectionLost(now.book));
          if (!(error instanceof SocketLost)) this.retryLater(() => void this.pump(), RETRY_MS);
          return;
        }
        if (!this.handleEventAnswer(event, result)) return;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Whether to go on sending. */
  private handleEventAnswer(event: VoiceEvent, result: GraphqlResult): boolean {
    const session = this.persisted.session;
    if (!session || session.book.sessionId !== event.sessionId) return true;
    const ack = (result.data as { voiceEvent?: Ack } | null)?.voiceEvent;
    if (ack) {
      this.serverState = ack.state;
      this.afterAck(acknowledge(session.book, event.seq, ack));
      if (ack.state === 'CLOSED') {
        this.sessionLost('closed');
        return false;
      }
      return ack.outcome !== 'RESET';
    }
    const code = errorCode(result);
    if (code === 'BAD_USER_INPUT') {
      this.setBook(refuse(session.book, event.seq).book);
      this.deps.track('voice.event_refused', 'WARN', {
        kind: event.kind,
        field: errorField(result),
      });
      if (event.kind === 'SPEECH_START' && event.utteranceId) {
        this.utterances = unheard(this.utterances, [event.utteranceId]);
      }
      return true;
    }
    if (code === 'PROTOCOL_V1_ACTIVE') {
      this.refusedV2 = true;
      this.versionMayHaveChanged();
      return false;
    }
    if (code !== null && SESSION_GONE.has(code)) {
      this.sessionLost('event_not_found');
      return false;
    }
    // Busy, rate-limited, an internal error: the event stays first in line.
    this.setBook(connectionLost(session.book));
    this.retryLater(() => void this.pump(), RETRY_MS);
    return false;
  }

  private armHeartbeat(): void {
    this.stopHeartbeat();
    const interval = Math.max(1_000, this.settings.heartbeatIntervalMs);
    const tick = () => {
      this.cancelHeartbeat = this.schedule(tick, interval);
      this.beat();
    };
    this.cancelHeartbeat = this.schedule(tick, interval);
  }

  private stopHeartbeat(): void {
    this.cancelHeartbeat?.();
    this.cancelHeartbeat = null;
  }

  private beat(): void {
    const session = this.persisted.session;
    if (!session || !this.deps.socket.connected) return;
    const now = this.now();
    const slept =
      this.lastBeatAt !== null && now - this.lastBeatAt > this.settings.heartbeatTimeoutMs;
    this.lastBeatAt = now;
    if (slept) {
      // The machine slept (or the worker was frozen): the server has marked the session
      // disconnected by now, and takes no event before a resume.
      void this.resume();
      return;
    }
    if (!worthQueueing(session.book, 'HEARTBEAT')) return;
    this.queueEvent({ kind: 'HEARTBEAT', occurredAt: new Date(now).toISOString() });
  }

  // -------------------------------------------------------------------------------------------
  // Commands.

  private async onStatus(status: VoiceStatus): Promise<void> {
    const session = this.persisted.session;
    const actions = actionsFor(status, {
      sessionId: session?.book.sessionId ?? null,
      tabId: session && this.deps.tabVideo(session.tabId) !== null ? session.tabId : null,
    });
    for (const action of actions) await this.perform(action);
    if (actions.length) this.changed();
  }

  private async perform(action: VoiceAction): Promise<void> {
    const session = this.persisted.session;
    switch (action.kind) {
      case 'state':
        this.serverState = action.state;
        if (session) this.setBook(statusSeen(session.book, action.state, action.appliedSeq));
        return;
      case 'pause-video':
        await this.deps.sendToTab(action.tabId, { kind: 'page/pause' });
        return;
      case 'resume-video':
        await this.deps.sendToTab(action.tabId, { kind: 'page/resume' });
        return;
      case 'stop-utterance':
        await this.deps.capture.stopUtterance();
        return;
      case 'stop-capture':
        await this.stopCapture();
        if (action.reason === 'no_speech_timeout' && session) {
          this.set({ idleSessionId: session.book.sessionId, session: null });
          this.stopHeartbeat();
          this.notice = 'Stopped listening after a while without speech.';
        } else if (action.reason === 'circuit_open') {
          this.notice = 'The microphone failed again and again, so voice stopped.';
        }
        return;
      case 'restart-capture':
        this.schedule(() => {
          this.heartbeatAfterStart = true;
          this.capture = 'starting';
          this.changed();
          void this.deps.capture.restart();
        }, action.afterMs);
        return;
      case 'reset':
        if (session) {
          this.serverState = action.state;
          const { book, cleared } = adoptReset(session.book, action.state, action.appliedSeq);
          this.afterAck({ book, ignored: [], cleared, reset: true });
        }
        return;
      case 'session-ended':
        if (session) {
          this.set({ session: null });
          this.serverState = null;
          this.stopHeartbeat();
          this.deps.track('voice.session_ended', 'INFO', {
            sessionId: session.book.sessionId,
            reason: action.reason,
          });
          if (action.reason === 'context_moved') {
            const target = this.persisted.target;
            const now = target ? this.deps.tabVideo(target.tabId) : null;
            if (now?.context === 'taken') {
              this.notice = 'Another tab or browser took this video. Take over to listen here.';
            }
            this.follow();
          } else if (action.reason !== 'circuit_open') {
            this.ensureSession();
          }
        }
        return;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Capture.

  private async startCapture(): Promise<void> {
    if (!this.persisted.on || !this.persisted.target) return;
    // The local loop's idle-stop counts from here (it applies only while no session runs).
    this.local({ loop: localListen(this.persisted.local, this.now(), this.settings), actions: [] });
    this.capture = 'starting';
    this.captureMessage = null;
    this.changed();
    try {
      await this.deps.capture.start(await this.config());
    } catch (error) {
      this.capture = 'failed';
      this.captureMessage = error instanceof Error ? error.message : String(error);
      this.changed();
    }
  }

  private async stopCapture(): Promise<void> {
    this.capture = 'off';
    this.heartbeatAfterStart = false;
    this.changed();
    await this.deps.capture.stop().catch(() => undefined);
  }

  /** Every capture message, one at a time in arrival order. */
  private fromCapture(message: CaptureToWorker): Promise<unknown> | undefined {
    if (message.kind === 'capture/level') {
      if (this.persisted.on) this.deps.level(message.level);
      return undefined;
    }
    const run = this.chain.then(() => this.ready).then(() => this.handleCapture(message));
    this.chain = run.catch((error: unknown) => {
      this.deps.track('voice.capture_message_failed', 'ERROR', {
        kind: message.kind,
        message: String(error),
      });
    });
    return run;
  }

  private async handleCapture(message: CaptureToWorker): Promise<unknown> {
    switch (message.kind) {
      case 'capture/started':
        this.capture = 'running';
        this.captureMessage = null;
        if (this.heartbeatAfterStart) {
          this.heartbeatAfterStart = false;
          // After RESTART_CAPTURE the first heartbeat returns the session to observing.
          this.lastBeatAt = null;
          this.beat();
        }
        if (this.pushAfterStart) {
          this.pushAfterStart = false;
          await this.deps.capture.pushToTalk(true);
        }
        this.changed();
        return undefined;
      case 'capture/error':
        this.captureFailed(message.code, message.message);
        return undefined;
      case 'capture/speech-start':
        await this.speechStart(message.utteranceId, message.onsetAt);
        return undefined;
      case 'capture/speech-end':
        this.speechEnd(message.utteranceId, message.durationMs, message.reason);
        return undefined;
      case 'capture/misfire':
        this.misfire(message.utteranceId);
        return undefined;
      case 'capture/transcript':
        return this.transcript(message.transcript);
      case 'capture/transcript-failed':
        this.utterances = failed(this.utterances, message.utteranceId, message.message);
        this.deps.track('voice.transcription_failed', 'WARN', { message: message.message });
        this.changed();
        return undefined;
      case 'capture/metrics':
        this.metrics = addMetrics(this.metrics, message);
        this.flushMetrics();
        return undefined;
      case 'capture/status':
        this.queued = message.status.queued;
        this.modelProgress = message.status.modelProgress;
        this.changed();
        return undefined;
      case 'capture/level':
        return undefined;
    }
  }

  private captureFailed(code: string, text: string): void {
    this.capture =
      code === 'MIC_DENIED' ? 'mic-denied' : code === 'MIC_MISSING' ? 'mic-missing' : 'failed';
    this.captureMessage = text;
    this.heartbeatAfterStart = false;
    this.deps.track('voice.capture_error', 'ERROR', { code, message: text });
    // The server counts errors and decides (RESTART_CAPTURE, or STOP_CAPTURE once the
    // circuit opens); in the local loop a video paused for the lost utterance is resumed.
    this.queueEvent({
      kind: 'ERROR',
      occurredAt: new Date(this.now()).toISOString(),
      message: `${code}: ${text}`.slice(0, 500),
    });
    const inFlight = recording(this.utterances);
    if (!this.persisted.session && inFlight)
      this.local(
        localMisfire(this.persisted.local, inFlight.utteranceId, this.now(), this.settings),
      );
    this.changed();
    return undefined;
  }

  private async speechStart(utteranceId: string, onsetAt: number): Promise<void> {
    const { on, target, session } = this.persisted;
    if (!on || !target) return;
    let onset = mediaTimeAt(this.history, onsetAt, this.settings.preRollMs);
    if (!onset) {
      // No history yet (the watch just began): the page's playhead now is the best there is.
      const answer = (await this.deps.sendToTab(target.tabId, { kind: 'page/playhead' })) as
        { seconds: number | null; playing: boolean } | undefined;
      const seconds = answer?.seconds ?? 0;
      onset = {
        mediaTime: Math.max(
          0,
          answer?.playing ? seconds - this.settings.preRollMs / 1000 : seconds,
        ),
        playing: answer?.playing ?? false,
      };
    }
    const live = session && session.tabId === target.tabId ? session : null;
    this.utterances = begin(this.utterances, {
      utteranceId,
      sessionId: live ? live.book.sessionId : null,
      videoId: target.videoId,
      tabId: target.tabId,
      mediaTime: onset.mediaTime,
      videoPlaying: onset.playing,
      onsetAt,
      durationMs: null,
      status: 'recording',
      message: null,
    });
    if (live) {
      this.queueEvent({
        kind: 'SPEECH_START',
        occurredAt: new Date(onsetAt).toISOString(),
        utteranceId,
        mediaTime: onset.mediaTime,
        videoPlaying: onset.playing,
      });
    } else {
      this.local(
        localSpeechStart(
          this.persisted.local,
          { utteranceId, playing: onset.playing, now: this.now() },
          this.settings,
        ),
      );
    }
    this.changed();
  }

  private speechEnd(
    utteranceId: string,
    durationMs: number,
    reason: Parameters<typeof serverEndReason>[0],
  ): void {
    const utterance = this.utterances[utteranceId];
    this.utterances = end(this.utterances, utteranceId, durationMs);
    if (this.persisted.ptt.held) this.set({ ptt: released(this.persisted.ptt) });
    const session = this.persisted.session;
    if (utterance?.sessionId && session?.book.sessionId === utterance.sessionId) {
      this.queueEvent({
        kind: 'SPEECH_END',
        occurredAt: new Date(utterance.onsetAt + Math.max(0, durationMs)).toISOString(),
        utteranceId,
        durationMs: Math.max(0, Math.round(durationMs)),
        reason: serverEndReason(reason),
      });
    } else {
      this.local(
        localSpeechEnd(
          this.persisted.local,
          { utteranceId, durationMs, now: this.now() },
          this.settings,
        ),
      );
    }
    this.afterUtterance();
  }

  private misfire(utteranceId: string): void {
    const utterance = this.utterances[utteranceId];
    this.utterances = forget(this.utterances, utteranceId);
    if (this.persisted.ptt.held) this.set({ ptt: released(this.persisted.ptt) });
    const session = this.persisted.session;
    if (utterance?.sessionId && session?.book.sessionId === utterance.sessionId) {
      // The server heard the start: a zero-length end is "too short" (back to observing, the
      // video resumed if it paused it).
      this.queueEvent({
        kind: 'SPEECH_END',
        occurredAt: new Date(this.now()).toISOString(),
        utteranceId,
        durationMs: 0,
        reason: 'NATURAL_END',
      });
    } else {
      this.local(localMisfire(this.persisted.local, utteranceId, this.now(), this.settings));
    }
    this.afterUtterance();
  }

  /** An utterance ended: a stop waiting for it proceeds, and a version switch or a move to
   * another tab waiting for it happens. */
  private afterUtterance(): void {
    const stopping = this.stopping;
    if (stopping && !recording(this.utterances)) {
      stopping.cancel();
      this.stopping = null;
      const session = this.persisted.session;
      if (session?.book.sessionId === stopping.sessionId) {
        void this.pump().then(() => this.closeSessionQuietly(stopping.sessionId));
        this.set({ session: null });
        this.serverState = null;
      }
    }
    if (this.persisted.local.state !== 'recording') this.ensureSession();
    this.follow();
    this.changed();
  }

  private async transcript(transcript: {
    utteranceId: string;
    text: string;
    confidence: number;
    words: { word: string; startMs: number; endMs: number }[] | null;
    source: string;
  }): Promise<{ received: boolean }> {
    const utterance = this.utterances[transcript.utteranceId];
    if (!utterance) {
      // Nothing says where it belongs (its utterance is not in the book): it cannot be placed.
      this.deps.track('voice.transcript_orphaned', 'WARN', { source: transcript.source });
      return { received: true };
    }
    const video = this.deps.tabVideo(utterance.tabId);
    const write = transcriptWrite(
      utterance,
      transcript,
      video?.videoId === utterance.videoId ? video.durationSeconds : null,
    );
    if (!write) {
      this.utterances = forget(this.utterances, utterance.utteranceId);
      this.deps.track('voice.transcript_empty', 'INFO', { source: transcript.source });
      this.changed();
      return { received: true };
    }
    try {
      await this.deps.addWrite(write);
    } catch (error) {
      // Not kept (storage full): the capture keeps it and offers it again.
      this.utterances = failed(
        this.utterances,
        utterance.utteranceId,
        `Not kept: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.changed();
      return { received: false };
    }
    this.utterances = sending(this.utterances, utterance.utteranceId);
    this.changed();
    return { received: true };
  }

  private flushMetrics(): void {
    const session = this.persisted.session;
    if (!session || !this.deps.socket.connected) {
      // Never replayed: what could not be sent now is dropped.
      this.metrics = NO_METRICS;
      return;
    }
    if (this.cancelMetrics) return;
    const taken = takeMetrics(this.metrics, this.now());
    this.metrics = taken.state;
    if (taken.report) {
      void this.deps.socket
        .execute({
          query: text(ReportVoiceMetricsDocument),
          variables: {
            input: {
              sessionId: session.book.sessionId,
              meanSpeechProbability: taken.report.meanProbability,
              maxSpeechProbability: taken.report.maxProbability,
              frames: taken.report.frames,
              latencyMs: taken.report.latencyMs,
            },
          },
        })
        .catch(() => undefined);
    } else if (taken.retryInMs !== null) {
      this.cancelMetrics = this.schedule(() => {
        this.cancelMetrics = null;
        this.flushMetrics();
      }, taken.retryInMs);
    }
  }

  // -------------------------------------------------------------------------------------------
  // The local loop (v1, and v2 between sessions).

  private local(step: { loop: LocalLoop; actions: LocalAction[] }): void {
    this.set({ local: step.loop });
    const tabId = this.persisted.target?.tabId;
    for (const action of step.actions) {
      if (action === 'stop-capture') {
        // No speech for `idleStopMs`, as the server's `no_speech_timeout`: "Listen again"
        // starts capture (and the loop) again.
        this.notice = 'Stopped listening after a while without speech.';
        this.deps.track('voice.stopped', 'INFO', { reason: 'no_speech_timeout', sessionId: null });
        void this.stopCapture();
      } else if (tabId !== undefined) {
        void this.deps.sendToTab(tabId, {
          kind: action === 'pause' ? 'page/pause' : 'page/resume',
        });
      }
    }
    this.armLocal();
  }

  private armLocal(): void {
    this.cancelLocal?.();
    this.cancelLocal = null;
    const due = localDeadline(this.persisted.local);
    if (due === null) return;
    this.cancelLocal = this.schedule(
      () => {
        this.cancelLocal = null;
        // The loop's idle stop applies only while it listens on its own: voice on, capture
        // running or starting, no session.
        const drives =
          this.persisted.on &&
          this.persisted.session === null &&
          (this.capture === 'running' || this.capture === 'starting');
        this.local(localTick(this.persisted.local, this.now(), drives));
        this.ensureSession();
      },
      Math.max(0, due - this.now()),
    );
  }

  // -------------------------------------------------------------------------------------------
  // The page, the reviewer, the outbox.

  playback(tabId: number, sample: PlaybackSample): void {
    if (this.persisted.on && this.persisted.target?.tabId === tabId) {
      this.history = addSample(this.history, sample);
    }
  }

  /** The push-to-talk shortcut was pressed. */
  async pushToTalkPressed(windowId: number | null): Promise<void> {
    await this.ready;
    const { state, change } = press(this.persisted.ptt, this.now());
    this.set({ ptt: state });
    if (change === 'down') {
      if (!this.persisted.on || this.capture !== 'running') {
        this.pushAfterStart = true;
        await this.setOn(true, windowId);
        return;
      }
      await this.deps.capture.pushToTalk(true);
    } else if (change === 'up') {
      this.pushAfterStart = false;
      await this.deps.capture.pushToTalk(false);
    }
  }

  /** The reviewer asked to transcribe a failed utterance again (starting the capture again
   * retries every failed one; its audio is still kept). */
  async retry(utteranceId: string): Promise<void> {
    await this.ready;
    if (!(utteranceId in this.utterances)) return;
    this.utterances = retrying(this.utterances, utteranceId);
    this.changed();
    await this.deps.capture.start(await this.config());
  }

  /** The outbox acknowledged a write: a transcript's note exists. */
  acknowledged(key: string): void {
    if (this.utterances[key]?.status !== 'sending') return;
    this.utterances = forget(this.utterances, key);
    this.changed();
  }

  /** The outbox gave a write up (the server refused it for good). */
  refused(write: OutboxWrite, message: string): void {
    if (write.kind !== 'submitTranscript' || !(write.key in this.utterances)) return;
    this.utterances = failed(this.utterances, write.key, message);
    this.changed();
  }
}
