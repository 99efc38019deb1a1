// The jobs page's filters (kept in the address) and names.

import type { JobKind, JobState } from '@/gql/graphql';

export const JOB_STATES: readonly (readonly [JobState, string])[] = [
  ['PENDING', 'Pending'],
  ['RUNNING', 'Running'],
  ['DONE', 'Done'],
  ['DEAD', 'Dead'],
];

export const JOB_KINDS: readonly (readonly [JobKind, string])[] = [
  ['REFINE_NOTE', 'Refine note'],
  ['POST_NOTE', 'Post note'],
];

export interface JobFilters {
  state: JobState | null;
  kind: JobKind | null;
}

export function parseJobFilters(params: URLSearchParams): JobFilters {
  const state = params.get('state');
  const kind = params.get('kind');
  return {
    state: JOB_STATES.find(([value]) => value === state)?.[0] ?? null,
    kind: JOB_KINDS.find(([value]) => value === kind)?.[0] ?? null,
  };
}

export function withJobFilter(
  params: URLSearchParams,
  name: keyof JobFilters,
  value: string,
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === '') next.delete(name);
  else next.set(name, value);
  return next;
}

export function jobKindName(kind: JobKind): string {
  return JOB_KINDS.find(([value]) => value === kind)?.[1] ?? kind;
}

export function jobStateName(state: JobState): string {
  return JOB_STATES.find(([value]) => value === state)?.[1] ?? state;
}
