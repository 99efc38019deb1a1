// The voice driver against fakes at its boundaries: the socket (the server's answers), the
// capture, the tabs and storage. The pure rules have their own tests; these check that the
// driver wires them: what goes to the server, to the page and to the outbox, and when.

import { describe, expect, it } from 'vitest';

import type {
  GraphqlOperation,
  GraphqlResult,
  OutboxWrite,
  WorkerToContent,
} from '@/shared/messages';
import type { CaptureConfig, CaptureToWorker } from '@/shared/voice';

import { SocketLost } from '../socket/socket';
import type { CaptureListener, CapturePort } from './capture';
import type { VoiceStatus } from './commands';
import { VoiceDriver, type PersistedVoice, type VoiceSocket, type VoiceStore } from './driver';
import type { TabTarget } from './target';
import type { UtteranceBook } from './utterances';

const T0 = Date.parse('2026-12-01T10:00:00Z');

class Clock {
  now = T0;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private ids = 0;

  schedule = (run: () => void, ms: number) => {
    const id = ++this.ids;
    this.timers.push({ at: this.now + ms, run, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  };

  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      // A timer overdue (the machine slept) runs late, at the clock's time.
      this.now = Math.max(this.now, due.at);
      due.run();
      await settle();
    }
    this.now = until;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

function nameOf(operation: GraphqlOperation): string {
  return /(?:mutation|query|subscription) (\w+)/.exec(operation.query)?.[1] ?? '?';
}

type Answer = (operation: GraphqlOperation) => GraphqlResult | Promise<GraphqlResult>;

class FakeSocket implements VoiceSocket {
  connected = true;
  calls: GraphqlOperation[] = [];
  sinks = new Map<string, { next(result: GraphqlResult): void }>();
  /** Per operation name; the default answers like a server in good health. */
  answers = new Map<string, Answer>();
  appliedSeq = 0;
  state = 'OBSERVING';

  async execute(operation: GraphqlOperation): Promise<GraphqlResult> {
    if (!this.connected) throw new SocketLost();
    this.calls.push(operation);
    const name = nameOf(operation);
    const answer = this.answers.get(name);
    if (answer) return answer(operation);
    const input = operation.variables?.input as Record<string, unknown> | undefined;
    switch (name) {
      case 'WorkerStartVoiceSession':
        this.appliedSeq = 0;
        return {
          data: { startVoiceSession: { id: 'session-1', state: 'OBSERVING', lastAppliedSeq: 0 } },
        };
      case 'WorkerVoiceEvent': {
        const seq = input?.seq as number;
        const outcome =
          seq <= this.appliedSeq ? 'DUPLICATE' : seq === this.appliedSeq + 1 ? 'APPLIED' : 'RESET';
        if (outcome === 'APPLIED') this.appliedSeq = seq;
        if (input?.kind === 'SPEECH_START' && outcome === 'APPLIED') this.state = 'RECORDING';
        if (input?.kind === 'SPEECH_END' && outcome === 'APPLIED') this.state = 'COOLDOWN';
        return {
          data: {
            voiceEvent: {
              sessionId: input?.sessionId,
              appliedSeq: this.appliedSeq,
              state: this.state,
              outcome,
              reason: null,
            },
          },
        };
      }
      case 'WorkerResumeVoiceSession': {
        const events = (input?.events ?? []) as { seq: number; kind: string }[];
        for (const event of events) {
          if (event.seq === this.appliedSeq + 1) this.appliedSeq = event.seq;
          if (event.kind === 'SPEECH_END') this.state = 'COOLDOWN';
        }
        return {
          data: {
            resumeVoiceSession: {
              outcome: 'APPLIED',
              reason: null,
              state: this.state,
              appliedSeq: this.appliedSeq,
            },
          },
        };
      }
      default:
        return { data: { ok: true } };
    }
  }

  /** Each subscription's payload as the socket would send it now (a function is read anew
   * at each reconnect). */
  payloads = new Map<string, () => GraphqlOperation>();

  subscribe(
    operation: GraphqlOperation | (() => GraphqlOperation),
    sink: { next(result: GraphqlResult): void },
  ) {
    const payload = typeof operation === 'function' ? operation : () => operation;
    const name = nameOf(payload());
    this.sinks.set(name, sink);
    this.payloads.set(name, payload);
    return () => this.sinks.delete(name) && this.payloads.delete(name);
  }

  settings(changed: Record<string, unknown>): void {
    this.sinks.get('WorkerSettingsChanged')?.next({ data: { settingsChanged: changed } });
  }

  named(name: string): Record<string, unknown>[] {
    return this.calls
      .filter((op) => nameOf(op) === name)
      .map((op) => (op.variables?.input ?? op.variables ?? {}) as Record<string, unknown>);
  }

  events(): Record<string, unknown>[] {
    return this.named('WorkerVoiceEvent');
  }

  status(change: Partial<VoiceStatus>): void {
    this.sinks.get('WorkerVoiceStatus')?.next({
      data: {
        voiceStatus: {
          sessionId: 'session-1',
          state: 'OBSERVING',
          previousState: null,
          cause: 'test',
          seq: this.appliedSeq,
          command: null,
          commandReason: null,
          restartBackoffMs: null,
          ...change,
        },
      },
    });
  }
}

/** A `CaptureToWorker` message without its `target` (distributed over the union). */
type Outgoing = CaptureToWorker extends infer M
  ? M extends CaptureToWorker
    ? Omit<M, 'target'>
    : never
  : never;

class FakeCapture implements CapturePort {
  commands: string[] = [];
  configs: CaptureConfig[] = [];
  private listener: CaptureListener | null = null;

  start(config: CaptureConfig) {
    this.commands.push('start');
    this.configs.push(config);
    void Promise.resolve().then(() => this.send({ kind: 'capture/started' }));
    return Promise.resolve();
  }
  configure(config: CaptureConfig) {
    this.commands.push('config');
    this.configs.push(config);
    return Promise.resolve();
  }
  stopUtterance() {
    this.commands.push('stop-utterance');
    return Promise.resolve();
  }
  stop() {
    this.commands.push('stop');
    return Promise.resolve();
  }
  restart() {
    this.commands.push('restart');
    void Promise.resolve().then(() => this.send({ kind: 'capture/started' }));
    return Promise.resolve();
  }
  pushToTalk(pressed: boolean) {
    this.commands.push(pressed ? 'ptt-down' : 'ptt-up');
    return Promise.resolve();
  }
  onMessage(listener: CaptureListener) {
    this.listener = listener;
    return () => undefined;
  }

  send(message: Outgoing): Promise<unknown> {
    return this.listener?.({ target: 'worker', ...message }) ?? Promise.resolve(undefined);
  }
}

class MemoryStore implements VoiceStore {
  state: PersistedVoice | null = null;
  utterances: UtteranceBook = {};
  load() {
    return Promise.resolve({ state: this.state, utterances: this.utterances });
  }
  saveState(state: PersistedVoice) {
    this.state = structuredClone(state);
    return Promise.resolve();
  }
  saveUtterances(book: UtteranceBook) {
    this.utterances = structuredClone(book);
    return Promise.resolve();
  }
}

const TAB: TabTarget = {
  tabId: 7,
  videoId: 'video-1',
  pageInstanceId: 'page-1',
  durationSeconds: 600,
  context: 'owner',
};

const HANDSHAKE_V2 = {
  protocol: { supportedVersions: [1, 2], activeVersion: 2 },
  features: { server_voice_session: true },
  config: { heartbeatIntervalMs: 5_000, preRollMs: 500, autoResumeDelayMs: 500 },
};
const HANDSHAKE_V1 = {
  ...HANDSHAKE_V2,
  protocol: { supportedVersions: [1, 2], activeVersion: 1 },
  features: { server_voice_session: false },
};

function rig(
  options: { store?: MemoryStore; socket?: FakeSocket; features?: Record<string, boolean> } = {},
) {
  const clock = new Clock();
  const socket = options.socket ?? new FakeSocket();
  const capture = new FakeCapture();
  const store = options.store ?? new MemoryStore();
  const writes: OutboxWrite[] = [];
  const toTab: { tabId: number; message: WorkerToContent }[] = [];
  const tracked: string[] = [];
  /** The listened tab's video (undefined: the tracker cannot tell yet). */
  let tab: TabTarget | null | undefined = TAB;
  /** The focused window's tab, when it is not the listened one (undefined: it is). */
  let focused: TabTarget | null | undefined = undefined;
  let features = options.features ?? { server_voice_session: true };
  const driver = new VoiceDriver({
    socket,
    capture,
    addWrite: (write) => {
      writes.push(write);
      return Promise.resolve();
    },
    sendToTab: (tabId, message) => {
      toTab.push({ tabId, message });
      if (message.kind === 'page/playhead') return Promise.resolve({ seconds: 40, playing: false });
      return Promise.resolve(undefined);
    },
    tabTarget: () => (focused === undefined ? (tab ?? null) : focused),
    tabVideo: (tabId) => (tab === undefined ? undefined : tab?.tabId === tabId ? tab : null),
    features: () => features,
    connection: () => (socket.connected ? 'connected' : 'reconnecting'),
    store,
    deviceVoice: () => Promise.resolve({ apiKey: null, downloadAllowed: true, fixture: null }),
    changed: () => undefined,
    level: () => undefined,
    badge: () => undefined,
    track: (name) => tracked.push(name),
    now: () => clock.now,
    schedule: clock.schedule,
  });
  return {
    clock,
    socket,
    capture,
    store,
    driver,
    writes,
    toTab,
    tracked,
    setTab: (next: TabTarget | null | undefined) => (tab = next),
    setFocused: (next: TabTarget | null | undefined) => (focused = next),
    setFeatures: (next: Record<string, boolean>) => (features = next),
    pageMessages: (kind: WorkerToContent['kind']) => toTab.filter((m) => m.message.kind === kind),
    /** The video plays from `seconds` at `at`. */
    playing: (at: number, seconds: number) =>
      driver.playback(TAB.tabId, { at, seconds, playing: true, rate: 1 }),
  };
}

async function listening(r: ReturnType<typeof rig>, handshake: unknown = HANDSHAKE_V2) {
  await r.driver.connected(handshake);
  await r.driver.setOn(true, 1);
  await settle();
}

describe('the v2 session', () => {
  it('starts a session for the owning tab, watches its playhead and starts capture', async () => {
    const r = rig();
    await listening(r);
    expect(r.socket.named('WorkerStartVoiceSession')).toEqual([
      { videoId: 'video-1', tabId: 7, pageInstanceId: 'page-1' },
    ]);
    expect(r.pageMessages('page/playback-watch')).toEqual([
      { tabId: 7, message: { kind: 'page/playback-watch', on: true } },
    ]);
    expect(r.capture.commands).toContain('start');
    expect(r.capture.configs[0]?.vad.preRollMs).toBe(500);
    expect(r.driver.view).toMatchObject({
      on: true,
      protocol: 2,
      state: 'observing',
      capture: 'running',
    });
  });

  it('turns a speech onset into SPEECH_START at the onset’s media time, then SPEECH_END', async () => {
    const r = rig();
    await listening(r);
    r.playing(T0 - 1_000, 20);
    await r.capture.send({ kind: 'capture/speech-start', utteranceId: 'u1', onsetAt: T0 + 2_000 });
    await settle();
    // 3 s after 20 s of playback, minus the 500 ms pre-roll.
    expect(r.socket.events()).toEqual([
      {
        sessionId: 'session-1',
        seq: 1,
        kind: 'SPEECH_START',
        occurredAt: new Date(T0 + 2_000).toISOString(),
        utteranceId: 'u1',
        mediaTime: 22.5,
        videoPlaying: true,
      },
    ]);
    await r.capture.send({
      kind: 'capture/speech-end',
      utteranceId: 'u1',
      durationMs: 1800,
      reason: 'SILENCE',
    });
    await settle();
    expect(r.socket.events()[1]).toMatchObject({
      seq: 2,
      kind: 'SPEECH_END',
      utteranceId: 'u1',
      durationMs: 1800,
      reason: 'NATURAL_END',
    });
    expect(r.driver.view.utterances).toEqual([
      { utteranceId: 'u1', mediaTime: 22.5, status: 'transcribing', message: null },
    ]);
  });

  it('carries out the commands: pause and resume the owning tab, stop the utterance, restart capture', async () => {
    const r = rig();
    await listening(r);
    r.socket.status({ state: 'RECORDING', command: 'PAUSE_VIDEO' });
    r.socket.status({ state: 'COOLDOWN', command: 'RESUME_VIDEO' });
    r.socket.status({ state: 'RECORDING', command: 'STOP_UTTERANCE' });
    r.socket.status({ state: 'ERROR', command: 'RESTART_CAPTURE', restartBackoffMs: 1_000 });
    r.socket.status({ sessionId: 'someone-else', command: 'PAUSE_VIDEO' });
    await settle();
    expect(r.pageMessages('page/pause')).toEqual([{ tabId: 7, message: { kind: 'page/pause' } }]);
    expect(r.pageMessages('page/resume')).toEqual([{ tabId: 7, message: { kind: 'page/resume' } }]);
    expect(r.capture.commands).toContain('stop-utterance');
    expect(r.capture.commands).not.toContain('restart');
    await r.clock.advance(1_000);
    expect(r.capture.commands).toContain('restart');
    // Capture is back: a heartbeat brings the session back to observing.
    expect(r.socket.events().at(-1)?.kind).toBe('HEARTBEAT');
  });

  it('sends a heartbeat every heartbeatIntervalMs', async () => {
    const r = rig();
    await listening(r);
    await r.clock.advance(15_000);
    expect(r.socket.events().map((e) => e.kind)).toEqual(['HEARTBEAT', 'HEARTBEAT', 'HEARTBEAT']);
    expect(r.socket.events().map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('reports VAD metrics at most once a second', async () => {
    const r = rig();
    await listening(r);
    const metrics = { meanProbability: 0.2, maxProbability: 0.7, frames: 30, latencyMs: 40 };
    for (let i = 0; i < 5; i += 1) {
      await r.capture.send({ kind: 'capture/metrics', ...metrics });
      await r.clock.advance(300);
    }
    expect(r.socket.named('WorkerReportVoiceMetrics')).toHaveLength(2);
    expect(r.socket.named('WorkerReportVoiceMetrics')[0]).toEqual({
      sessionId: 'session-1',
      meanSpeechProbability: 0.2,
      maxSpeechProbability: 0.7,
      frames: 30,
      latencyMs: 40,
    });
  });

  it('hands each transcript to the outbox with what its utterance’s events said', async () => {
    const r = rig();
    await listening(r);
    r.playing(T0, 10);
    await r.capture.send({ kind: 'capture/speech-start', utteranceId: 'u1', onsetAt: T0 + 1_000 });
    await r.capture.send({
      kind: 'capture/speech-end',
      utteranceId: 'u1',
      durationMs: 900,
      reason: 'SILENCE',
    });
    const receipt = await r.capture.send({
      kind: 'capture/transcript',
      transcript: {
        utteranceId: 'u1',
        text: 'the audio is too loud',
        confidence: 0.9,
        words: null,
        source: 'fixture',
      },
    });
    expect(receipt).toEqual({ received: true });
    expect(r.writes).toEqual([
      {
        kind: 'submitTranscript',
        key: 'u1',
        input: {
          utteranceId: 'u1',
          sessionId: 'session-1',
          videoId: 'video-1',
          mediaTime: 10.5,
          durationMs: 900,
          text: 'the audio is too loud',
          confidence: 0.9,
          source: 'fixture',
        },
      },
    ]);
    expect(r.driver.view.utterances[0]?.status).toBe('sending');
    r.driver.acknowledged('u1');
    expect(r.driver.view.utterances).toEqual([]);
  });

  it('submits nothing for an empty transcript, and shows a failed one for a retry', async () => {
    const r = rig();
    await listening(r);
    for (const id of ['quiet', 'broken']) {
      await r.capture.send({ kind: 'capture/speech-start', utteranceId: id, onsetAt: T0 });
      await r.capture.send({
        kind: 'capture/speech-end',
        utteranceId: id,
        durationMs: 700,
        reason: 'SILENCE',
      });
    }
    await r.capture.send({
      kind: 'capture/transcript',
      transcript: {
        utteranceId: 'quiet',
        text: '  ',
        confidence: 1,
        words: null,
        source: 'fixture',
      },
    });
    await r.capture.send({
      kind: 'capture/transcript-failed',
      utteranceId: 'broken',
      message: 'timed out',
    });
    expect(r.writes).toEqual([]);
    expect(r.driver.view.utterances).toEqual([
      { utteranceId: 'broken', mediaTime: 40, status: 'failed', message: 'timed out' },
    ]);
    await r.driver.retry('broken');
    expect(r.driver.view.utterances[0]?.status).toBe('transcribing');
    expect(r.capture.commands.filter((c) => c === 'start')).toHaveLength(2);
  });

  it('keeps events while the connection is down and replays them in resumeVoiceSession', async () => {
    const r = rig();
    await listening(r);
    await r.capture.send({ kind: 'capture/speech-start', utteranceId: 'u1', onsetAt: T0 });
    await settle();
    r.socket.connected = false;
    r.driver.disconnected();
    await r.capture.send({
      kind: 'capture/speech-end',
      utteranceId: 'u1',
      durationMs: 1500,
      reason: 'SILENCE',
    });
    await r.capture.send({
      kind: 'capture/transcript',
      transcript: {
        utteranceId: 'u1',
        text: 'cut earlier',
        confidence: 1,
        words: null,
        source: 'fixture',
      },
    });
    expect(r.driver.view.state).toBe('disconnected');
    expect(r.writes).toHaveLength(1);
    r.socket.connected = true;
    await r.driver.connected(HANDSHAKE_V2);
    await settle();
    const [resume] = r.socket.named('WorkerResumeVoiceSession');
    expect(resume?.sessionId).toBe('session-1');
    expect(resume?.lastKnownState).toMatchObject({
      sessionId: 'session-1',
      state: 'RECORDING',
      seq: 1,
    });
    expect((resume?.events as { seq: number; kind: string }[]).map((e) => [e.seq, e.kind])).toEqual(
      [[2, 'SPEECH_END']],
    );
    expect(r.driver.view.state).toBe('cooldown');
  });

  it('adopts a RESET: the buffer goes, and the transcript goes without the session', async () => {
    const r = rig();
    await listening(r);
    // The server marked the session disconnected (heartbeats lapsed) while the socket stayed.
    r.socket.answers.set('WorkerVoiceEvent', () => ({
      data: {
        voiceEvent: {
          sessionId: 'session-1',
          appliedSeq: 0,
          state: 'DISCONNECTED',
          outcome: 'RESET',
          reason: 'disconnected',
        },
      },
    }));
    await r.capture.send({ kind: 'capture/speech-start', utteranceId: 'u1', onsetAt: T0 });
    await settle();
    r.socket.answers.delete('WorkerVoiceEvent');
    // Adopting a disconnected state means resuming, with nothing left to replay.
    expect(r.socket.named('WorkerResumeVoiceSession')).toEqual([
      {
        sessionId: 'session-1',
        lastKnownState: {
          sessionId: 'session-1',
          state: 'DISCONNECTED',
          lastEventAt: null,
          seq: 0,
        },
        events: [],
      },
    ]);
    await r.capture.send({
      kind: 'capture/speech-end',
      utteranceId: 'u1',
      durationMs: 1500,
      reason: 'SILENCE',
    });
    await r.capture.send({
      kind: 'capture/transcript',
      transcript: {
        utteranceId: 'u1',
        text: 'too dark',
        confidence: 1,
        words: null,
        source: 'fixture',
      },
    });
    // The server never took u1's start: its end is not sent, and its note needs no session.
    expect(r.socket.events().map((e) => [e.seq, e.kind])).toEqual([[1, 'SPEECH_START']]);
    expect(r.writes[0]?.kind === 'submitTranscript' && r.writes[0].input).not.toHaveProperty(
      'sessionId',
    );
    await r.clock.advance(5_000);
    expect(r.socket.events().at(-1)).toMatchObject({ seq: 1, kind: 'HEARTBEAT' });
  });

  it('resumes after the machine slept past the heartbeat timeout', async () => {
    const r = rig();
    await listening(r);
    await r.clock.advance(5_000);
    // Asleep: no timer ran for a minute; the first one after waking finds the gap.
    r.clock.now += 60_000;
    await r.clock.advance(5_000);
    expect(r.socket.named('WorkerResumeVoiceSession')).toHaveLength(1);
  });

  it('starts a new session when the server says the old one is gone', async () => {
    const r = rig();
    await listening(r);
    r.socket.answers.set('WorkerVoiceEvent', () => ({
      errors: [{ message: 'no live voice session', extensions: { code: 'NOT_FOUND' } }],
    }));
    await r.clock.advance(5_000);
    r.socket.answers.delete('WorkerVoiceEvent');
    await settle();
    expect(r.socket.named('WorkerStartVoiceSession')).toHaveLength(2);
  });

  it('a restarted worker resumes the session it kept', async () => {
    const store = new MemoryStore();
    const first = rig({ store });
    await listening(first);
    await first.capture.send({ kind: 'capture/speech-start', utteranceId: 'u1', onsetAt: T0 });
    first.socket.connected = false;
    first.driver.disconnected();
    await first.capture.send({
      kind: 'capture/speech-end',
      utteranceId: 'u1',
      durationMs: 800,
      reason: 'SILENCE',
    });
    await settle();

    const socket = new FakeSocket();
    socket.appliedSeq = 1;
    socket.state = 'RECORDING';
    const second = rig({ store, socket });
    await settle();
    expect(second.pageMessages('page/playback-watch')).toHaveLength(1);
    await second.driver.connected(HANDSHAKE_V2);
    await settle();
    expect(socket.named('WorkerStartVoiceSession')).toEqual([]);
    const [resume] = socket.named('WorkerResumeVoiceSession');
    expect((resume?.events as { kind: string }[]).map((e) => e.kind)).toEqual(['SPEECH_END']);
    // Its transcript, transcribed meanwhile, still knows where it goes.
    await second.capture.send({
      kind: 'capture/transcript',
      transcript: {
        utteranceId: 'u1',
        text: 'logo too small',
        confidence: 1,
        words: null,
        source: 'fixture',
      },
    });
    expect(second.writes[0]).toMatchObject({
      key: 'u1',
      input: { sessionId: 'session-1', durationMs: 800 },
    });
  });

  it('goes idle when the server stops capture for lack of speech, and wakes the same session', async () => {
    const r = rig();
    await listening(r);
    r.socket.status({ state: 'IDLE', command: 'STOP_CAPTURE', commandReason: 'no_speech_timeout' });
    await settle();
    expect(r.capture.commands.at(-1)).toBe('stop');
    expect(r.driver.view.state).toBe('idle');
    r.socket.answers.set('WorkerStartVoiceSession', () => ({
      data: { startVoiceSession: { id: 'session-1', state: 'OBSERVING', lastAppliedSeq: 0 } },
    }));
    await r.driver.setOn(true, 1);
    await settle();
    expect(r.socket.named('WorkerStartVoiceSession').at(-1)).toMatchObject({
      resumeSessionId: 'session-1',
    });
    expect(r.driver.view.state).toBe('observing');
  });

  it('starts a new session when the reviewer listens again after the circuit opened', async () => {
    const r = rig();
    await listening(r);
    await r.capture.send({ kind: 'capture/error', code: 'MIC_MISSING', message: 'unplugged' });
    await settle();
    expect(r.socket.events().at(-1)).toMatchObject({
      kind: 'ERROR',
      message: 'MIC_MISSING: unplugged',
    });
    expect(r.driver.view.capture).toBe('mic-missing');
    r.socket.status({ state: 'ERROR', command: 'STOP_CAPTURE', commandReason: 'circuit_open' });
    await settle();
    expect(r.driver.view).toMatchObject({ state: 'error', capture: 'off' });
    await r.driver.setOn(true, 1);
    await settle();
    expect(r.socket.named('WorkerStopVoiceSession')).toEqual([{ sessionId: 'session-1' }]);
    expect(r.socket.named('WorkerStartVoiceSession')).toHaveLength(2);
    expect(r.capture.commands.at(-1)).toBe('start');
  });
});

describe('settings', () => {
  const vad = (r: ReturnType<typeof rig>) => r.capture.configs.at(-1)?.vad;

  it('subscribes from the newest version applied, so nothing written meanwhile is missed', async () => {
    const r = rig();
    await listening(r);
    const sent = () => r.socket.payloads.get('WorkerSettingsChanged')?.();
    // Only the handshake's settings so far: it carries no version.
    expect(sent()?.variables).toEqual({ since: 0 });

    // The server's first answer: settings written after the handshake was read.
    r.socket.settings({ version: 3, startThreshold: 0.8 });
    await settle();
    expect(vad(r)?.startThreshold).toBe(0.8);
    // What a reconnect sends now.
    expect(sent()?.variables).toEqual({ since: 3 });

    // An older or repeated version changes nothing.
    const configured = r.capture.configs.length;
    r.socket.settings({ version: 2, startThreshold: 0.5 });
    r.socket.settings({ version: 3, startThreshold: 0.5 });
    await settle();
    expect(r.capture.configs.length).toBe(configured);
    expect(vad(r)?.startThreshold).toBe(0.8);

    r.socket.settings({ version: 4, startThreshold: 0.7, preRollMs: 300 });
    await settle();
    expect(vad(r)).toMatchObject({ startThreshold: 0.7, preRollMs: 300 });
    expect(sent()?.variables).toEqual({ since: 4 });
  });
});

describe('the lifecycle', () => {
  it('stops capture when the listened tab closes, and the utterance still becomes a note', async () => {
    const r = rig();
    await listening(r);
    await r.capture.send({ kind: 'capture/speech-start', utteranceId: 'u1', onsetAt: T0 });
    r.setTab(null);
    await r.driver.tabClosed(7);
    expect(r.capture.commands.at(-1)).toBe('stop');
    // The capture ends the utterance it was recording, then transcribes it.
    await r.capture.send({
      kind: 'capture/speech-end',
      utteranceId: 'u1',
      durationMs: 600,
      reason: 'CAPTURE_STOPPED',
    });
    await settle();
    expect(r.socket.events().at(-1)).toMatchObject({ kind: 'SPEECH_END', reason: 'FORCED_END' });
    expect(r.socket.named('WorkerStopVoiceSession')).toEqual([{ sessionId: 'session-1' }]);
    await r.capture.send({
      kind: 'capture/transcript',
      transcript: {
        utteranceId: 'u1',
        text: 'check the mix',
        confidence: 1,
        words: null,
        source: 'fixture',
      },
    });
    expect(r.writes).toHaveLength(1);
    expect(r.driver.view.on).toBe(false);
  });

  it('follows the tab to another video with a new session', async () => {
    const r = rig();
    await listening(r);
    r.setTab({ ...TAB, videoId: 'video-2' });
    r.driver.follow();
    await settle();
    expect(r.socket.named('WorkerStartVoiceSession').at(-1)).toMatchObject({
      videoId: 'video-2',
      tabId: 7,
    });
  });

  it('stops listening when its tab shows no video any more, and listens again when one comes', async () => {
    const r = rig();
    await listening(r);
    r.setTab(null);
    r.driver.follow();
    await settle();
    expect(r.socket.named('WorkerStopVoiceSession')).toEqual([{ sessionId: 'session-1' }]);
    expect(r.capture.commands.at(-1)).toBe('stop');
    expect(r.driver.view).toMatchObject({ on: true, state: 'waiting', tabId: null });
    r.setTab({ ...TAB, videoId: 'video-2', pageInstanceId: 'page-2' });
    r.driver.follow();
    await settle();
    expect(r.socket.named('WorkerStartVoiceSession').at(-1)).toMatchObject({ videoId: 'video-2' });
    expect(r.capture.commands.at(-1)).toBe('start');
    expect(r.driver.view.state).toBe('observing');
  });

  it('follows a tab in the background of its window to its next video, and stops when it shows none', async () => {
    const r = rig();
    await listening(r);
    // The reviewer moved to a tab without a video; the listened one plays on behind it.
    r.setFocused(null);
    r.driver.follow();
    await settle();
    expect(r.socket.named('WorkerStartVoiceSession')).toHaveLength(1);
    // Its page moves on to the next video (the context its earlier page held is free to it).
    r.setTab({ ...TAB, videoId: 'video-2', pageInstanceId: 'page-2', context: 'available' });
    r.driver.follow();
    await settle();
    expect(r.socket.named('WorkerStartVoiceSession').at(-1)).toEqual({
      videoId: 'video-2',
      tabId: 7,
      pageInstanceId: 'page-2',
    });
    expect(r.driver.view).toMatchObject({ on: true, tabId: 7, state: 'observing' });
    // While its next page is being identified nothing changes.
    r.setTab(undefined);
    r.driver.follow();
    await settle();
    expect(r.socket.named('WorkerStopVoiceSession')).toEqual([]);
    r.setTab(null);
    r.driver.follow();
    await settle();
    expect(r.socket.named('WorkerStopVoiceSession')).toEqual([{ sessionId: 'session-1' }]);
    expect(r.driver.view).toMatchObject({ on: true, state: 'waiting', tabId: null });
  });

  it('does not take the video back from another browser by itself', async () => {
    const r = rig();
    await listening(r);
    r.setTab({ ...TAB, context: 'taken' });
    r.socket.status({ state: 'CLOSED', command: 'STOP_CAPTURE', commandReason: 'context_moved' });
    await settle();
    expect(r.capture.commands.at(-1)).toBe('stop');
    expect(r.socket.named('WorkerStartVoiceSession')).toHaveLength(1);
    expect(r.driver.view.notice).toMatch(/took this video/);
  });
});

describe('the v1 fallback', () => {
  it('runs the loop locally: pause, resume after the delay, transcript without a session', async () => {
    const r = rig({ features: { server_voice_session: false } });
    await listening(r, HANDSHAKE_V1);
    expect(r.socket.named('WorkerStartVoiceSession')).toEqual([]);
    expect(r.driver.view.protocol).toBe(1);
    r.playing(T0, 5);
    await r.capture.send({ kind: 'capture/speech-start', utteranceId: 'u1', onsetAt: T0 + 1_000 });
    expect(r.pageMessages('page/pause')).toHaveLength(1);
    expect(r.driver.view.state).toBe('recording');
    await r.capture.send({
      kind: 'capture/speech-end',
      utteranceId: 'u1',
      durationMs: 1_000,
      reason: 'SILENCE',
    });
    await r.clock.advance(499);
    expect(r.pageMessages('page/resume')).toHaveLength(0);
    await r.clock.advance(1);
    expect(r.pageMessages('page/resume')).toHaveLength(1);
    await r.capture.send({
      kind: 'capture/transcript',
      transcript: {
        utteranceId: 'u1',
        text: 'nice shot',
        confidence: 1,
        words: null,
        source: 'fixture',
      },
    });
    expect(r.writes[0]).toMatchObject({
      input: { videoId: 'video-1', mediaTime: 5.5, durationMs: 1_000 },
    });
    expect(r.writes[0]?.kind === 'submitTranscript' && r.writes[0].input).not.toHaveProperty(
      'sessionId',
    );
    expect(r.socket.events()).toEqual([]);
  });

  it('stops capture after idleStopMs without speech, and listens again on the reviewer’s word', async () => {
    const r = rig({ features: { server_voice_session: false } });
    await listening(r, { ...HANDSHAKE_V1, config: { ...HANDSHAKE_V1.config, idleStopMs: 60_000 } });
    expect(r.driver.view.state).toBe('observing');
    await r.capture.send({ kind: 'capture/speech-start', utteranceId: 'u1', onsetAt: T0 });
    await r.clock.advance(30_000);
    await r.capture.send({
      kind: 'capture/speech-end',
      utteranceId: 'u1',
      durationMs: 30_000,
      reason: 'SILENCE',
    });
    // Counted from the end of the cooldown after the last speech, not from the start.
    await r.clock.advance(500 + 59_999);
    expect(r.capture.commands).not.toContain('stop');
    await r.clock.advance(1);
    expect(r.capture.commands.at(-1)).toBe('stop');
    expect(r.driver.view).toMatchObject({
      on: true,
      state: 'idle',
      capture: 'off',
      notice: 'Stopped listening after a while without speech.',
    });
    expect(r.tracked).toContain('voice.stopped');
    await r.driver.setOn(true, 1);
    await settle();
    expect(r.capture.commands.at(-1)).toBe('start');
    expect(r.driver.view).toMatchObject({ state: 'observing', capture: 'running', notice: null });
    await r.clock.advance(59_999);
    expect(r.capture.commands.at(-1)).toBe('start');
    await r.clock.advance(1);
    expect(r.capture.commands.at(-1)).toBe('stop');
  });

  it('leaves the idle stop to the server while a v2 session runs', async () => {
    const r = rig();
    await listening(r, { ...HANDSHAKE_V2, config: { ...HANDSHAKE_V2.config, idleStopMs: 60_000 } });
    await r.clock.advance(120_000);
    expect(r.capture.commands).not.toContain('stop');
    expect(r.driver.view.state).toBe('observing');
  });

  it('switches to v1 in the middle of an utterance without losing it', async () => {
    const r = rig();
    await listening(r);
    r.playing(T0, 30);
    await r.capture.send({ kind: 'capture/speech-start', utteranceId: 'u1', onsetAt: T0 });
    await settle();
    r.socket.status({ state: 'RECORDING', command: 'PAUSE_VIDEO' });
    r.setFeatures({ server_voice_session: false });
    r.driver.featuresChanged();
    await r.capture.send({
      kind: 'capture/speech-end',
      utteranceId: 'u1',
      durationMs: 1_200,
      reason: 'SILENCE',
    });
    await r.clock.advance(500);
    // The local loop resumed the video the server had paused, and the note still comes.
    expect(r.pageMessages('page/resume')).toHaveLength(1);
    await r.capture.send({
      kind: 'capture/transcript',
      transcript: {
        utteranceId: 'u1',
        text: 'grade is off',
        confidence: 1,
        words: null,
        source: 'fixture',
      },
    });
    expect(r.writes[0]).toMatchObject({ key: 'u1', input: { mediaTime: 29.5 } });
    expect(r.socket.named('WorkerStopVoiceSession')).toEqual([{ sessionId: 'session-1' }]);
  });

  it('switches to v2 only once the local loop’s utterance has ended', async () => {
    const r = rig({ features: { server_voice_session: false } });
    await listening(r, HANDSHAKE_V1);
    await r.capture.send({ kind: 'capture/speech-start', utteranceId: 'u1', onsetAt: T0 });
    r.setFeatures({ server_voice_session: true });
    r.driver.featuresChanged();
    await settle();
    expect(r.socket.named('WorkerStartVoiceSession')).toEqual([]);
    await r.capture.send({
      kind: 'capture/speech-end',
      utteranceId: 'u1',
      durationMs: 1_200,
      reason: 'SILENCE',
    });
    await settle();
    expect(r.socket.named('WorkerStartVoiceSession')).toHaveLength(1);
    expect(r.socket.events()).toEqual([]);
  });
});

describe('push-to-talk', () => {
  it('toggles on the shortcut and turns voice on when it was off', async () => {
    const r = rig();
    await r.driver.connected(HANDSHAKE_V2);
    await r.driver.pushToTalkPressed(1);
    await settle();
    expect(r.driver.view.on).toBe(true);
    expect(r.capture.commands).toContain('ptt-down');
    expect(r.driver.view.pushToTalk).toBe(true);
    await r.clock.advance(2_000);
    await r.driver.pushToTalkPressed(1);
    expect(r.capture.commands.at(-1)).toBe('ptt-up');
    expect(r.driver.view.pushToTalk).toBe(false);
  });
});
