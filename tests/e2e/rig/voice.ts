// What the voice tests watch from outside the extension's code, each on the clock every
// context of the extension dates things with (epoch ms, `performance.timeOrigin +
// performance.now()`):
//   - when Chromium's fake microphone began playing its file (`probeMicrophone`), so a
//     sentence's place in the WAV becomes an instant;
//   - the page video's timeline (`recordTimeline`), so an instant becomes a media time, and
//     the pauses and resumes are seen as the page saw them;
//   - when each note appeared in the side panel (`watchPanelNotes`);
//   - what the offscreen document told the worker (`recordCapture`), for the latency's parts;
//   - the server's session statuses (`followVoiceStatus`, the `voiceStatus` subscription).

import type { CDPSession, Page, Worker } from '@playwright/test';
import type { Client } from 'graphql-ws';

import type { WebSession } from './api';
import type { ExtensionBrowser } from './extension';

// ---------------------------------------------------------------------------------------------
// The fake microphone

export interface MicrophoneStart {
  /** When the microphone began playing its file (epoch ms): the track's own count of the audio
   * it delivered since it started (`MediaStreamTrack.stats.totalFramesDuration`) taken from the
   * instant it was read, the median of a few readings. The fake device plays its file in real
   * time from the moment the stream starts, so sample `s` of the file is heard at
   * `at + s / rate`. */
  at: number;
  /** `getUserMedia` was called and resolved at these instants (`at` lies between them, give or
   * take a 10 ms audio buffer). */
  calledAt: number;
  resolvedAt: number;
}

export interface MicrophoneProbe {
  /** Waits until the offscreen document opened the microphone, then dates its start. */
  started(timeoutMs?: number): Promise<MicrophoneStart>;
  detach(): Promise<void>;
}

/**
 * Opens the extension's offscreen document from the worker, before the extension does (its
 * capture host then uses the document that is there, as it would one Chrome kept), attaches to
 * it through the DevTools protocol from `page`, and wraps `navigator.mediaDevices.getUserMedia`
 * there to keep the stream it answers, before any capture starts. The wrapper changes nothing
 * the capture sees. Playwright has no page for an offscreen document, and Chrome's DevTools
 * `Target.sendMessageToTarget` reaches it from any page's session.
 */
export async function probeMicrophone(
  browser: ExtensionBrowser,
  page: Page,
): Promise<MicrophoneProbe> {
  await browser.worker.evaluate(async () => {
    const scope = globalThis as unknown as {
      chrome: {
        offscreen: {
          createDocument(parameters: {
            url: string;
            reasons: string[];
            justification: string;
          }): Promise<void>;
        };
      };
    };
    await scope.chrome.offscreen.createDocument({
      url: 'offscreen.html',
      reasons: ['USER_MEDIA'],
      justification: 'Lossy listens to the microphone (an end-to-end test opened it first).',
    });
  });
  const cdp = await page.context().newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((info) =>
    info.url.startsWith(`chrome-extension://${browser.extensionId}/offscreen.html`),
  );
  if (!target) throw new Error('no offscreen document among the browser targets');
  const { sessionId } = await cdp.send('Target.attachToTarget', {
    targetId: target.targetId,
    flatten: false,
  });
  const evaluate = inOffscreen(cdp, sessionId);
  await evaluate(
    String(() => {
      const scope = globalThis as unknown as {
        lossyMicrophone: { calledAt: number; resolvedAt: number; stream: MediaStream }[];
      };
      const stamp = () => performance.timeOrigin + performance.now();
      const devices = navigator.mediaDevices;
      const original = devices.getUserMedia.bind(devices);
      scope.lossyMicrophone = [];
      devices.getUserMedia = async (constraints) => {
        const calledAt = stamp();
        const stream = await original(constraints);
        scope.lossyMicrophone.push({ calledAt, resolvedAt: stamp(), stream });
        return stream;
      };
    }),
  );

  return {
    async started(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const answer = (await evaluate(
          String(async () => {
            const scope = globalThis as unknown as {
              lossyMicrophone: { calledAt: number; resolvedAt: number; stream: MediaStream }[];
            };
            const [first] = scope.lossyMicrophone;
            if (!first) return null;
            const [track] = first.stream.getAudioTracks();
            const stats = (track as { stats?: { totalFramesDuration: number } } | undefined)?.stats;
            const starts: number[] = [];
            for (let i = 0; i < 5 && stats; i++) {
              starts.push(performance.timeOrigin + performance.now() - stats.totalFramesDuration);
              await new Promise((resolve) => setTimeout(resolve, 60));
            }
            starts.sort((a, b) => a - b);
            return {
              // Without the track's statistics (older Chromium), the resolution is the nearest.
              at: starts[Math.floor(starts.length / 2)] ?? first.resolvedAt,
              calledAt: first.calledAt,
              resolvedAt: first.resolvedAt,
            };
          }),
        )) as MicrophoneStart | null;
        if (answer) return answer;
        if (Date.now() > deadline)
          throw new Error('the offscreen document never opened the microphone');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async detach() {
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    },
  };
}

/** `Runtime.evaluate` in an attached target through its parent session (not flattened). */
function inOffscreen(cdp: CDPSession, sessionId: string): (source: string) => Promise<unknown> {
  let id = 0;
  const waiting = new Map<number, (message: CdpAnswer) => void>();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as CdpAnswer;
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  return async (source) => {
    id += 1;
    const answer = new Promise<CdpAnswer>((resolve) => waiting.set(id, resolve));
    await cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({
        id,
        method: 'Runtime.evaluate',
        params: { expression: `(${source})()`, returnByValue: true, awaitPromise: true },
      }),
    });
    const { result, error } = await answer;
    if (error) throw new Error(`offscreen document: ${error.message}`);
    if (result?.exceptionDetails) {
      throw new Error(
        `offscreen document: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`,
      );
    }
    return result?.result.value;
  };
}

