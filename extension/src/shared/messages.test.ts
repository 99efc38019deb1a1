import { describe, expect, it } from 'vitest';

import { hasKind } from './messages';

describe('hasKind', () => {
  it('accepts objects with a string kind and refuses anything else', () => {
    expect(hasKind({ kind: 'page/seek', seconds: 3 })).toBe(true);
    expect(hasKind({ kind: 3 })).toBe(false);
    expect(hasKind(null)).toBe(false);
    expect(hasKind('page/seek')).toBe(false);
  });
});
