import { describe, expect, it } from 'vitest';

import {
  isFiltering,
  parseTelemetryFilters,
  prettyJson,
  propertyCount,
  telemetryFilterParams,
} from './filters';

describe('telemetry filters in the address', () => {
  it('reads known values, trims text and drops nonsense', () => {
    const filters = parseTelemetryFilters(
      new URLSearchParams('name=vad.loaded&level=WARN&source=ROBOT&userId=%20u-1%20&from=nope'),
    );
    expect(filters).toEqual({
      name: 'vad.loaded',
      level: 'WARN',
      userId: 'u-1',
      deviceId: null,
      sessionId: null,
      source: null,
      from: null,
      to: null,
    });
    expect(isFiltering(filters)).toBe(true);
    expect(isFiltering(parseTelemetryFilters(new URLSearchParams()))).toBe(false);
  });

  it('writes them back without the empty ones', () => {
    const filters = parseTelemetryFilters(
      new URLSearchParams('level=ERROR&to=2026-12-01T10:00:00Z'),
    );
    expect(telemetryFilterParams(filters).toString()).toBe(
      'level=ERROR&to=2026-12-01T10%3A00%3A00.000Z',
    );
  });
});

describe('properties', () => {
  it('pretty-prints and counts them', () => {
    expect(prettyJson({ a: 1, b: [true] })).toBe('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}');
    expect(propertyCount({ a: 1, b: 2 })).toBe(2);
    expect(propertyCount(null)).toBe(0);
  });
});
