// The voice loop end to end with the real server's session, without a microphone: the
// development build's test hook (`voiceTestCapture` in the extension's local storage) gives
// the worker a scripted capture, and the test plays the offscreen document's part by sending
// its `CaptureToWorker` messages from an extension page (the side panel), as the capture host
// delivers them. Everything else is real: the content script's playhead history, the worker's
// session (sequenced events, commands, resume), the outbox's `submitTranscript`, the server's
// state machine, pause and resume of the page's video, and the note in the side panel.
// (The same loop with the real microphone, VAD and transcriber is the capture and speech
// specs' business.)

import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Client } from 'graphql-ws';

import type { Device } from '../rig/api';
import { expectAccessible } from '../rig/fixtures';
import { connectExtension, openVideoAndPanel, startReview, type Review } from '../rig/review';
import { voiceNotes } from '../rig/voice';

/** The server's default pre-roll (PROTOCOL.md 5.5): the note starts this much before onset. */
const PRE_ROLL_S = 0.5;

/** The few `chrome.*` calls evaluated in the extension (the rig has no Chrome types). */
declare const chrome: {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  storage: { local: { set(items: Record<string, unknown>): Promise<void> } };
  action: { getBadgeText(details: Record<string, never>): Promise<string> };
};

interface Status {
  sessionId: string;
  state: string;
  command: string | null;
}

let review: Review;
let observer: Device;
let statusSocket: Client;
let statuses: Status[];

