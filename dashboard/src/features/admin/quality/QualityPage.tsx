import { Fragment, useCallback, useMemo, useState, type SyntheticEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { categoryLabel } from '@lossy/common/notes';
import { EmptyState, LoadingState } from '@lossy/common/ui';

import { FilterSelect } from '@/components/FilterSelect';
import { RelativeTime } from '@/components/RelativeTime';
import { platformName, PLATFORMS } from '@/lib/vocabulary';

import { AdminError } from '../shared/AdminError';
import { ConfirmAction } from '../shared/ConfirmAction';
import { errorText, formatCount, fromLocalInput } from '../shared/format';
import { UserPicker, type PickedUser } from '../shared/UserPicker';
import {
  LearnedThresholdsDocument,
  QualitySummaryDocument,
  ResetLearnedThresholdsDocument,
} from './api';
import './quality.css';
import {
  decisionTotals,
  formatDelta,
  groupThresholds,
  orderDecisions,
  reasonText,
} from './quality';

interface QualityFilters {
  from: string | null;
  to: string | null;
  user: PickedUser | null;
  platform: string | null;
}

const NO_FILTERS: QualityFilters = { from: null, to: null, user: null, platform: null };

/** `/admin/quality`: what the quality gate decided, and the thresholds it learned. */
export function QualityPage() {
  const [filters, setFilters] = useState<QualityFilters>(NO_FILTERS);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [user, setUser] = useState<PickedUser | null>(null);
  const [platform, setPlatform] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const apply = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const from = fromLocalInput(fromText);
    const to = fromLocalInput(toText);
    if (from && to && Date.parse(from) >= Date.parse(to)) {
      setProblem('The start must be before the end.');
      return;
    }
    setProblem(null);
    setFilters({ from, to, user, platform });
  };

  return (
    <section aria-labelledby="quality-heading">
      <h2 id="quality-heading">Quality</h2>
      <p className="hint">
        The quality gate keeps or suppresses each note, for a reason. It also learns per user and
        platform how much surer it must be; a reset forgets what it learned.
      </p>
      <form className="admin-filters" aria-label="Filter quality" onSubmit={apply}>
        <label className="field">
          <span>From</span>
          <input
            type="datetime-local"
            value={fromText}
            onChange={(event) => {
              setFromText(event.target.value);
            }}
          />
        </label>
        <label className="field">
          <span>To</span>
          <input
            type="datetime-local"
            value={toText}
            onChange={(event) => {
              setToText(event.target.value);
            }}
          />
        </label>
        <UserPicker label="User (optional)" onChange={setUser} />
        <FilterSelect
          label="Platform (thresholds)"
          all="All platforms"
          value={platform}
          choices={PLATFORMS}
          onChange={(value) => {
            setPlatform(value === '' ? null : value);
          }}
        />
        <div className="filter-actions">
          <button type="submit" className="button primary">
            Apply filters
          </button>
        </div>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
      </form>
      <DecisionSummary filters={filters} />
      <LearnedThresholds filters={filters} />
    </section>
  );
}

