// The trends charts: which series each chart draws from the analytics points, in which unit,
// and the data shaped as uPlot wants it (x in seconds, one array per series). Pure.

import type { AdminAnalyticsPointFieldsFragment } from '@/gql/graphql';

import { formatCount, formatMs } from '../shared/format';

export type Point = AdminAnalyticsPointFieldsFragment;

export interface SeriesSpec {
  label: string;
  color: string;
  value: (point: Point) => number | null;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** Said on the y axis and in the summary. */
  unit: string;
  /** Latencies: null means no sample; counts: zero means nothing happened. */
  kind: 'latency' | 'count';
  series: SeriesSpec[];
  /** The whole range in words, for the caption (what a screen reader hears). */
  summary: (total: Point) => string;
}

// Distinguishable in light and dark themes; the legend names each line as well.
const BLUE = '#3b6fd8';
const ORANGE = '#d9822b';
const RED = '#c2373a';
const GREEN = '#2e9d5b';
const PURPLE = '#8a5cd1';

const percentiles = (pick: (p: Point) => Point['noteDelivery'], what: string): SeriesSpec[] => [
  { label: `${what} p50`, color: BLUE, value: (p: Point) => pick(p).p50Ms },
  { label: `${what} p95`, color: ORANGE, value: (p: Point) => pick(p).p95Ms },
  { label: `${what} p99`, color: RED, value: (p: Point) => pick(p).p99Ms },
];

const latencySummary =
  (pick: (p: Point) => Point['noteDelivery'], noun: string) => (total: Point) => {
    const l = pick(total);
    if (l.count === 0) return `No ${noun} in this range.`;
    return `Whole range: p50 ${formatMs(l.p50Ms)}, p95 ${formatMs(l.p95Ms)}, p99 ${formatMs(l.p99Ms)} over ${formatCount(l.count)} ${noun}.`;
  };

const totals = (series: SeriesSpec[]) => (total: Point) =>
  'Totals: ' +
  series.map((s) => `${s.label.toLowerCase()} ${formatCount(s.value(total) ?? 0)}`).join(', ') +
  '.';

const noteSeries: SeriesSpec[] = [
  { label: 'Created', color: GREEN, value: (p) => p.notesCreated },
  { label: 'Suppressed', color: ORANGE, value: (p) => p.notesSuppressed },
];
const problemSeries: SeriesSpec[] = [
  { label: 'Errors', color: RED, value: (p) => p.errors },
  { label: 'Resets', color: PURPLE, value: (p) => p.resets },
  { label: 'Disconnects', color: ORANGE, value: (p) => p.disconnects },
  { label: 'Reconnects', color: BLUE, value: (p) => p.reconnects },
];
const voiceSeries: SeriesSpec[] = [
  { label: 'Voice events', color: BLUE, value: (p) => p.voiceEvents },
];
const activeSeries: SeriesSpec[] = [
  { label: 'Sessions', color: BLUE, value: (p) => p.activeSessions },
  { label: 'Users', color: GREEN, value: (p) => p.activeUsers },
];
const telemetrySeries: SeriesSpec[] = [
  { label: 'Accepted', color: GREEN, value: (p) => p.telemetryAccepted },
  { label: 'Duplicates', color: ORANGE, value: (p) => p.telemetryDuplicates },
  { label: 'Dropped', color: RED, value: (p) => p.telemetryDropped },
];

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'delivery',
    title: 'Note delivery latency (transcript received → note published)',
    unit: 'ms',
    kind: 'latency',
    series: percentiles((p) => p.noteDelivery, 'Delivery'),
    summary: latencySummary((p) => p.noteDelivery, 'notes delivered'),
  },
  {
    id: 'voice-latency',
    title: 'Voice-event latency (event received → answered)',
    unit: 'ms',
    kind: 'latency',
    series: percentiles((p) => p.voiceEvent, 'Voice event'),
    summary: latencySummary((p) => p.voiceEvent, 'voice events answered'),
  },
  {
    id: 'notes',
    title: 'Notes created and suppressed',
    unit: 'notes per bucket',
    kind: 'count',
    series: noteSeries,
    summary: totals(noteSeries),
  },
  {
    id: 'voice-events',
    title: 'Voice events',
    unit: 'events per bucket',
    kind: 'count',
    series: voiceSeries,
    summary: totals(voiceSeries),
  },
  {
    id: 'problems',
    title: 'Errors, resets, disconnects and reconnects',
    unit: 'per bucket',
    kind: 'count',
    series: problemSeries,
    summary: totals(problemSeries),
  },
  {
    id: 'active',
    title: 'Active voice sessions and users',
    unit: 'distinct per bucket',
    kind: 'count',
    series: activeSeries,
    summary: (total) =>
      `Whole range: ${formatCount(total.activeSessions)} sessions, ${formatCount(total.activeUsers)} users.`,
  },
  {
    id: 'telemetry',
    title: 'Telemetry ingest',
    unit: 'events per bucket',
    kind: 'count',
    series: telemetrySeries,
    summary: totals(telemetrySeries),
  },
];

/** uPlot's aligned data: x (Unix seconds) first, then one array per series. */
export type ChartColumns = [number[], ...(number | null)[][]];

export interface ShapedChart {
  data: ChartColumns;
  /** False when no bucket has a sample (latency) or a non-zero count: show the empty state. */
  hasData: boolean;
}

export function shapeChart(points: readonly Point[], spec: ChartSpec): ShapedChart {
  const xs = points.map((p) => Math.floor(Date.parse(p.at) / 1000));
  const columns = spec.series.map((s) => points.map((p) => s.value(p)));
  const hasData = columns.some((column) =>
    column.some((v) => v !== null && (spec.kind === 'latency' || v !== 0)),
  );
  return { data: [xs, ...columns], hasData };
}

/** The y axis's tick labels: whole numbers for counts, milliseconds for latencies. */
export function tickLabel(kind: ChartSpec['kind'], value: number): string {
  return kind === 'latency' ? formatMs(value) : formatCount(value);
}
