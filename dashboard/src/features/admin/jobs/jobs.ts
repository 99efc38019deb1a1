// The jobs page's filters (kept in the address) and names.

import type { JobKind, JobState } from '@/gql/graphql';

import { choiceName, pickChoice, withParam, type Choices } from '@/lib/choices';
export const JOB_STATES: Choices<JobState> = [
  ['PENDING', 'Pending'],
  ['RUNNING', 'Running'],
  ['DONE', 'Done'],
  ['DEAD', 'Dead'],
];

export const JOB_KINDS: Choices<JobKind> = [
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
    state: pickChoice(JOB_STATES, state),
    kind: pickChoice(JOB_KINDS, kind),
  };
}

export function withJobFilter(
  params: URLSearchParams,
  name: keyof JobFilters,
  value: string,
): URLSearchParams {
  return withParam(params, name, value);
}

export function jobKindName(kind: JobKind): string {
  return choiceName(JOB_KINDS, kind);
}

export function jobStateName(state: JobState): string {
  return choiceName(JOB_STATES, state);
}
