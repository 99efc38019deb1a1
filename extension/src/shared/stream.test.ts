import { describe, expect, it } from 'vitest';

import { errorCode, offsetOf, resumedAfter, sinceOf } from './stream';

describe('resuming a stream', () => {
  const operation = {
    query: 'subscription S($videoId: ID!, $since: String) { x }',
    variables: { videoId: 'v' },
  };

  it('reads the offset of any event of the stream, and none from other results', () => {
    expect(offsetOf({ data: { noteEvents: { __typename: 'NoteDeleted', offset: 'o-7' } } })).toBe(
      'o-7',
    );
    expect(offsetOf({ data: { noteEvents: { __typename: 'NoteCreated' } } })).toBeNull();
    expect(offsetOf({ data: null, errors: [{ message: 'no' }] })).toBeNull();
    expect(offsetOf({ data: { settingsChanged: null } })).toBeNull();
  });

  it('sends the operation again after an offset, keeping its other variables', () => {
    const resumed = resumedAfter(operation, 'o-7');
    expect(resumed.variables).toEqual({ videoId: 'v', since: 'o-7' });
    expect(sinceOf(resumed)).toBe('o-7');
    expect(operation.variables).toEqual({ videoId: 'v' });
    expect(resumedAfter(operation, null)).toBe(operation);
    expect(sinceOf(operation)).toBeNull();
  });

  it('reads the code of the first error', () => {
    expect(errorCode([{ message: 'gone', extensions: { code: 'EVENTS_EXPIRED' } }])).toBe(
      'EVENTS_EXPIRED',
    );
    expect(errorCode([{ message: 'no code' }])).toBeUndefined();
    expect(errorCode(undefined)).toBeUndefined();
  });
});
