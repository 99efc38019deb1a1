// The voice loop from a spoken WAV to categorised notes on the timeline, with nothing scripted
// between the two: Chromium's fake microphone plays, once, a WAV made here with espeak-ng (a
// reviewer saying two notes of different categories, with pauses); the watch page plays its
// video; the extension's real offscreen document hears it through the real Silero VAD; the
// worker drives the real server's v2 session; the transcript comes from
//   - the real recogniser behind the endpoint interface (tests/speech/server.py: faster-whisper
//     on Whisper-base), chosen in the reviewer's server settings (`updateSettings`:
//     `transcriptionMode: ENDPOINT`, `transcriptionEndpoint`), as a reviewer would, or
//   - the fixture transcriber (the development build's `voiceTestTranscriber`), so the loop is
//     covered where the speech packages are not installed.
//
// Where each sentence should land on the timeline is worked out outside the extension:
//   1. the instant the fake microphone began playing its file: the test opens the offscreen
//      document first and keeps the stream its `getUserMedia` answers, and the track's own
//      count of delivered audio (`stats.totalFramesDuration`) read at a known instant dates
//      its start (rig/voice.ts `probeMicrophone`); the fake device plays the file in real
//      time from there, so a sentence placed at `s` seconds in the WAV is spoken at
//      `start + s`;
//   2. the page video's playhead recorded against the same clock every 20 ms and on each media
//      event, in the page itself (`recordTimeline`), maps that instant to a media time;
//   3. less the pre-roll of PROTOCOL.md 5.2 (a `SPEECH_START`'s media time is the playhead when
//      speech began "after pre-roll correction": `preRollMs`, 500 ms by default, of playback
//      earlier while the video played).
// The note's time must be within 0.5 s of that.
//
// The time from the end of speech (the sentence's end in the WAV, on the same clock) to the
// note showing in the side panel is measured with each transcriber and printed (annotations
// and console), with its parts: the VAD's end of speech, the transcription, and the rest
// (outbox, server, side panel). docs/benchmarks.md keeps the figures; nothing here asserts a
// duration. On a failure, `voice-diagnostics.json` beside the trace holds what the capture
// said, the worker's voice state, the server's sessions and statuses, and its log's end.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';

import { inspectOverlay } from '../rig/content';
import { GENERATED } from '../rig/paths';
import { connectExtension, openVideoAndPanel, startReview, type Review } from '../rig/review';
import {
  speak,
  startSpeechServer,
  wordErrorRate,
  type SpeechServer,
  type SpokenScript,
} from '../rig/speech';
import {
  captureHeard,
  containsInOrder,
  followVoiceStatus,
  mediaTimeAt,
  probeMicrophone,
  readTimeline,
  recordCapture,
  recordTimeline,
  seenPanelNotes,
  watchPanelNotes,
  type MicrophoneStart,
  type StatusFollower,
  type TimelineSample,
  voiceNotes,
  type VoiceNote,
} from '../rig/voice';

/** Two notes Whisper-base hears whole from espeak-ng, in two categories of the server's
 * built-in structurer. */
const SPOKEN = [
  { text: 'The music is much too loud here.', category: 'AUDIO', label: 'Audio' },
  { text: 'The colors in this shot look far too warm.', category: 'COLOR', label: 'Color' },
] as const;
/** One long utterance for the dropped connection (4.2 s: the comma's pause is far shorter
 * than `minSilenceMs`). */
const LONG = {
  text: 'The music is much too loud here, and the dialogue is hard to hear.',
  category: 'AUDIO',
  label: 'Audio',
};
/** The server's defaults (PROTOCOL.md 5.5). */
const PRE_ROLL_S = 0.5;
const START_AT_S = 1;

/** The few `chrome.*` calls evaluated in the extension (the rig has no Chrome types). */
declare const chrome: {
  storage: {
    local: { set(items: Record<string, unknown>): Promise<void> };
    session: { get(keys: string[]): Promise<Record<string, unknown>> };
  };
};

let dir: string;
let twoNotes: SpokenScript;
let oneLong: SpokenScript;
/** The 30 s test clip four times over: the video must play through the whole script. */
let longClip: string;

