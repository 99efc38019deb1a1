// Small formatting and input helpers the admin pages share: errors with their code, durations,
// numbers, and the `datetime-local` inputs' local time to and from the API's instants.

import type { CombinedError } from '@urql/core';

import { serverError } from '@/lib/graphql/errors';

/** The server's message with its code, e.g. "refused (CONFLICT)", so an operator can search
 * the logs and the docs for it. */
export function errorText(error: CombinedError): string {
  const { message, code } = serverError(error);
  return `${message} (${code})`;
}

/** "3 d 4 h", "2 h 5 min", "45 s": the two largest units, for uptimes. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'min'],
    [seconds % 60, 's'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first === -1) return '0 s';
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value} ${unit}`)
    .join(' ');
}

const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** A count with the reader's digit grouping. */
export function formatCount(value: number): string {
  return whole.format(value);
}

/** "120 ms", "1.5 ms"; a missing percentile (no samples) is a dash. */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value >= 100 ? whole.format(value) : oneDecimal.format(value)} ms`;
}

/** "2.5 %" of `part` in `whole`; a dash when there is nothing to divide by. */
export function formatShare(part: number, of: number): string {
  if (of <= 0) return '—';
  return `${oneDecimal.format((part / of) * 100)} %`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a `datetime-local` input's value in the reader's time zone ("" for none). */
export function toLocalInput(iso: string | null): string {
  if (iso === null) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}` +
    `T${pad(at.getHours())}:${pad(at.getMinutes())}`
  );
}

/** A `datetime-local` value (local time) as an ISO instant; null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (value.trim() === '') return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** An ISO instant from the address bar, or null when it is not one. */
export function parseInstant(value: string | null): string | null {
  if (value === null || value === '') return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}