interface CdpAnswer {
  id?: number;
  error?: { message: string };
  result?: {
    result: { value?: unknown };
    exceptionDetails?: { text: string; exception?: { description?: string } };
  };
}

// ---------------------------------------------------------------------------------------------
// The page video's timeline

export interface TimelineSample {
  /** `tick` (every 20 ms) or the media event that recorded it. */
  kind: string;
  at: number;
  seconds: number;
  paused: boolean;
  rate: number;
}

/** Records the page video's (`selector`) playhead against the clock, every 20 ms and on each
 * media event, in the page's main world (the video's own page, brought to the front: its timers
 * are not throttled). */
export async function recordTimeline(page: Page, selector: string): Promise<void> {
  await page.evaluate((selector) => {
    const video = document.querySelector<HTMLVideoElement>(selector);
    if (!video) throw new Error(`no ${selector}`);
    const samples: TimelineSample[] = [];
    (window as unknown as { lossyTimeline: TimelineSample[] }).lossyTimeline = samples;
    const record = (kind: string) =>
      samples.push({
        kind,
        at: performance.timeOrigin + performance.now(),
        seconds: video.currentTime,
        paused: video.paused,
        rate: video.playbackRate,
      });
    for (const kind of ['play', 'playing', 'pause', 'seeked', 'waiting', 'ratechange', 'ended']) {
      video.addEventListener(kind, () => record(kind));
    }
    record('start');
    setInterval(() => record('tick'), 20);
  }, selector);
}

export function readTimeline(page: Page): Promise<TimelineSample[]> {
  return page.evaluate(
    () => (window as unknown as { lossyTimeline: TimelineSample[] }).lossyTimeline,
  );
}

/** The playhead at `at` and whether the video was playing then: moved on from the sample
 * before at the playback rate while playing, never past the next sample. */
export function mediaTimeAt(
  timeline: TimelineSample[],
  at: number,
): { seconds: number; playing: boolean } {
  let before: TimelineSample | undefined;
  let after: TimelineSample | undefined;
  for (const sample of timeline) {
    if (sample.at <= at) before = sample;
    else {
      after = sample;
      break;
    }
  }
  if (!before) throw new Error(`the timeline starts after ${new Date(at).toISOString()}`);
  if (before.paused) return { seconds: before.seconds, playing: false };
  const moved = before.seconds + ((at - before.at) / 1000) * before.rate;
  return {
    seconds: after && after.seconds >= before.seconds ? Math.min(moved, after.seconds) : moved,
    playing: true,
  };
}

// ---------------------------------------------------------------------------------------------
// The side panel's notes

export interface SeenNote {
  noteId: string;
  /** When the panel first showed it. */
  at: number;
  label: string;
  text: string;
}

/** Notes the instant each note first shows in the side panel (`article[data-note-id]`), from
 * a mutation observer (called right after each DOM change, throttled or not). */
export async function watchPanelNotes(panel: Page): Promise<void> {
  await panel.evaluate(() => {
    const seen: SeenNote[] = [];
    (window as unknown as { lossySeenNotes: SeenNote[] }).lossySeenNotes = seen;
    const scan = () => {
      for (const article of Array.from(
        document.querySelectorAll<HTMLElement>('article[data-note-id]'),
      )) {
        const noteId = article.dataset.noteId ?? '';
        if (seen.some((note) => note.noteId === noteId)) continue;
        seen.push({
          noteId,
          at: performance.timeOrigin + performance.now(),
          label: article.getAttribute('aria-label') ?? '',
          text: article.querySelector('.note-text')?.textContent ?? '',
        });
      }
    };
    new MutationObserver(scan).observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
    });
    scan();
  });
}

