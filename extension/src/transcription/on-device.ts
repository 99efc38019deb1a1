// `ON_DEVICE`: Whisper through transformers.js in the offscreen document, on WebGPU when the
// browser has an adapter and on WebAssembly otherwise.
//
// - onnxruntime's WebAssembly ships inside the extension: transformers.js bundles
//   onnxruntime-web's `ort.webgpu.bundle` (the Emscripten glue built in, one `asyncify` binary
//   for both the CPU and WebGPU backends), which finds its binary with
//   `new URL('ort-wasm-simd-threaded.asyncify.wasm', import.meta.url)`; Vite copies that file
//   into `dist/assets/` and rewrites the URL. transformers.js points `wasmPaths` at a CDN when
//   it loads; clearing it sends onnxruntime back to that bundled file.
// - The model comes from the Hugging Face model hub the first time only, and only when the
//   reviewer agreed (`config.downloadAllowed`): every request transformers.js makes goes
//   through `env.fetch`, which refuses the network without that consent. transformers.js keeps
//   the files in the Cache API (`transformers-cache`), so later loads need no network and no
//   consent.
// - The library (about 1 MB, and onnxruntime) is imported on first use, so the other modes
//   never load it.
//
// Not exercised by the tests on this machine (there is no model hub here): the unit tests cover
// the options built, the consent gate, the progress and the error mapping against a stand-in
// for the library.

import type { ProgressInfo } from '@huggingface/transformers';

import type { TranscriptionConfig } from '@/shared/voice';

import { createProgressTracker } from './progress';
import { durationMs, normaliseTranscript } from './text';
import {
  SAMPLE_RATE,
  throwIfAborted,
  TranscriptionError,
  type Transcriber,
  type TranscriberHooks,
} from './types';

export type Device = 'webgpu' | 'wasm';

/** `whisper-base.en`, `base.en`, `whisper-tiny.en`, … → the hub's ONNX export; a full hub id
 * (`owner/name`) is taken as it is. */
export function hubModelId(model: string): string {
  const name = model.trim();
  if (/^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(name) && !name.includes('..')) return name;
  const match = /^(?:whisper-)?(tiny|base|small)(\.en)?$/.exec(name);
  if (!match) {
    throw new TranscriptionError(
      `"${model}" is not a Whisper model this extension knows (try whisper-base.en or whisper-tiny.en).`,
      false,
    );
  }
  const [, size = 'base', english = ''] = match;
  return `onnx-community/whisper-${size}${english}`;
}

/** transformers.js' options for the model. On WebGPU the encoder runs in full precision and
 * the decoder 4-bit (the pairing transformers.js' own Whisper WebGPU examples use); on the CPU
 * both are 8-bit, smaller to download and faster without a GPU. */
export function pipelineOptions(device: Device): {
  device: Device;
  dtype: { encoder_model: 'fp32' | 'q8'; decoder_model_merged: 'q4' | 'q8' };
} {
  return device === 'webgpu'
    ? { device, dtype: { encoder_model: 'fp32', decoder_model_merged: 'q4' } }
    : { device, dtype: { encoder_model: 'q8', decoder_model_merged: 'q8' } };
}

/** How the audio is decoded: English for multilingual models (no language detection on short
 * utterances), and 30 s windows for utterances longer than Whisper's window. */
export function generateOptions(modelId: string, audioMs: number): Record<string, unknown> {
  return {
    ...(modelId.endsWith('.en') ? {} : { language: 'en', task: 'transcribe' }),
    ...(audioMs > 30_000 ? { chunk_length_s: 30, stride_length_s: 5 } : {}),
  };
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** WebGPU when the browser offers an adapter (headless and blocklisted GPUs have
 * `navigator.gpu` and no adapter), else WebAssembly. */
export async function chooseDevice(nav: { gpu?: GpuLike } | undefined): Promise<Device> {
  if (!nav?.gpu) return 'wasm';
  try {
    return (await nav.gpu.requestAdapter()) ? 'webgpu' : 'wasm';
  } catch {
    return 'wasm';
  }
}

const CONSENT_MESSAGE =
  'The speech model is not on this device yet: the reviewer must agree to download it ' +
  '(about 80–150 MB, once) before on-device transcription can run.';

const REFUSAL = 'download refused without consent';
class DownloadRefused extends Error {}

/** transformers.js' `env.fetch`: the network only with the reviewer's consent; the extension's
 * own files always. */
export function consentFetch(
  allowed: () => boolean,
  inner: (input: string | URL, init?: RequestInit) => Promise<Response>,
): (input: string | URL, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    const url = new URL(String(input), typeof location === 'undefined' ? undefined : location.href);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !allowed()) {
      return Promise.reject(new DownloadRefused(`${REFUSAL}: ${url.href}`));
    }
    return inner(input, init);
  };
}

type AsrOutput = { text: string } | { text: string }[];
export type AsrPipeline = (
  audio: Float32Array,
  options: Record<string, unknown>,
) => Promise<AsrOutput>;

/** The part of transformers.js this module uses (a stand-in replaces it in the unit tests). */
export interface TransformersLike {
  env: {
    allowLocalModels: boolean;
    allowRemoteModels: boolean;
    useBrowserCache: boolean;
    useWasmCache: boolean;
    fetch: (input: string | URL, init?: RequestInit) => Promise<Response>;
    backends: { onnx: { wasm?: { wasmPaths?: unknown } } };
  };
  pipeline(
    task: 'automatic-speech-recognition',
    model: string,
    options: ReturnType<typeof pipelineOptions> & {
      progress_callback: (info: ProgressInfo) => void;
    },
  ): Promise<AsrPipeline>;
  isModelFileNotFound(err: unknown): boolean;
}

