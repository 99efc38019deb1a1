// What every transcriber does to a recogniser's text before handing it on.

// Whisper writes what it hears that is not speech as an annotation: `[BLANK_AUDIO]`
// (whisper.cpp), `(silence)`, `[Music]`, `*sigh*`, `♪`. Reviewers do not speak brackets, so
// these are dropped wherever they are; a transcript made only of them is no words.
const ANNOTATION = /\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|♪+/g;

/** Annotations dropped, trimmed and single-spaced; '' when no word is left. */
export function normaliseTranscript(raw: string): string {
  const text = raw
    .replace(ANNOTATION, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,!?;:])/g, '$1')
    .trim();
  return /[\p{L}\p{N}]/u.test(text) ? text : '';
}

/** The audio's length in milliseconds at `sampleRate`. */
export function durationMs(samples: Float32Array, sampleRate: number): number {
  return (samples.length / sampleRate) * 1000;
}