export function seenPanelNotes(panel: Page): Promise<SeenNote[]> {
  return panel.evaluate(() => (window as unknown as { lossySeenNotes: SeenNote[] }).lossySeenNotes);
}

// ---------------------------------------------------------------------------------------------
// What the capture told the worker

export interface CaptureHeard {
  kind: string;
  /** When the worker heard it. */
  heardAt: number;
  utteranceId?: string;
  onsetAt?: number;
  durationMs?: number;
  reason?: string;
  transcript?: { utteranceId: string; text: string; source: string };
}

/** A listener of its own in the worker beside the capture host's: it records every
 * `CaptureToWorker` message (levels and metrics aside) and answers none, so the host's
 * receipts are unchanged. */
export async function recordCapture(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    const scope = globalThis as unknown as {
      lossyCaptureHeard: CaptureHeard[];
      chrome: {
        runtime: {
          onMessage: {
            addListener(listener: (message: CaptureHeard & { target?: string }) => undefined): void;
          };
        };
      };
    };
    scope.lossyCaptureHeard = [];
    scope.chrome.runtime.onMessage.addListener((message) => {
      if (message.target !== 'worker' || typeof message.kind !== 'string') return undefined;
      if (message.kind === 'capture/level' || message.kind === 'capture/metrics') return undefined;
      scope.lossyCaptureHeard.push({
        ...message,
        heardAt: performance.timeOrigin + performance.now(),
      });
      return undefined;
    });
  });
}

export function captureHeard(worker: Worker, kind?: string): Promise<CaptureHeard[]> {
  return worker.evaluate(
    (kind) =>
      (globalThis as unknown as { lossyCaptureHeard: CaptureHeard[] }).lossyCaptureHeard.filter(
        (message) => !kind || message.kind === kind,
      ),
    kind,
  );
}

// ---------------------------------------------------------------------------------------------
// The server's session

export interface VoiceStatusSeen {
  sessionId: string;
  state: string;
  command: string | null;
}

export interface StatusFollower {
  statuses: VoiceStatusSeen[];
  /** The states `sessionId` went through, without repeats. */
  stateRun(sessionId: string): string[];
  dispose(): Promise<void>;
}

/** Another device of the reviewer follows every session's statuses (`voiceStatus` without an
 * id), as the server publishes them; resolves once subscribed. Its socket goes when the server
 * is halted: that close is expected. */
export async function followVoiceStatus(session: WebSession): Promise<StatusFollower> {
  const observer = await session.connectDevice('Status observer');
  const statuses: VoiceStatusSeen[] = [];
  const socket: Client = observer.socket({ onNonLazyError: () => undefined });
  await new Promise<void>((resolve) => {
    socket.subscribe(
      { query: 'subscription { voiceStatus { sessionId state command } }' },
      {
        next: (result) => {
          const status = (result.data as { voiceStatus?: VoiceStatusSeen } | null)?.voiceStatus;
          if (status) statuses.push(status);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    // A subscription is registered before the next operation on its socket runs.
    void socket
      .iterate({ query: '{ me { id } }' })
      .next()
      .then(() => resolve());
  });
  return {
    statuses,
    stateRun(sessionId) {
      const run: string[] = [];
      for (const status of statuses) {
        if (status.sessionId === sessionId && run.at(-1) !== status.state) run.push(status.state);
      }
      return run;
    },
    dispose: async () => {
      await socket.dispose();
    },
  };
}

/** Whether `run` holds `wanted` in order (other states may come between). */
export function containsInOrder(run: string[], wanted: string[]): boolean {
  let at = 0;
  for (const state of run) if (state === wanted[at]) at += 1;
  return at === wanted.length;
}

// ---------------------------------------------------------------------------------------------
// The notes the voice loop made

/** A note with the voice fields the loop's tests check. */
export interface VoiceNote {
  id: string;
  text: string;
  category: string;
  timestampSeconds: number;
  utteranceId: string | null;
  sessionId: string | null;
}

/** A video's notes as the server has them, suppressed ones too (a short utterance may be). */
export async function voiceNotes(session: WebSession, videoId: string): Promise<VoiceNote[]> {
  const answer = await session.graphql<{ notes: { nodes: VoiceNote[] } }>(
    `query($id: ID!) { notes(videoId: $id, filter: { includeSuppressed: true }) {
       nodes { id text category timestampSeconds utteranceId sessionId } } }`,
    { id: videoId },
  );
  return answer.notes.nodes;
}
