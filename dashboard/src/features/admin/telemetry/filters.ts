// The telemetry explorer's filters, kept in the address so a view can be shared and reloaded.

import type { TelemetryLevel, TelemetrySource } from '@/gql/graphql';

import { pickChoice, type Choices } from '@/lib/choices';
import { parseInstant } from '../shared/format';

export const LEVELS: Choices<TelemetryLevel> = [
  ['DEBUG', 'Debug'],
  ['INFO', 'Info'],
  ['WARN', 'Warning'],
  ['ERROR', 'Error'],
];

export const SOURCES: Choices<TelemetrySource> = [
  ['CLIENT', 'Client'],
  ['SERVER', 'Server'],
];

export interface TelemetryFilters {
  name: string | null;
  level: TelemetryLevel | null;
  userId: string | null;
  deviceId: string | null;
  sessionId: string | null;
  source: TelemetrySource | null;
  from: string | null;
  to: string | null;
}

export const FILTER_NAMES = [
  'name',
  'level',
  'userId',
  'deviceId',
  'sessionId',
  'source',
  'from',
  'to',
] as const satisfies readonly (keyof TelemetryFilters)[];

const text = (value: string | null) => {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

export function parseTelemetryFilters(params: URLSearchParams): TelemetryFilters {
  const level = params.get('level');
  const source = params.get('source');
  return {
    name: text(params.get('name')),
    level: pickChoice(LEVELS, level),
    userId: text(params.get('userId')),
    deviceId: text(params.get('deviceId')),
    sessionId: text(params.get('sessionId')),
    source: pickChoice(SOURCES, source),
    from: parseInstant(params.get('from')),
    to: parseInstant(params.get('to')),
  };
}

/** The address for these filters (empty ones left out). */
export function telemetryFilterParams(filters: TelemetryFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value !== null && value !== '') params.set(name, value);
  }
  return params;
}

export function isFiltering(filters: TelemetryFilters): boolean {
  return FILTER_NAMES.some((name) => filters[name] !== null);
}

/** An event's properties as indented JSON. */
export function prettyJson(value: unknown): string {
  try {
    return value === undefined ? 'null' : JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

/** How many properties an event has, for the collapsed row ("3 properties"). */
export function propertyCount(value: unknown): number {
  return value !== null && typeof value === 'object' ? Object.keys(value).length : 0;
}
