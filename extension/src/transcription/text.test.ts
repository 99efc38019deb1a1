import { describe, expect, it } from 'vitest';

import { normaliseTranscript } from './text';

describe('normaliseTranscript', () => {
  it('trims and single-spaces what was said', () => {
    expect(normaliseTranscript('  The music is\n too   loud. ')).toBe('The music is too loud.');
  });

  it('is empty when only silence annotations or punctuation are left', () => {
    for (const heardNothing of [
      '',
      '   ',
      '[BLANK_AUDIO]',
      ' (silence) ',
      '[Music] ♪♪',
      '*sigh* ...',
    ]) {
      expect(normaliseTranscript(heardNothing)).toBe('');
    }
  });

  it('drops annotations around words', () => {
    expect(normaliseTranscript('[Music] The cut is late [BLANK_AUDIO].')).toBe('The cut is late.');
  });
});
