import { EVENTS_EXPIRED, refusesResume } from './stream';

describe('a refused resume', () => {
  it('is an expired or unusable offset', () => {
    expect(refusesResume(EVENTS_EXPIRED)).toBe(true);
    expect(refusesResume('BAD_USER_INPUT')).toBe(true);
  });

  it('is not any other failure, which the view reports as it always did', () => {
    for (const code of ['INTERNAL', 'UNAUTHENTICATED', 'FORBIDDEN', undefined, null, 42]) {
      expect(refusesResume(code)).toBe(false);
    }
  });
});
