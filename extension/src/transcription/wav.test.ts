import { describe, expect, it } from 'vitest';

import { decodeWav, encodeWav } from './wav';

describe('encodeWav', () => {
  it('writes a 16 kHz mono 16-bit PCM RIFF header and the samples at full scale', () => {
    const wav = encodeWav(new Float32Array([0, 1, -1, 0.5, 2, -3, Number.NaN]));
    const view = new DataView(wav);
    const text = (at: number) => String.fromCharCode(...new Uint8Array(wav, at, 4));
    expect(wav.byteLength).toBe(44 + 7 * 2);
    expect([text(0), text(8), text(12), text(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(4, true)).toBe(wav.byteLength - 8);
    expect(view.getUint16(20, true)).toBe(1); // PCM
    expect(view.getUint16(22, true)).toBe(1); // mono
    expect(view.getUint32(24, true)).toBe(16_000);
    expect(view.getUint32(28, true)).toBe(32_000);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(14);
    const pcm = Array.from({ length: 7 }, (_, i) => view.getInt16(44 + i * 2, true));
    // out-of-range samples are clipped, NaN is silence
    expect(pcm).toEqual([0, 32767, -32768, 16384, 32767, -32768, 0]);
  });

  it('round-trips through decodeWav within one step of 16-bit quantisation', () => {
    const samples = Float32Array.from({ length: 1600 }, (_, i) => Math.sin(i / 7) * 0.8);
    const decoded = decodeWav(encodeWav(samples));
    expect(decoded.sampleRate).toBe(16_000);
    expect(decoded.samples).toHaveLength(1600);
    const worst = Math.max(...samples.map((s, i) => Math.abs((decoded.samples[i] ?? NaN) - s)));
    expect(worst).toBeLessThan(1 / 32767);
  });
});

describe('decodeWav', () => {
  it('refuses what is not a 16-bit PCM WAV', () => {
    expect(() => decodeWav(new TextEncoder().encode('not a wav at all').buffer)).toThrow(/WAV/);
    const float = encodeWav(new Float32Array(4));
    new DataView(float).setUint16(34, 32, true);
    expect(() => decodeWav(float)).toThrow(/16-bit/);
  });
});
