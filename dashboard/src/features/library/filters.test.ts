import { describe, expect, it } from 'vitest';

import { categoryChips, hasFilters, parseFilters, withFilter, withoutFilters } from './filters';

describe('parseFilters', () => {
  it('reads search, platform and status from the query string', () => {
    const filters = parseFilters(
      new URLSearchParams('q=%20intro%20&platform=vimeo&status=ARCHIVED'),
    );
    expect(filters).toEqual({ q: 'intro', platform: 'vimeo', status: 'ARCHIVED' });
    expect(hasFilters(filters)).toBe(true);
  });

  it('ignores values the server would refuse', () => {
    const filters = parseFilters(new URLSearchParams('platform=myspace&status=deleted'));
    expect(filters).toEqual({ q: '', platform: null, status: null });
    expect(hasFilters(filters)).toBe(false);
  });
});

describe('withFilter and withoutFilters', () => {
  it('sets and removes one filter, keeping the other parameters', () => {
    const start = new URLSearchParams('q=intro&other=1');
    expect(withFilter(start, 'platform', 'youtube').toString()).toBe(
      'q=intro&other=1&platform=youtube',
    );
    expect(withFilter(start, 'q', '  ').toString()).toBe('other=1');
    expect(
      withoutFilters(new URLSearchParams('q=a&platform=vimeo&status=ACTIVE&other=1')).toString(),
    ).toBe('other=1');
  });
});

describe('categoryChips', () => {
  it('keeps categories with notes, in the fixed order', () => {
    expect(
      categoryChips([
        { category: 'GENERAL', count: 1 },
        { category: 'AUDIO', count: 0 },
        { category: 'PACING', count: 2 },
      ]),
    ).toEqual([
      { category: 'PACING', count: 2 },
      { category: 'GENERAL', count: 1 },
    ]);
  });
});