test.beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lossy-voice-speech-'));
  // The gap is longer than the VAD's end (minSilenceMs), the resume (autoResumeDelayMs) and
  // the cooldown together, so the second sentence starts with the session observing and the
  // video playing again.
  twoNotes = speak(
    dir,
    SPOKEN.map((note) => note.text),
    { leadS: 2, gapS: 3, tailS: 2 },
  );
  oneLong = speak(dir, [LONG.text], { leadS: 2, tailS: 2 });
  longClip = path.join(dir, 'clip-120s.webm');
  execFileSync('ffmpeg', [
    ...['-loglevel', 'error', '-y', '-stream_loop', '3'],
    ...['-i', path.join(GENERATED, 'clip.webm'), '-c', 'copy', longClip],
  ]);
});

test.afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const fakeMicrophone = (script: SpokenScript) => [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${script.wav}%noloop`,
];

const notesOf = (review: Review, videoId: string) => voiceNotes(review.session, videoId);

/** The reviewer's server settings send transcription to the speech server. */
async function useEndpoint(review: Review, speech: SpeechServer): Promise<void> {
  const answer = await review.session.graphql<{
    updateSettings: { transcriptionMode: string; transcriptionEndpoint: string };
  }>(
    `mutation($input: UpdateSettingsInput!) {
       updateSettings(input: $input) { transcriptionMode transcriptionEndpoint } }`,
    {
      input: {
        transcriptionMode: 'ENDPOINT',
        transcriptionEndpoint: speech.endpoint,
        transcriptionModel: 'whisper-base',
      },
    },
  );
  expect(answer.updateSettings).toEqual({
    transcriptionMode: 'ENDPOINT',
    transcriptionEndpoint: speech.endpoint,
  });
}

/** The development build's fixture transcriber, answering the sentences in order. */
async function useFixture(review: Review): Promise<void> {
  const answers = SPOKEN.map((note) => note.text).join('|');
  await review.browser.worker.evaluate(
    (answers) => chrome.storage.local.set({ voiceTestTranscriber: `fixture:${answers}` }),
    answers,
  );
}

interface Listening {
  video: Page;
  movie: Locator;
  panel: Page;
  voice: Locator;
  videoId: string;
  sessionId: string;
  microphone: MicrophoneStart;
  /** When voice was turned on. */
  onAt: number;
}

/** The watch page playing from START_AT_S, the side panel, and voice turned on there: the
 * microphone opens and starts playing the script. */
async function listen(review: Review): Promise<Listening> {
  const { video, panel, videoId } = await openVideoAndPanel(review, START_AT_S);
  const movie = video.locator('#movie');
  await recordTimeline(video, '#movie');
  await movie.evaluate((v: HTMLVideoElement) => v.play());
  await expect.poll(() => movie.evaluate((v: HTMLVideoElement) => v.paused)).toBe(false);
  await watchPanelNotes(panel);
  await recordCapture(review.browser.worker);
  const probe = await probeMicrophone(review.browser, panel);

  const onAt = Date.now();
  const voice = panel.getByRole('region', { name: 'Voice' });
  await voice.getByRole('button', { name: 'Voice' }).click();
  await expect(voice.getByRole('status')).toHaveText('Listening', { timeout: 20_000 });
  const microphone = await probe.started();
  await probe.detach();
  const { voiceSessions } = await review.session.graphql<{
    voiceSessions: { nodes: { id: string }[] };
  }>('{ voiceSessions(active: true) { nodes { id } } }');
  const sessionId = voiceSessions.nodes[0]?.id;
  if (!sessionId) throw new Error('no live voice session');
  return { video, movie, panel, voice, videoId, sessionId, microphone, onAt };
}

/** A sentence of the script as the clock saw it. */
function spoken(script: SpokenScript, microphone: MicrophoneStart, index: number) {
  const onsetAt = microphone.at + (script.onsets[index] ?? Number.NaN) * 1000;
  return { onsetAt, endAt: onsetAt + (script.durations[index] ?? Number.NaN) * 1000 };
}

/** Where the note of the sentence spoken at `onsetAt` belongs (see the top of the file). */
function expectedTime(timeline: TimelineSample[], onsetAt: number) {
  const onset = mediaTimeAt(timeline, onsetAt);
  return {
    onset,
    seconds: Math.max(0, onset.seconds - (onset.playing ? PRE_ROLL_S : 0)),
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** Prints and records one note's latency from the end of speech, with its parts. */
async function reportLatency(
  testInfo: TestInfo,
  transcriber: string,
  review: Review,
  panel: Page,
  notes: VoiceNote[],
  sentenceEnds: number[],
): Promise<void> {
  const seen = await seenPanelNotes(panel);
  const ends = await captureHeard(review.browser.worker, 'capture/speech-end');
  const transcripts = await captureHeard(review.browser.worker, 'capture/transcript');
  notes.forEach((note, i) => {
    const endAt = sentenceEnds[i] ?? Number.NaN;
    const shown = seen.find((s) => s.noteId === note.id)?.at ?? Number.NaN;
    const vadEnd = ends.find((e) => e.utteranceId === note.utteranceId)?.heardAt ?? Number.NaN;
    const heard =
      transcripts.find((t) => t.transcript?.utteranceId === note.utteranceId)?.heardAt ??
      Number.NaN;
    const description =
      `${transcriber}, note ${i + 1}: ${seconds(shown - endAt)} s from the end of speech to ` +
      `the note in the side panel (VAD end of speech ${seconds(vadEnd - endAt)} s, ` +
      `transcription ${seconds(heard - vadEnd)} s, outbox + server + panel ` +
      `${seconds(shown - heard)} s)`;
    testInfo.annotations.push({ type: 'latency', description });
    console.log(description);
  });
}

test.describe('with the real recogniser behind the endpoint', () => {
  let speech: SpeechServer;

  test.beforeAll(async () => {
    // run.sh makes the speech environment first; alone, the first run on a machine installs it.
    test.setTimeout(300_000);
    speech = await startSpeechServer();
  });

  test.afterAll(async () => {
    // Not started: the speech environment could not be made.
    if (!speech) return;
    // What the recogniser was asked and heard, one line per request.
    console.log(speech.output.join('\n'));
    await speech.stop();
  });

  test('two spoken notes pause the video, become categorised notes at their onsets, and the session runs twice', async ({}, testInfo) => {
    test.setTimeout(120_000);
    await twoSpokenNotes(testInfo, 'endpoint', (review) => useEndpoint(review, speech));
  });

  test('a connection dropped in the middle of an utterance still yields exactly one note', async ({}, testInfo) => {
    test.setTimeout(120_000);
    const review = await startReview({ clip: longClip, args: fakeMicrophone(oneLong) });
    let status: StatusFollower | null = null;
    try {
      await useEndpoint(review, speech);
      await connectExtension(review);
      status = await followVoiceStatus(review.session);
      const { panel, voice, videoId, sessionId, microphone, video, movie } = await listen(review);
      const statuses = status.statuses;

      // The server goes away as soon as its session is recording: the end of the speech, its
      // transcription and the transcript's write all happen while it is gone.
      await expect
        .poll(() => statuses.some((s) => s.sessionId === sessionId && s.state === 'RECORDING'), {
          timeout: 20_000,
        })
        .toBe(true);
      const droppedAt = Date.now();
      await review.server.halt();
      await expect(voice.getByRole('status')).toHaveText('Offline: still listening', {
        timeout: 10_000,
      });
      await expect
        .poll(
          async () => (await captureHeard(review.browser.worker, 'capture/transcript')).length,
          {
            timeout: 30_000,
          },
        )
        .toBe(1);
      const [end] = await captureHeard(review.browser.worker, 'capture/speech-end');
      // The drop came in the middle of the utterance, not after it.
      expect(end?.heardAt).toBeGreaterThan(droppedAt);
      const [start] = await captureHeard(review.browser.worker, 'capture/speech-start');
      expect(end?.utteranceId).toBe(start?.utteranceId);

      await review.server.resume();
      // The worker reconnects, resumes the session with the buffered SPEECH_END, and the
      // outbox sends the transcript.
      await expect(panel.locator('article[data-note-id]')).toHaveCount(1, { timeout: 60_000 });
      await expect(voice.getByRole('status')).toHaveText('Listening', { timeout: 20_000 });
      const resumed = await review.session.graphql<{
        voiceSession: {
          state: string;
          counters: { speechDetections: number; speechEnds: number; notesCreated: number };
        };
      }>(
        `query($id: ID!) { voiceSession(id: $id) { state counters { speechDetections speechEnds notesCreated } } }`,
        { id: sessionId },
      );
      expect(resumed.voiceSession.counters).toEqual({
        speechDetections: 1,
        speechEnds: 1,
        notesCreated: 1,
      });
      expect(resumed.voiceSession.state).not.toBe('CLOSED');

      // Exactly one note, still after a while, at its onset, with what was said.
      await video.waitForTimeout(2_000);
      const notes = await notesOf(review, videoId);
      expect(notes).toHaveLength(1);
      const [note] = notes;
      expect(note?.utteranceId).toBe(start?.utteranceId);
      expect(note?.sessionId).toBe(sessionId);
      expect(note?.category).toBe(LONG.category);
      console.log(`said "${LONG.text}", the note says "${note?.text ?? ''}"`);
      expect(wordErrorRate(LONG.text, note?.text ?? '')).toBeLessThan(0.25);
      const timeline = await readTimeline(video);
      const expected = expectedTime(timeline, spoken(oneLong, microphone, 0).onsetAt);
      expect(expected.onset.playing).toBe(true);
      expect(Math.abs((note?.timestampSeconds ?? -10) - expected.seconds)).toBeLessThanOrEqual(0.5);
      await expect(panel.locator('article[data-note-id]')).toHaveCount(1);
      // The video the server paused before it went away plays again.
      await expect.poll(() => movie.evaluate((v: HTMLVideoElement) => v.paused)).toBe(false);
      await expect(panel.locator(`article[data-note-id="${note?.id ?? ''}"]`)).toContainText(
        LONG.label,
      );
    } catch (error) {
      await attachDiagnostics(testInfo, review, status);
      throw error;
    } finally {
      await status?.dispose();
      await review.close();
    }
  });
});

test.describe('with the fixture transcriber', () => {
  test('two spoken notes pause the video, become categorised notes at their onsets, and the session runs twice', async ({}, testInfo) => {
    test.setTimeout(120_000);
    await twoSpokenNotes(testInfo, 'fixture', useFixture);
  });
});

/** The whole loop on the two-note script, with the transcriber `configure` sets up. */
async function twoSpokenNotes(
  testInfo: TestInfo,
  transcriber: string,
  configure: (review: Review) => Promise<void>,
): Promise<void> {
  const review = await startReview({ clip: longClip, args: fakeMicrophone(twoNotes) });
  let status: StatusFollower | null = null;
  try {
    // Settings first: the extension reads them when its socket is acknowledged, whereas a
    // change made while it is still subscribing to settingsChanged can miss it (noted on the
    // issue), which would leave it on on-device transcription.
    await configure(review);
    await connectExtension(review);
    status = await followVoiceStatus(review.session);
    const { video, panel, voice, videoId, sessionId, microphone, onAt } = await listen(review);
    const sentences = SPOKEN.map((_, i) => spoken(twoNotes, microphone, i));
    testInfo.annotations.push({
      type: 'microphone',
      description:
        `the fake microphone started ${seconds(microphone.at - onAt)} s after voice was turned ` +
        `on (getUserMedia called ${seconds(microphone.calledAt - microphone.at)} s and ` +
        `resolved ${seconds(microphone.resolvedAt - microphone.at)} s from it)`,
    });

    // Both notes in the side panel, and the server's session back to observing after each.
    await expect(panel.locator('article[data-note-id]')).toHaveCount(2, { timeout: 60_000 });
    const wanted = ['OBSERVING', 'RECORDING', 'COOLDOWN', 'OBSERVING'];
    await expect
      .poll(
        () => containsInOrder(status?.stateRun(sessionId) ?? [], [...wanted, ...wanted.slice(1)]),
        {
          timeout: 15_000,
        },
      )
      .toBe(true);
    const commands = status.statuses
      .filter((s) => s.sessionId === sessionId && s.command)
      .map((s) => s.command);
    expect(commands).toEqual(['PAUSE_VIDEO', 'RESUME_VIDEO', 'PAUSE_VIDEO', 'RESUME_VIDEO']);

    // The capture's two utterances, in order.
    const worker = review.browser.worker;
    const starts = await captureHeard(worker, 'capture/speech-start');
    const ends = await captureHeard(worker, 'capture/speech-end');
    expect(starts.map((s) => s.utteranceId)).toEqual(ends.map((e) => e.utteranceId));
    expect(starts).toHaveLength(2);

    // The video paused while each sentence was being said (after the capture reported its
    // start, before it reported its end) and played again after the end, before the next
    // sentence began.
    const timeline = await readTimeline(video);
    const after = timeline.filter((sample) => sample.at > onAt);
    const pauses = after.filter((sample) => sample.kind === 'pause');
    const plays = after.filter((sample) => sample.kind === 'play');
    expect(pauses).toHaveLength(2);
    expect(plays).toHaveLength(2);
    starts.forEach((start, i) => {
      expect(pauses[i]!.at).toBeGreaterThan(start.heardAt);
      expect(pauses[i]!.at).toBeLessThan(ends[i]!.heardAt);
      expect(plays[i]!.at).toBeGreaterThan(ends[i]!.heardAt);
    });
    expect(plays[0]!.at).toBeLessThan(sentences[1]!.onsetAt);

    // The notes: one per utterance, at its sentence's onset, categorised, close to the words.
    const notes = (await notesOf(review, videoId)).sort(
      (a, b) => a.timestampSeconds - b.timestampSeconds,
    );
    expect(notes.map((note) => note.utteranceId)).toEqual(starts.map((s) => s.utteranceId));
    for (const [i, note] of notes.entries()) {
      const said = SPOKEN[i]!;
      const expected = expectedTime(timeline, sentences[i]!.onsetAt);
      const description =
        `note ${i + 1}: said "${said.text}" from ${expected.onset.seconds.toFixed(2)} s of the ` +
        `video, the note says "${note.text}" (${note.category}) at ` +
        `${note.timestampSeconds.toFixed(2)} s; expected ${expected.seconds.toFixed(2)} s`;
      testInfo.annotations.push({ type: 'note', description });
      console.log(description);
      expect(expected.onset.playing).toBe(true);
      expect(note.sessionId).toBe(sessionId);
      expect(note.category).toBe(said.category);
      expect(wordErrorRate(said.text, note.text)).toBeLessThan(0.25);
      expect(Math.abs(note.timestampSeconds - expected.seconds)).toBeLessThanOrEqual(0.5);
      const article = panel.locator(`article[data-note-id="${note.id}"]`);
      await expect(article).toContainText(said.label);
      await expect(article.locator('.note-text')).toHaveText(note.text);
    }

    // Nothing left on its way, nothing failed.
    await expect(voice.getByRole('list', { name: 'Utterances on their way to notes' })).toHaveCount(
      0,
    );
    expect(await captureHeard(worker, 'capture/transcript-failed')).toEqual([]);
    expect(await captureHeard(worker, 'capture/error')).toEqual([]);
    await expect(voice.getByRole('status')).toHaveText('Listening');

    // And as markers on the video.
    await expect
      .poll(async () =>
        ((await inspectOverlay(video))?.markers ?? []).map((marker) => marker.noteId).sort(),
      )
      .toEqual(notes.map((note) => note.id).sort());

    await reportLatency(
      testInfo,
      transcriber,
      review,
      panel,
      notes,
      sentences.map((sentence) => sentence.endAt),
    );
  } catch (error) {
    await attachDiagnostics(testInfo, review, status);
    throw error;
  } finally {
    await status?.dispose();
    await review.close();
  }
}

/** On a failure: what the capture said, the worker's voice state, the server's sessions and
 * statuses, and the end of the server's log, as an attachment of the test. */
async function attachDiagnostics(
  testInfo: TestInfo,
  review: Review,
  status: StatusFollower | null,
): Promise<void> {
  const settle = <T>(promise: Promise<T>) =>
    promise.catch((error: unknown) => `unavailable: ${String(error)}`);
  const diagnostics = {
    capture: await settle(captureHeard(review.browser.worker)),
    worker: await settle(
      review.browser.worker.evaluate(() => chrome.storage.session.get(['voice'])),
    ),
    sessions: await settle(
      review.session.graphql(
        `{ voiceSessions { nodes { id state endReason startedAt endedAt
           counters { speechDetections speechEnds notesCreated errors restarts disconnects } } } }`,
      ),
    ),
    statuses: status?.statuses ?? [],
    server: review.server.output.slice(-80),
  };
  // A file beside the screenshots and the trace, so it is found where they are.
  const file = testInfo.outputPath('voice-diagnostics.json');
  writeFileSync(file, JSON.stringify(diagnostics, null, 2));
  await testInfo.attach('voice-diagnostics', { path: file, contentType: 'application/json' });
}
