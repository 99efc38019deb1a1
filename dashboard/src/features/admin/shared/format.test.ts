import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';

import {
  errorText,
  formatDuration,
  formatMs,
  formatShare,
  fromLocalInput,
  parseInstant,
  toLocalInput,
} from './format';

describe('errorText', () => {
  it('shows the server message with its code', () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('it would leave no enabled admin', {
          extensions: { code: 'CONFLICT' },
        }),
      ],
    });
    expect(errorText(error)).toBe('it would leave no enabled admin (CONFLICT)');
  });
});

describe('formatDuration', () => {
  it('keeps the two largest units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 59)).toBe('3 d 4 h');
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe('2 h 5 min');
    expect(formatDuration(86_400 + 30)).toBe('1 d');
  });
});

describe('numbers', () => {
  it('writes milliseconds and shares, with a dash for nothing', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(1.25)).toBe('1.3 ms');
    expect(formatShare(1, 0)).toBe('—');
    expect(formatShare(1, 4)).toBe('25 %');
  });
});

describe('local time inputs', () => {
  it('round-trips an instant through a datetime-local value', () => {
    const iso = new Date(2026, 11, 1, 9, 5).toISOString();
    expect(toLocalInput(iso)).toBe('2026-12-01T09:05');
    expect(fromLocalInput('2026-12-01T09:05')).toBe(iso);
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('not a date')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });

  it('reads instants from the address bar and drops anything else', () => {
    expect(parseInstant('2026-12-01T10:00:00Z')).toBe('2026-12-01T10:00:00.000Z');
    expect(parseInstant('yesterday')).toBeNull();
    expect(parseInstant(null)).toBeNull();
  });
});
