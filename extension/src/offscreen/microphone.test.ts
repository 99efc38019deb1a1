import { describe, expect, it } from 'vitest';

import { microphoneFailure } from './microphone';

function domError(name: string, message = ''): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('microphoneFailure', () => {
  it('calls a refused permission MIC_DENIED and says where to allow it', () => {
    const never = microphoneFailure(domError('NotAllowedError', 'Permission dismissed'), 'prompt');
    expect(never.code).toBe('MIC_DENIED');
    expect(never.message).toMatch(/microphone page/);
    const blocked = microphoneFailure(domError('NotAllowedError'), 'denied');
    expect(blocked.code).toBe('MIC_DENIED');
    expect(blocked.message).toMatch(/blocked/);
  });

  it('calls no device, or one that cannot be opened, MIC_MISSING', () => {
    expect(microphoneFailure(domError('NotFoundError')).code).toBe('MIC_MISSING');
    expect(microphoneFailure(domError('OverconstrainedError')).code).toBe('MIC_MISSING');
    const busy = microphoneFailure(domError('NotReadableError', 'Could not start audio source'));
    expect(busy.code).toBe('MIC_MISSING');
    expect(busy.message).toMatch(/another application/);
  });

  it('calls anything else FAILED, with what the browser said', () => {
    const failure = microphoneFailure(domError('TypeError', 'bad constraints'));
    expect(failure.code).toBe('FAILED');
    expect(failure.message).toMatch(/bad constraints/);
  });
});
