// The flag editor's rules: the rollout as typed, what a save would send, and a user's answer
// in words. Pure.

import type { FlagAnswerReason } from '@/gql/graphql';

export type Rollout = { ok: true; value: number } | { ok: false; error: string };

/** A whole number from 0 to 100, as the server accepts it. */
export function parseRollout(text: string): Rollout {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'Give a rollout from 0 to 100.' };
  if (!/^-?\d+$/.test(trimmed)) return { ok: false, error: 'The rollout is a whole number.' };
  const value = Number(trimmed);
  if (value < 0 || value > 100) return { ok: false, error: 'The rollout is from 0 to 100.' };
  return { ok: true, value };
}

export interface FlagDraft {
  defaultEnabled: boolean;
  rolloutText: string;
}

export interface FlagState {
  name: string;
  defaultEnabled: boolean;
  rolloutPercent: number;
}

export function draftOf(flag: FlagState): FlagDraft {
  return { defaultEnabled: flag.defaultEnabled, rolloutText: String(flag.rolloutPercent) };
}

/** What `setFeatureFlag` would be sent: only the fields that changed; null when the draft is
 * invalid or changes nothing. */
export function changesOf(
  flag: FlagState,
  draft: FlagDraft,
): { name: string; defaultEnabled?: boolean; rolloutPercent?: number } | null {
  const rollout = parseRollout(draft.rolloutText);
  if (!rollout.ok) return null;
  const input: { name: string; defaultEnabled?: boolean; rolloutPercent?: number } = {
    name: flag.name,
  };
  if (draft.defaultEnabled !== flag.defaultEnabled) input.defaultEnabled = draft.defaultEnabled;
  if (rollout.value !== flag.rolloutPercent) input.rolloutPercent = rollout.value;
  return Object.keys(input).length > 1 ? input : null;
}

export const REASON_NAMES: Record<FlagAnswerReason, string> = {
  OVERRIDE: 'override',
  ROLLOUT: 'rollout',
  DEFAULT: 'default',
};

/** Why one user gets their answer: their override, their rollout bucket, or the default. */
export function explainAnswer(
  answer: { enabled: boolean; reason: FlagAnswerReason; bucket: number },
  rolloutPercent: number,
): string {
  const onOff = answer.enabled ? 'On' : 'Off';
  switch (answer.reason) {
    case 'OVERRIDE':
      return `${onOff}: the user's own override decides (their bucket, ${answer.bucket}, does not count).`;
    case 'ROLLOUT':
      return `${onOff}: rollout bucket ${answer.bucket} is below ${rolloutPercent} %, so the rollout turns it on.`;
    case 'DEFAULT':
      return `${onOff}: the default, since rollout bucket ${answer.bucket} is not below ${rolloutPercent} %.`;
  }
}

/** "3 of 120 users change: 2 turn on, 1 turns off." */
export function previewSummary(preview: {
  usersConsidered: number;
  changedCount: number;
  turningOn: number;
  turningOff: number;
}): string {
  if (preview.changedCount === 0) {
    return `No user's answer changes (${preview.usersConsidered} users considered).`;
  }
  const users = (n: number) => (n === 1 ? '1 user' : `${n} users`);
  return (
    `${preview.changedCount} of ${users(preview.usersConsidered)} change: ` +
    `${preview.turningOn} turn${preview.turningOn === 1 ? 's' : ''} on, ` +
    `${preview.turningOff} turn${preview.turningOff === 1 ? 's' : ''} off.`
  );
}
