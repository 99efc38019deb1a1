// The trends page's time range and bucket: presets, a custom range, and which bucket sizes
// the server would accept (at most 1,500 points, at most 400 days). Kept in the address.

import type { AnalyticsBucket } from '@/gql/graphql';

import { parseInstant } from '../shared/format';

export const MAX_POINTS = 1500;
export const MAX_RANGE_DAYS = 400;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const BUCKETS: readonly { value: AnalyticsBucket; name: string; ms: number }[] = [
  { value: 'MINUTE', name: 'Minute', ms: MINUTE },
  { value: 'HOUR', name: 'Hour', ms: HOUR },
  { value: 'DAY', name: 'Day', ms: DAY },
];

export const PRESETS = [
  { value: 'hour', name: 'Last hour', ms: HOUR },
  { value: 'day', name: 'Last 24 hours', ms: DAY },
  { value: 'week', name: 'Last 7 days', ms: 7 * DAY },
  { value: 'month', name: 'Last 30 days', ms: 30 * DAY },
] as const;

export type Preset = (typeof PRESETS)[number]['value'];

/** What the address says: a preset, or a custom range; and a bucket if one was chosen. */
export type RangeChoice =
  | { kind: 'preset'; preset: Preset; bucket: AnalyticsBucket | null }
  | { kind: 'custom'; from: string; to: string; bucket: AnalyticsBucket | null };

export interface Range {
  from: string;
  to: string;
}

export function parseRangeChoice(params: URLSearchParams): RangeChoice {
  const bucketParam = params.get('bucket');
  const bucket = BUCKETS.find((b) => b.value === bucketParam)?.value ?? null;
  const from = parseInstant(params.get('from'));
  const to = parseInstant(params.get('to'));
  if (params.get('range') === 'custom' && from && to) {
    return { kind: 'custom', from, to, bucket };
  }
  const preset = PRESETS.find((p) => p.value === params.get('range'))?.value ?? 'day';
  return { kind: 'preset', preset, bucket };
}

export function rangeChoiceParams(choice: RangeChoice): URLSearchParams {
  const params = new URLSearchParams();
  if (choice.kind === 'custom') {
    params.set('range', 'custom');
    params.set('from', choice.from);
    params.set('to', choice.to);
  } else {
    params.set('range', choice.preset);
  }
  if (choice.bucket) params.set('bucket', choice.bucket);
  return params;
}

/** The instants a choice covers; a preset ends at `now` rounded up to the minute, so the
 * range (and the query) stays the same while the page is open until it is refreshed. */
export function resolveRange(choice: RangeChoice, now: number): Range {
  if (choice.kind === 'custom') return { from: choice.from, to: choice.to };
  const end = Math.ceil(now / MINUTE) * MINUTE;
  const span = PRESETS.find((p) => p.value === choice.preset)?.ms ?? DAY;
  return { from: new Date(end - span).toISOString(), to: new Date(end).toISOString() };
}

/** Why a custom range cannot be asked for, or null. */
export function rangeProblem(range: Range): string | null {
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  if (Number.isNaN(from) || Number.isNaN(to)) return 'Give both a start and an end.';
  if (from >= to) return 'The start must be before the end.';
  if (to - from > MAX_RANGE_DAYS * DAY) return `The range can be at most ${MAX_RANGE_DAYS} days.`;
  return null;
}

/** How many buckets of `ms` the range touches (edges aligned to whole buckets, as the
 * server counts them, so a partial bucket at each end counts). */
export function pointCount(range: Range, ms: number): number {
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  return Math.ceil(to / ms) - Math.floor(from / ms);
}

export interface BucketOption {
  value: AnalyticsBucket;
  name: string;
  points: number;
  allowed: boolean;
}

export function bucketOptions(range: Range): BucketOption[] {
  return BUCKETS.map((b) => {
    const points = pointCount(range, b.ms);
    return { value: b.value, name: b.name, points, allowed: points <= MAX_POINTS };
  });
}

/** The chosen bucket when it is allowed; else the finest one with at most 500 points (a
 * readable chart), else the finest allowed. */
export function effectiveBucket(range: Range, chosen: AnalyticsBucket | null): AnalyticsBucket {
  const options = bucketOptions(range);
  const wanted = options.find((o) => o.value === chosen && o.allowed);
  if (wanted) return wanted.value;
  const readable = options.find((o) => o.allowed && o.points <= 500);
  return (readable ?? options.find((o) => o.allowed))?.value ?? 'DAY';
}
