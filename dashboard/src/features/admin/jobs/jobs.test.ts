import { describe, expect, it } from 'vitest';

import { jobKindName, parseJobFilters, withJobFilter } from './jobs';

describe('job filters', () => {
  it('reads known states and kinds and drops anything else', () => {
    expect(parseJobFilters(new URLSearchParams('state=DEAD&kind=POST_NOTE'))).toEqual({
      state: 'DEAD',
      kind: 'POST_NOTE',
    });
    expect(parseJobFilters(new URLSearchParams('state=ZOMBIE&kind=x'))).toEqual({
      state: null,
      kind: null,
    });
  });

  it('sets and clears one filter', () => {
    const params = withJobFilter(new URLSearchParams('kind=REFINE_NOTE'), 'state', 'DEAD');
    expect(params.toString()).toBe('kind=REFINE_NOTE&state=DEAD');
    expect(withJobFilter(params, 'kind', '').toString()).toBe('state=DEAD');
    expect(jobKindName('REFINE_NOTE')).toBe('Refine note');
  });
});
