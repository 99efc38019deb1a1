// @vitest-environment node
// The on-device transcriber against a stand-in for transformers.js: the library and the model
// hub are boundaries we do not own, and neither a model nor the hub is reachable here, so what
// is tested is what this module decides (model ids, options, the bundled onnxruntime files, the
// consent gate, progress, errors). Real Whisper in a browser is not exercised on this machine.

import type { ProgressInfo } from '@huggingface/transformers';
import { describe, expect, it, vi } from 'vitest';

import type { TranscriptionConfig } from '@/shared/voice';

import {
  chooseDevice,
  consentFetch,
  createOnDeviceFactory,
  generateOptions,
  hubModelId,
  pipelineOptions,
  type AsrPipeline,
  type OnDeviceRuntime,
  type TransformersLike,
} from './on-device';
import { TranscriptionError } from './types';

const CONFIG: TranscriptionConfig = {
  mode: 'ON_DEVICE',
  endpoint: null,
  model: 'whisper-base.en',
  apiKey: null,
  downloadAllowed: true,
};
const signal = new AbortController().signal;
const second = new Float32Array(16_000);

class NotFound extends Error {}

/** A stand-in for transformers.js: `pipeline()` reads each model file through `env.fetch`
 * unless `cached` says the browser's cache has it, reporting progress as the library does. */
function fakeLibrary(
  options: { cached?: boolean; loadError?: Error; output?: string; inferError?: Error } = {},
) {
  const asrCalls: { audio: Float32Array; options: Record<string, unknown> }[] = [];
  const asr: AsrPipeline = (audio, opts) => {
    asrCalls.push({ audio, options: opts });
    return options.inferError
      ? Promise.reject(options.inferError)
      : Promise.resolve({ text: options.output ?? ' The cut is late. ' });
  };
  const pipeline = vi.fn<TransformersLike['pipeline']>(async (_task, model, opts) => {
    if (options.loadError) throw options.loadError;
    for (const [file, size] of [
      ['onnx/encoder_model.onnx', 200],
      ['onnx/decoder_model_merged.onnx', 100],
    ] as const) {
      if (!options.cached) {
        const response = await library.env.fetch(
          `https://huggingface.co/${model}/resolve/main/${file}`,
        );
        if (!response.ok) throw new Error(`${file}: ${response.status}`);
      }
      const info: ProgressInfo = {
        status: 'progress',
        name: model,
        file,
        loaded: size,
        total: size,
        progress: 100,
      };
      opts.progress_callback(info);
    }
    return asr;
  });
  const library: TransformersLike = {
    env: {
      allowLocalModels: true,
      allowRemoteModels: false,
      useBrowserCache: false,
      useWasmCache: true,
      fetch: () => Promise.reject(new Error('the default fetch must be replaced')),
      backends: { onnx: { wasm: { wasmPaths: 'https://cdn.jsdelivr.net/npm/onnxruntime-web/' } } },
    },
    pipeline,
    isModelFileNotFound: (err) => err instanceof NotFound,
  };
  return { library, asrCalls, pipeline };
}

function runtime(library: TransformersLike, gpu?: { requestAdapter(): Promise<unknown> }) {
  const fetch = vi.fn<(url: string | URL) => Promise<Response>>(() =>
    Promise.resolve(new Response('model bytes')),
  );
  const loadLibrary = vi.fn(() => Promise.resolve(library));
  const rt: OnDeviceRuntime = {
    loadLibrary,
    navigator: gpu ? { gpu } : {},
    fetch,
  };
  return { rt, fetch, loadLibrary };
}

async function failure(promise: Promise<unknown>): Promise<TranscriptionError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TranscriptionError);
  return err as TranscriptionError;
}