export interface OnDeviceRuntime {
  loadLibrary(): Promise<TransformersLike>;
  navigator: { gpu?: GpuLike } | undefined;
  fetch: (input: string | URL, init?: RequestInit) => Promise<Response>;
}

async function loadTransformers(): Promise<TransformersLike> {
  const t = await import('@huggingface/transformers');
  return {
    env: t.env,
    pipeline: (task, model, options) => t.pipeline(task, model, options),
    isModelFileNotFound: (err) => err instanceof t.ModelFileNotFoundError,
  };
}

function browserRuntime(): OnDeviceRuntime {
  return {
    loadLibrary: loadTransformers,
    navigator: globalThis.navigator as { gpu?: GpuLike } | undefined,
    fetch: (input, init) => fetch(input, init),
  };
}

/** transformers.js' settings: models from the hub through the consent gate, kept in the Cache
 * API; onnxruntime's WebAssembly from the extension. */
export function configureLibrary(
  env: TransformersLike['env'],
  gatedFetch: TransformersLike['env']['fetch'],
): void {
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.useBrowserCache = true;
  // The WebAssembly is the extension's own (and the Cache API cannot keep chrome-extension://
  // responses anyway).
  env.useWasmCache = false;
  env.fetch = gatedFetch;
  // Never the CDN transformers.js chose: onnxruntime's own, bundled, location.
  if (env.backends.onnx.wasm) delete env.backends.onnx.wasm.wasmPaths;
}

interface Loading {
  key: string;
  pipeline: Promise<AsrPipeline>;
  /** Everyone waiting for this load hears its progress. */
  listeners: Set<(fraction: number | null) => void>;
}

/** One model in memory per runtime (the offscreen document): transcribers made for new
 * settings share it while the model and device stay the same. */
export function createOnDeviceFactory(runtime: OnDeviceRuntime) {
  let loading: Loading | null = null;
  let consent = false;
  let library: Promise<TransformersLike> | null = null;

  async function configured(): Promise<TransformersLike> {
    library ??= runtime.loadLibrary().then((t) => {
      configureLibrary(
        t.env,
        consentFetch(() => consent, runtime.fetch),
      );
      return t;
    });
    try {
      return await library;
    } catch (err) {
      library = null;
      throw new TranscriptionError(`The speech library failed to load: ${errorText(err)}`, false);
    }
  }

  async function load(modelId: string, listener: (f: number | null) => void) {
    const t = await configured();
    const device = await chooseDevice(runtime.navigator);
    const key = `${modelId}|${device}`;
    if (loading?.key === key) {
      loading.listeners.add(listener);
      return loading.pipeline;
    }
    const listeners = new Set([listener]);
    const tracker = createProgressTracker((fraction) => {
      for (const l of listeners) l(fraction);
    });
    tracker.start();
    const pipeline = t
      .pipeline('automatic-speech-recognition', modelId, {
        ...pipelineOptions(device),
        progress_callback: (info) => tracker.event(info),
      })
      .then(
        (asr) => {
          tracker.finish(true);
          listeners.clear();
          return asr;
        },
        (err: unknown) => {
          tracker.finish(false);
          if (loading?.pipeline === pipeline) loading = null;
          if (isRefusal(err)) throw new TranscriptionError(CONSENT_MESSAGE, false);
          if (t.isModelFileNotFound(err)) {
            throw new TranscriptionError(
              `The model hub has no usable "${modelId}" (${errorText(err)}).`,
              false,
            );
          }
          // A download cut short, or the GPU lost: a later attempt may succeed.
          throw new TranscriptionError(`The speech model failed to load: ${errorText(err)}`, true);
        },
      );
    loading = { key, pipeline, listeners };
    return pipeline;
  }

  return function createOnDeviceTranscriber(
    config: TranscriptionConfig,
    hooks: TranscriberHooks,
  ): Transcriber {
    return {
      async transcribe(audio, { signal }) {
        throwIfAborted(signal);
        const modelId = hubModelId(config.model);
        consent = config.downloadAllowed;
        const asr = await load(modelId, (f) => hooks.progress(f));
        throwIfAborted(signal);
        let output: AsrOutput;
        try {
          output = await asr(audio, generateOptions(modelId, durationMs(audio, SAMPLE_RATE)));
        } catch (err) {
          throw new TranscriptionError(`On-device transcription failed: ${errorText(err)}`, true);
        }
        // The library cannot stop a decode midway: a cancelled call ends when it does.
        throwIfAborted(signal);
        const first = Array.isArray(output) ? output[0] : output;
        return { text: normaliseTranscript(first?.text ?? ''), confidence: null, words: null };
      },
    };
  };
}

/** The consent gate's refusal, possibly wrapped (or only quoted) by the library. */
function isRefusal(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof DownloadRefused || e.message.includes(REFUSAL)) return true;
  }
  return typeof err === 'string' && err.includes(REFUSAL);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

let browserFactory: ReturnType<typeof createOnDeviceFactory> | null = null;

/** The offscreen document's on-device transcriber (one model in memory for the page). */
export function createOnDeviceTranscriber(
  config: TranscriptionConfig,
  hooks: TranscriberHooks,
): Transcriber {
  browserFactory ??= createOnDeviceFactory(browserRuntime());
  return browserFactory(config, hooks);
}
