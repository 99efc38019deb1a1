// The microphone, the 16 kHz mono signal and the Silero VAD (vad-web's MicVAD), feeding the
// utterance tracker. Runs only in the offscreen document.
//
// 16 kHz mono: the AudioContext itself runs at 16 kHz, so Chromium resamples the microphone
// (44.1 or 48 kHz, often stereo: the fake test device is always 44.1 kHz stereo) with its own
// resampler, and the VAD's AudioWorklet takes one channel, down-mixed by the Web Audio graph
// (`channelCount: 1`, `explicit`). Should a browser refuse a 16 kHz context for a microphone
// stream, the context runs at the device's rate and vad-web's worklet resamples each frame.
//
// Assets are the extension's own (`vad/`, `ort/`), never a CDN's; the manifest's CSP allows
// `wasm-unsafe-eval` for onnxruntime's WebAssembly.

import { MicVAD } from '@ricky0123/vad-web';

import type { VadConfig } from '@/shared/voice';

import { FrameClock } from './frameClock';
import { Meter, type VoiceMetrics } from './meter';
import { CaptureFailure, openMicrophone } from './microphone';
import { type TrackerEvent, UtteranceTracker } from './utterances';
import { FRAME_MS, SAMPLE_RATE, vadOptions } from './vadOptions';

export interface CaptureEvents {
  /** The tracker's decisions, in order. */
  utterance(event: TrackerEvent): void;
  metrics(metrics: VoiceMetrics): void;
  level(level: number): void;
  /** Capture stopped on its own (the microphone went away); `utterance` has already ended
   * the utterance in progress. */
  lost(failure: CaptureFailure): void;
}

/** Epoch ms, as every context of the extension dates things. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

function audioContextFor(stream: MediaStream): AudioContext {
  try {
    const context = new AudioContext({ sampleRate: SAMPLE_RATE });
    // A browser that cannot resample a microphone into this context says so here.
    new MediaStreamAudioSourceNode(context, { mediaStream: stream }).disconnect();
    return context;
  } catch {
    return new AudioContext();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Capture {
  private readonly tracker: UtteranceTracker;
  private readonly clock = new FrameClock(FRAME_MS);
  private readonly meter = new Meter();
  private vad: MicVAD | null = null;
  private stream: MediaStream | null = null;
  private context: AudioContext | null = null;
  private micFailure: CaptureFailure | null = null;
  private frames = 0;
  private closed = false;

  private constructor(
    config: VadConfig,
    private readonly events: CaptureEvents,
  ) {
    this.tracker = new UtteranceTracker(config, () => crypto.randomUUID());
  }

  /** Opens the microphone and the VAD; rejects with a `CaptureFailure`. */
  static async open(config: VadConfig, events: CaptureEvents): Promise<Capture> {
    const capture = new Capture(config, events);
    try {
      await capture.start(config);
    } catch (error) {
      capture.closed = true;
      await capture.release();
      throw (
        capture.micFailure ??
        (error instanceof CaptureFailure
          ? error
          : new CaptureFailure('VAD_FAILED', `Voice detection could not start: ${message(error)}`))
      );
    }
    return capture;
  }

  get running(): boolean {
    return !this.closed;
  }

  /** New settings, applied to the running VAD: an utterance in progress goes on. */
  configure(config: VadConfig): void {
    this.vad?.setOptions(vadOptions(config));
    this.dispatch(this.tracker.configure(config));
  }

  pushToTalk(pressed: boolean): void {
    if (!this.closed) this.dispatch(this.tracker.pushToTalk(pressed, now()));
  }

  stopUtterance(): void {
    if (!this.closed) this.dispatch(this.tracker.stopUtterance(now()));
  }

  /** Ends the utterance in progress (`CAPTURE_STOPPED`, kept) and releases the microphone. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.dispatch(this.tracker.stop(now()));
    this.closed = true;
    await this.release();
  }

  private async start(config: VadConfig): Promise<void> {
    this.vad = await MicVAD.new({
      ...vadOptions(config),
      model: 'v5',
      baseAssetPath: chrome.runtime.getURL('vad/'),
      onnxWASMBasePath: chrome.runtime.getURL('ort/'),
      ortConfig: (ort) => {
        ort.env.logLevel = 'error';
        // One thread: the model is small, and more would need cross-origin isolation.
        ort.env.wasm.numThreads = 1;
      },
      // The model loads first, and the microphone opens in start(), right before the stream
      // is connected: no audio is lost while the model loads, and the browser's microphone
      // indicator goes on only when Lossy listens.
      startOnLoad: false,
      processorType: 'AudioWorklet',
      workletOptions: { channelCount: 1, channelCountMode: 'explicit' },
      getStream: () => this.openStream(),
      // The stream is ours: vad-web must neither stop nor reopen it.
      pauseStream: () => Promise.resolve(),
      resumeStream: (stream) => Promise.resolve(stream),
      onFrameProcessed: (probabilities, frame) => {
        this.frame(probabilities.isSpeech, frame);
      },
      onSpeechStart: () => {
        if (!this.closed) this.dispatch(this.tracker.vadStart());
      },
      onSpeechEnd: () => {
        if (!this.closed) this.dispatch(this.tracker.vadEnd());
      },
      onVADMisfire: () => {
        if (!this.closed) this.dispatch(this.tracker.vadMisfire());
      },
    });
    await this.vad.start();
    if (this.vad.errored !== null) throw new Error(this.vad.errored);
    await this.context?.resume();
  }

  private async openStream(): Promise<MediaStream> {
    try {
      this.stream = await openMicrophone();
    } catch (error) {
      this.micFailure =
        error instanceof CaptureFailure
          ? error
          : new CaptureFailure('FAILED', `The microphone could not be opened: ${message(error)}`);
      throw this.micFailure;
    }
    this.context = audioContextFor(this.stream);
    // MicVAD reads its AudioContext option after getStream, so the context can depend on
    // the stream.
    if (this.vad) this.vad.options.audioContext = this.context;
    for (const track of this.stream.getAudioTracks()) {
      track.addEventListener('ended', () => {
        void this.lose(
          new CaptureFailure(
            'MIC_MISSING',
            'The microphone was disconnected. Connect it, then turn voice on again.',
          ),
        );
      });
    }
    return this.stream;
  }

  private frame(probability: number, samples: Float32Array): void {
    if (this.closed) return;
    const arrivedAt = now();
    const index = this.frames++;
    this.clock.observe(index, arrivedAt);
    const start = this.clock.startOf(index) ?? arrivedAt - FRAME_MS;
    const end = start + FRAME_MS;
    const meter = this.meter.frame(samples, probability, arrivedAt - end, arrivedAt);
    if (meter.level !== undefined) this.events.level(meter.level);
    if (meter.metrics) this.events.metrics(meter.metrics);
    this.dispatch(
      // vad-web hands each frame to us once; a copy keeps it safe from any reuse of its buffer.
      this.tracker.frame({ index, samples: samples.slice(), probability, start, end }),
    );
  }

  private async lose(failure: CaptureFailure): Promise<void> {
    if (this.closed) return;
    this.dispatch(this.tracker.stop(now()));
    this.closed = true;
    await this.release();
    this.events.lost(failure);
  }

  private dispatch(events: TrackerEvent[]): void {
    for (const event of events) this.events.utterance(event);
  }

  private async release(): Promise<void> {
    try {
      await this.vad?.destroy();
    } catch {
      // Never started (destroy asks for the audio nodes start() makes): nothing to undo.
    }
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    await this.context?.close().catch(() => undefined);
  }
}