describe('what the module decides', () => {
  it('maps model names to the hub’s ONNX exports and refuses unknown ones for good', () => {
    expect(hubModelId('whisper-base.en')).toBe('onnx-community/whisper-base.en');
    expect(hubModelId('tiny.en')).toBe('onnx-community/whisper-tiny.en');
    expect(hubModelId('whisper-small')).toBe('onnx-community/whisper-small');
    expect(hubModelId('Xenova/whisper-base.en')).toBe('Xenova/whisper-base.en');
    for (const bad of ['whisper-huge', '', '../etc']) {
      let err: unknown;
      try {
        hubModelId(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TranscriptionError);
      expect((err as TranscriptionError).retryable).toBe(false);
    }
  });

  it('uses a 4-bit decoder on WebGPU and 8-bit weights on the CPU', () => {
    expect(pipelineOptions('webgpu')).toEqual({
      device: 'webgpu',
      dtype: { encoder_model: 'fp32', decoder_model_merged: 'q4' },
    });
    expect(pipelineOptions('wasm')).toEqual({
      device: 'wasm',
      dtype: { encoder_model: 'q8', decoder_model_merged: 'q8' },
    });
  });

  it('fixes English on multilingual models and windows audio longer than 30 s', () => {
    expect(generateOptions('onnx-community/whisper-base.en', 5_000)).toEqual({});
    expect(generateOptions('onnx-community/whisper-base', 5_000)).toEqual({
      language: 'en',
      task: 'transcribe',
    });
    expect(generateOptions('onnx-community/whisper-tiny.en', 45_000)).toEqual({
      chunk_length_s: 30,
      stride_length_s: 5,
    });
  });

  it('chooses WebGPU only when the browser offers an adapter', async () => {
    expect(await chooseDevice(undefined)).toBe('wasm');
    expect(await chooseDevice({})).toBe('wasm');
    expect(await chooseDevice({ gpu: { requestAdapter: () => Promise.resolve({}) } })).toBe(
      'webgpu',
    );
    expect(await chooseDevice({ gpu: { requestAdapter: () => Promise.resolve(null) } })).toBe(
      'wasm',
    );
    expect(
      await chooseDevice({ gpu: { requestAdapter: () => Promise.reject(new Error('lost')) } }),
    ).toBe('wasm');
  });

  it('lets the network through only with consent, and the extension’s own files always', async () => {
    let allowed = false;
    const inner = vi.fn<(url: string | URL) => Promise<Response>>(() =>
      Promise.resolve(new Response('ok')),
    );
    const gated = consentFetch(() => allowed, inner);
    await expect(gated('https://huggingface.co/m/resolve/main/config.json')).rejects.toThrow(
      /consent/,
    );
    await expect(gated('chrome-extension://lossy/transcription/ort/x.wasm')).resolves.toBeTruthy();
    allowed = true;
    await expect(gated('https://huggingface.co/m/resolve/main/config.json')).resolves.toBeTruthy();
    expect(inner.mock.calls.map(([url]) => url)).toEqual([
      'chrome-extension://lossy/transcription/ort/x.wasm',
      'https://huggingface.co/m/resolve/main/config.json',
    ]);
  });
});

describe('the on-device transcriber', () => {
  it('takes onnxruntime from the extension, not a CDN, and keeps the model in the browser cache', async () => {
    const { library } = fakeLibrary();
    const create = createOnDeviceFactory(runtime(library).rt);
    await create(CONFIG, { progress() {} }).transcribe(second, { utteranceId: 'u', signal });
    // unset: onnxruntime's bundled glue finds the binary Vite copied beside it
    expect(library.env.backends.onnx.wasm).toEqual({});
    expect(library.env.allowLocalModels).toBe(false);
    expect(library.env.useBrowserCache).toBe(true);
    expect(library.env.useWasmCache).toBe(false);
  });

  it('without consent, refuses for good to download a model that is not cached', async () => {
    const { library } = fakeLibrary();
    const { rt, fetch } = runtime(library);
    const progress: (number | null)[] = [];
    const err = await failure(
      createOnDeviceFactory(rt)(
        { ...CONFIG, downloadAllowed: false },
        { progress: (f) => progress.push(f) },
      ).transcribe(second, { utteranceId: 'u', signal }),
    );
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/must agree to download/);
    expect(fetch).not.toHaveBeenCalled();
    expect(progress).toEqual([0, null]);
  });

  it('without consent, uses a model already in the cache', async () => {
    const { library } = fakeLibrary({ cached: true });
    const { rt, fetch } = runtime(library);
    const result = await createOnDeviceFactory(rt)(
      { ...CONFIG, downloadAllowed: false },
      { progress() {} },
    ).transcribe(second, { utteranceId: 'u', signal });
    expect(result.text).toBe('The cut is late.');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('with consent, downloads once with progress, then transcribes on the chosen device', async () => {
    const { library, asrCalls, pipeline } = fakeLibrary();
    const { rt, fetch, loadLibrary } = runtime(library, {
      requestAdapter: () => Promise.resolve({}),
    });
    const create = createOnDeviceFactory(rt);
    const progress: (number | null)[] = [];
    const transcriber = create(CONFIG, { progress: (f) => progress.push(f) });

    const result = await transcriber.transcribe(second, { utteranceId: 'u', signal });
    expect(result).toEqual({ text: 'The cut is late.', confidence: null, words: null });
    expect(progress).toEqual([0, 0.99, 1, null]);
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'https://huggingface.co/onnx-community/whisper-base.en/resolve/main/onnx/encoder_model.onnx',
      'https://huggingface.co/onnx-community/whisper-base.en/resolve/main/onnx/decoder_model_merged.onnx',
    ]);
    expect(pipeline).toHaveBeenCalledWith(
      'automatic-speech-recognition',
      'onnx-community/whisper-base.en',
      expect.objectContaining(pipelineOptions('webgpu')),
    );
    expect(asrCalls[0]?.audio).toBe(second);

    // the next utterance, and a transcriber made for new settings, reuse the loaded model
    await transcriber.transcribe(second, { utteranceId: 'v', signal });
    await create({ ...CONFIG, downloadAllowed: false }, { progress() {} }).transcribe(second, {
      utteranceId: 'w',
      signal,
    });
    expect(pipeline).toHaveBeenCalledTimes(1);
    expect(asrCalls).toHaveLength(3);
    expect(loadLibrary).toHaveBeenCalledTimes(1);
  });

  it('tells a second caller waiting for the same load its progress too', async () => {
    const { library, pipeline } = fakeLibrary();
    const create = createOnDeviceFactory(runtime(library).rt);
    const a: (number | null)[] = [];
    const b: (number | null)[] = [];
    await Promise.all([
      create(CONFIG, { progress: (f) => a.push(f) }).transcribe(second, {
        utteranceId: 'u',
        signal,
      }),
      create(CONFIG, { progress: (f) => b.push(f) }).transcribe(second, {
        utteranceId: 'v',
        signal,
      }),
    ]);
    expect(pipeline).toHaveBeenCalledTimes(1);
    expect(a.at(-1)).toBeNull();
    expect(b).toContain(1);
    expect(b.at(-1)).toBeNull();
  });

  it('a model the hub does not have fails for good; a broken download is retried', async () => {
    const missing = fakeLibrary({ loadError: new NotFound('Could not locate file') });
    const gone = await failure(
      createOnDeviceFactory(runtime(missing.library).rt)(
        { ...CONFIG, model: 'someone/not-a-model' },
        { progress() {} },
      ).transcribe(second, { utteranceId: 'u', signal }),
    );
    expect(gone.retryable).toBe(false);

    const cut = fakeLibrary({ loadError: new TypeError('network error') });
    const create = createOnDeviceFactory(runtime(cut.library).rt);
    const transcriber = create(CONFIG, { progress() {} });
    const first = await failure(transcriber.transcribe(second, { utteranceId: 'u', signal }));
    expect(first.retryable).toBe(true);
    await failure(transcriber.transcribe(second, { utteranceId: 'u', signal }));
    // the failed load is not kept: the second attempt loads again
    expect(cut.pipeline).toHaveBeenCalledTimes(2);
  });

  it('a failed decode is retryable; words and annotations-only output map as elsewhere', async () => {
    const failing = fakeLibrary({ inferError: new Error('GPU device lost') });
    const err = await failure(
      createOnDeviceFactory(runtime(failing.library).rt)(CONFIG, { progress() {} }).transcribe(
        second,
        { utteranceId: 'u', signal },
      ),
    );
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('GPU device lost');

    const silent = fakeLibrary({ output: ' [BLANK_AUDIO]' });
    const result = await createOnDeviceFactory(runtime(silent.library).rt)(CONFIG, {
      progress() {},
    }).transcribe(second, { utteranceId: 'u', signal });
    expect(result.text).toBe('');
  });

  it('decodes utterances longer than 30 s in windows', async () => {
    const { library, asrCalls } = fakeLibrary();
    await createOnDeviceFactory(runtime(library).rt)(CONFIG, { progress() {} }).transcribe(
      new Float32Array(16_000 * 40),
      { utteranceId: 'u', signal },
    );
    expect(asrCalls[0]?.options).toEqual({ chunk_length_s: 30, stride_length_s: 5 });
  });

  it('rejects a cancelled call before loading anything', async () => {
    const { library, pipeline } = fakeLibrary();
    const controller = new AbortController();
    controller.abort();
    const err = await failure(
      createOnDeviceFactory(runtime(library).rt)(CONFIG, { progress() {} }).transcribe(second, {
        utteranceId: 'u',
        signal: controller.signal,
      }),
    );
    expect(err.retryable).toBe(true);
    expect(pipeline).not.toHaveBeenCalled();
  });
});
