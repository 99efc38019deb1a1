// The quality page's shaping: decisions ordered for reading, thresholds grouped by the user
// and platform a reset applies to.

import type { QualityDecision } from '@/gql/graphql';

export interface DecisionCount {
  decision: QualityDecision;
  reason: string;
  category: string;
  count: number;
}

/** Kept before suppressed; within each, the largest counts first, then by reason. */
export function orderDecisions<T extends DecisionCount>(rows: readonly T[]): T[] {
  const rank = (d: QualityDecision) => (d === 'KEPT' ? 0 : 1);
  return [...rows].sort(
    (a, b) =>
      rank(a.decision) - rank(b.decision) ||
      b.count - a.count ||
      a.reason.localeCompare(b.reason) ||
      a.category.localeCompare(b.category),
  );
}

export function decisionTotals(rows: readonly DecisionCount[]): {
  kept: number;
  suppressed: number;
} {
  let kept = 0;
  let suppressed = 0;
  for (const row of rows) {
    if (row.decision === 'KEPT') kept += row.count;
    else suppressed += row.count;
  }
  return { kept, suppressed };
}

export interface ThresholdRow {
  id: string;
  userId: string;
  platform: string;
  user: { email: string };
}

export interface ThresholdGroup<T extends ThresholdRow> {
  key: string;
  userId: string;
  email: string;
  platform: string;
  rows: T[];
}

/** Rows of one user on one platform together (what one Reset removes), in the order the
 * server gave their first rows (newest first). */
export function groupThresholds<T extends ThresholdRow>(rows: readonly T[]): ThresholdGroup<T>[] {
  const groups = new Map<string, ThresholdGroup<T>>();
  for (const row of rows) {
    const key = `${row.userId}\u0000${row.platform}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, userId: row.userId, email: row.user.email, platform: row.platform, rows: [] };
      groups.set(key, group);
    }
    group.rows.push(row);
  }
  return [...groups.values()];
}

const signed = new Intl.NumberFormat(undefined, {
  signDisplay: 'exceptZero',
  maximumFractionDigits: 3,
});

/** "+0.05", "−0.1": the change to the user's minimum confidence. */
export function formatDelta(delta: number): string {
  return signed.format(delta);
}

/** "low confidence" for `low_confidence`. */
export function reasonText(reason: string): string {
  return reason.replaceAll('_', ' ');
}