function DecisionSummary({ filters }: { filters: QualityFilters }) {
  const userId = filters.user?.id ?? null;
  const variables = useMemo(
    () => ({ from: filters.from, to: filters.to, userId }),
    [filters.from, filters.to, userId],
  );
  const [result, reexecute] = useQuery({ query: QualitySummaryDocument, variables });
  const retry = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);

  let body;
  if (result.data) {
    const rows = orderDecisions(result.data.noteQualitySummary);
    const totals = decisionTotals(rows);
    body =
      rows.length === 0 ? (
        <EmptyState title="No decisions">
          <p>The gate decided on no note {filters.user ? 'of this user ' : ''}in this range.</p>
        </EmptyState>
      ) : (
        <>
          <p className="hint" role="status">
            {formatCount(totals.kept)} kept, {formatCount(totals.suppressed)} suppressed
            {filters.user ? ` for ${filters.user.email}` : ''}.
          </p>
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
          <div className="table-scroll" role="region" aria-label="Decisions" tabIndex={0}>
            <table className="admin-table">
              <caption>Decisions by reason and category</caption>
              <thead>
                <tr>
                  <th scope="col">Decision</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Category</th>
                  <th scope="col" className="numeric">
                    Count
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.decision}-${row.reason}-${row.category}`}>
                    <td
                      className={row.decision === 'SUPPRESSED' ? 'quality-suppressed' : undefined}
                    >
                      {row.decision === 'KEPT' ? 'Kept' : 'Suppressed'}
                    </td>
                    <td>{reasonText(row.reason)}</td>
                    <td>{categoryLabel(row.category)}</td>
                    <td className="numeric">{formatCount(row.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      );
  } else if (result.error) {
    body = <AdminError what="the quality decisions" error={result.error} onRetry={retry} />;
  } else {
    body = <LoadingState label="Loading the quality decisions" />;
  }
  return (
    <section className="admin-page-section" aria-labelledby="quality-decisions-heading">
      <h3 id="quality-decisions-heading">Decisions</h3>
      {body}
    </section>
  );
}

function LearnedThresholds({ filters }: { filters: QualityFilters }) {
  const userId = filters.user?.id ?? null;
  const variables = useMemo(
    () => ({ userId, platform: filters.platform }),
    [userId, filters.platform],
  );
  const [result, reexecute] = useQuery({ query: LearnedThresholdsDocument, variables });
  const refresh = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);
  const [, resetThresholds] = useMutation(ResetLearnedThresholdsDocument);
  const [announcement, setAnnouncement] = useState('');

  let body;
  if (result.data) {
    const groups = groupThresholds(result.data.learnedThresholds);
    body =
      groups.length === 0 ? (
        <EmptyState title="No learned thresholds">
          <p>
            The gate has learned nothing{' '}
            {filters.user || filters.platform ? 'for these filters' : 'yet'}.
          </p>
        </EmptyState>
      ) : (
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        <div className="table-scroll" role="region" aria-label="Learned thresholds" tabIndex={0}>
          <table className="admin-table">
            <caption>Learned thresholds by user and platform, newest first</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Platform</th>
                <th scope="col">Category</th>
                <th scope="col" className="numeric">
                  Delta
                </th>
                <th scope="col">Enabled</th>
                <th scope="col">Reason</th>
                <th scope="col">Updated</th>
                <th scope="col">Reset</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <Fragment key={group.key}>
                  {group.rows.map((row, index) => (
                    <tr key={row.id}>
                      {index === 0 && (
                        <>
                          <th scope="rowgroup" rowSpan={group.rows.length} className="wrap">
                            {group.email}
                          </th>
                          <td rowSpan={group.rows.length}>{platformName(group.platform)}</td>
                        </>
                      )}
                      <td>{categoryLabel(row.category)}</td>
                      <td className="numeric">{formatDelta(row.thresholdDelta)}</td>
                      <td>{row.enabled ? 'Yes' : 'No'}</td>
                      <td className="wrap">{reasonText(row.reason)}</td>
                      <td>
                        <RelativeTime iso={row.updatedAt} />
                      </td>
                      {index === 0 && (
                        <td rowSpan={group.rows.length}>
                          <ConfirmAction
                            label={
                              <>
                                Reset{' '}
                                <span className="visually-hidden">
                                  {group.email} on {platformName(group.platform)}
                                </span>
                              </>
                            }
                            question={`Forget the thresholds learned for ${group.email} on ${platformName(group.platform)}?`}
                            confirmLabel="Yes, reset"
                            workingLabel="Resetting…"
                            danger
                            onConfirm={async () => {
                              const answer = await resetThresholds({
                                userId: group.userId,
                                platform: group.platform,
                              });
                              if (answer.data) {
                                const removed = answer.data.resetLearnedThresholds;
                                setAnnouncement(
                                  `${removed === 1 ? '1 threshold' : `${removed} thresholds`} removed for ${group.email} on ${platformName(group.platform)}.`,
                                );
                                refresh();
                                return null;
                              }
                              return `Nothing was reset: ${
                                answer.error ? errorText(answer.error) : 'no answer'
                              }`;
                            }}
                          />
                        </td>
                      )}
                    </tr>
                  ))}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      );
  } else if (result.error) {
    body = <AdminError what="the learned thresholds" error={result.error} onRetry={refresh} />;
  } else {
    body = <LoadingState label="Loading the learned thresholds" />;
  }
  return (
    <section className="admin-page-section" aria-labelledby="quality-thresholds-heading">
      <h3 id="quality-thresholds-heading">Learned thresholds</h3>
      <p className="notice admin-result" role="status" hidden={announcement === ''}>
        {announcement}
      </p>
      {body}
    </section>
  );
}
