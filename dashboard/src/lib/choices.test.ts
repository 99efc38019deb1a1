import { describe, expect, it } from 'vitest';

import { choiceName, pickChoice, withParam, type Choices } from './choices';

const SIZES: Choices<'S' | 'L'> = [
  ['S', 'Small'],
  ['L', 'Large'],
];

describe('choices', () => {
  it('picks a known value and ignores an unknown or missing one', () => {
    expect(pickChoice(SIZES, 'L')).toBe('L');
    expect(pickChoice(SIZES, 'XL')).toBeNull();
    expect(pickChoice(SIZES, null)).toBeNull();
  });

  it('names a value by its choice', () => {
    expect(choiceName(SIZES, 'S')).toBe('Small');
  });

  it('sets a trimmed parameter, removes an empty one and keeps the others', () => {
    const params = new URLSearchParams('size=S&page=2');
    expect(withParam(params, 'size', ' L ').toString()).toBe('size=L&page=2');
    expect(withParam(params, 'size', '  ').toString()).toBe('page=2');
    expect(withParam(params, 'size', null).toString()).toBe('page=2');
    expect(params.toString()).toBe('size=S&page=2');
  });
});