test.beforeEach(async () => {
  review = await startReview();
  await connectExtension(review);
  // The development build's scripted capture: no microphone, the test speaks for it.
  await review.browser.worker.evaluate(() => chrome.storage.local.set({ voiceTestCapture: true }));
  // Another device of the same reviewer follows the session's statuses, as the server
  // publishes them (`voiceStatus` without an id: all of the user's sessions).
  observer = await review.session.connectDevice('Status observer');
  statuses = [];
  // It goes when the server is halted; that close is expected.
  statusSocket = observer.socket({ onNonLazyError: () => undefined });
  const subscribed = new Promise<void>((resolve) => {
    statusSocket.subscribe(
      { query: 'subscription { voiceStatus { sessionId state command } }' },
      {
        next: (result) => {
          const status = (result.data as { voiceStatus?: Status } | null)?.voiceStatus;
          if (status) statuses.push(status);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    // A subscription is registered before the next operation on its socket runs.
    void statusSocket
      .iterate({ query: '{ me { id } }' })
      .next()
      .then(() => resolve());
  });
  await subscribed;
});

test.afterEach(async () => {
  await statusSocket.dispose();
  await review.close();
});

/** Sends a `CaptureToWorker` message from an extension page, as the offscreen document does. */
async function fromCapture(page: Page, message: Record<string, unknown>): Promise<unknown> {
  return page.evaluate(
    (m) => chrome.runtime.sendMessage({ target: 'worker', ...m }),
    message as Record<string, string>,
  );
}

/** The playhead now and the instant it was read, on the contract's clock (epoch ms). */
async function playheadNow(movie: Locator): Promise<{ seconds: number; at: number }> {
  return movie.evaluate((v: HTMLVideoElement) => ({
    seconds: v.currentTime,
    at: performance.timeOrigin + performance.now(),
  }));
}

const isPaused = (movie: Locator) => movie.evaluate((v: HTMLVideoElement) => v.paused);

/** The states the server went through, without repeats. */
function stateRun(sessionId: string): string[] {
  const run: string[] = [];
  for (const status of statuses) {
    if (status.sessionId !== sessionId) continue;
    if (run.at(-1) !== status.state) run.push(status.state);
  }
  return run;
}

function containsInOrder(run: string[], wanted: string[]): boolean {
  let at = 0;
  for (const state of run) if (state === wanted[at]) at += 1;
  return at === wanted.length;
}

async function liveSession(): Promise<{ id: string; state: string }> {
  const answer = await review.session.graphql<{
    voiceSessions: { nodes: { id: string; state: string }[] };
  }>('{ voiceSessions(active: true) { nodes { id state } } }');
  const [session] = answer.voiceSessions.nodes;
  if (!session) throw new Error('no live voice session');
  return session;
}

const notesOf = (videoId: string) => voiceNotes(review.session, videoId);

const badge = () => review.browser.worker.evaluate(() => chrome.action.getBadgeText({}));

async function turnVoiceOn(panel: Page): Promise<Locator> {
  const voice = panel.getByRole('region', { name: 'Voice' });
  const toggle = voice.getByRole('button', { name: 'Voice' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(voice.getByRole('status')).toHaveText('Listening', { timeout: 15_000 });
  return voice;
}

test('speech pauses the video, the cooldown resumes it, and the transcript is a note at the onset', async () => {
  const { video, panel, videoId } = await openVideoAndPanel(review, 2);
  const movie = video.locator('#movie');
  await movie.evaluate((v: HTMLVideoElement) => v.play());
  await expect.poll(() => isPaused(movie)).toBe(false);

  const voice = await turnVoiceOn(panel);
  const session = await liveSession();
  expect(session.state).toBe('OBSERVING');
  expect(await badge()).toBe('ON');
  await expect(voice.getByRole('meter', { name: 'Microphone level' })).toBeVisible();
  await expectAccessible(panel);
  // Let the content script's playhead history fill while the video plays.
  await video.waitForTimeout(1_000);

  const onset = await playheadNow(movie);
  // The VAD reports a start well after its onset: the note must still land at the onset, not
  // where the playhead is when the report arrives.
  await video.waitForTimeout(1_500);
  await fromCapture(panel, {
    kind: 'capture/speech-start',
    utteranceId: 'utt-first',
    onsetAt: onset.at,
  });
  // The server commands PAUSE_VIDEO; the worker carries it out in the owning tab.
  await expect.poll(() => isPaused(movie), { timeout: 10_000 }).toBe(true);
  await expect(voice.getByRole('status')).toHaveText('Recording');
  expect(await badge()).toBe('REC');
  await expect(voice.getByRole('list', { name: 'Utterances on their way to notes' })).toContainText(
    'Recording',
  );

  await fromCapture(panel, {
    kind: 'capture/speech-end',
    utteranceId: 'utt-first',
    durationMs: 1_800,
    reason: 'SILENCE',
  });
  // autoResumeDelayMs after the end the server resumes the video it paused; the cooldown
  // ends and the session is back to observing.
  await expect.poll(() => isPaused(movie), { timeout: 10_000 }).toBe(false);
  await expect
    .poll(
      () =>
        containsInOrder(stateRun(session.id), ['OBSERVING', 'RECORDING', 'COOLDOWN', 'OBSERVING']),
      {
        timeout: 10_000,
      },
    )
    .toBe(true);
  await expect(voice.getByRole('status')).toHaveText('Listening');
  expect(statuses.filter((s) => s.command === 'PAUSE_VIDEO')).toHaveLength(1);
  expect(statuses.filter((s) => s.command === 'RESUME_VIDEO')).toHaveLength(1);

  const receipt = await fromCapture(panel, {
    kind: 'capture/transcript',
    transcript: {
      utteranceId: 'utt-first',
      text: 'The music is far too loud in this scene.',
      confidence: 0.92,
      words: null,
      source: 'fixture',
    },
  });
  expect(receipt).toEqual({ received: true });

  // The note, in the side panel and on the server, at the onset's media time.
  const note = panel.getByRole('article').filter({ hasText: 'far too loud' });
  await expect(note).toBeVisible({ timeout: 15_000 });
  const [stored] = (await notesOf(videoId)).filter((n) => n.utteranceId === 'utt-first');
  expect(stored?.sessionId).toBe(session.id);
  expect(stored?.category).toBe('AUDIO');
  const expected = Math.max(0, onset.seconds - PRE_ROLL_S);
  expect(Math.abs((stored?.timestampSeconds ?? -10) - expected)).toBeLessThanOrEqual(0.5);
  await expect(voice.getByRole('list', { name: 'Utterances on their way to notes' })).toHaveCount(
    0,
  );

  // Voice off: the session closes and the badge clears.
  await voice.getByRole('button', { name: 'Voice' }).click();
  await expect(voice.getByRole('status')).toHaveText('Voice off');
  await expect.poll(() => stateRun(session.id).at(-1), { timeout: 10_000 }).toBe('CLOSED');
  expect(await badge()).toBe('');
});

test('a connection dropped in the middle of an utterance still yields exactly one note', async () => {
  const { video, panel, videoId } = await openVideoAndPanel(review, 2);
  const movie = video.locator('#movie');
  await movie.evaluate((v: HTMLVideoElement) => v.play());
  const voice = await turnVoiceOn(panel);
  const session = await liveSession();
  await video.waitForTimeout(1_000);

  const onset = await playheadNow(movie);
  await fromCapture(panel, {
    kind: 'capture/speech-start',
    utteranceId: 'utt-cut',
    onsetAt: onset.at,
  });
  await expect.poll(() => isPaused(movie), { timeout: 10_000 }).toBe(true);
  await expect.poll(async () => (await liveSession()).state).toBe('RECORDING');

  // The server goes away mid-utterance: the end and the transcript happen while it is gone.
  await review.server.halt();
  await expect(voice.getByRole('status')).toHaveText('Offline: still listening', {
    timeout: 10_000,
  });
  await fromCapture(panel, {
    kind: 'capture/speech-end',
    utteranceId: 'utt-cut',
    durationMs: 2_100,
    reason: 'SILENCE',
  });
  const receipt = await fromCapture(panel, {
    kind: 'capture/transcript',
    transcript: {
      utteranceId: 'utt-cut',
      text: 'Cut to the close up a little earlier.',
      confidence: 0.9,
      words: null,
      source: 'fixture',
    },
  });
  // Kept in the durable outbox: the capture may forget it.
  expect(receipt).toEqual({ received: true });
  expect(await badge()).toBe('OFF');

  await review.server.resume();
  // The worker reconnects, resumes the session with the buffered SPEECH_END, and the outbox
  // sends the transcript.
  const note = panel.getByRole('article').filter({ hasText: 'close up' });
  await expect(note).toBeVisible({ timeout: 45_000 });
  await expect(voice.getByRole('status')).toHaveText('Listening', { timeout: 15_000 });
  // The replayed SPEECH_END reached the session that was recording.
  const resumed = await review.session.graphql<{
    voiceSession: { state: string; counters: { speechEnds: number } };
  }>(`query($id: ID!) { voiceSession(id: $id) { state counters { speechEnds } } }`, {
    id: session.id,
  });
  expect(resumed.voiceSession.counters.speechEnds).toBe(1);
  expect(resumed.voiceSession.state).not.toBe('CLOSED');

  // Exactly one note for the utterance, at its onset.
  await video.waitForTimeout(1_000);
  const made = (await notesOf(videoId)).filter((n) => n.utteranceId === 'utt-cut');
  expect(made).toHaveLength(1);
  const expected = Math.max(0, onset.seconds - PRE_ROLL_S);
  expect(Math.abs((made[0]?.timestampSeconds ?? -10) - expected)).toBeLessThanOrEqual(0.5);
  await expect(panel.getByRole('article').filter({ hasText: 'close up' })).toHaveCount(1);
});
