import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@lossy/common/ui';

import { FilterSelect } from '@/components/FilterSelect';
import { LoadMore } from '@/components/LoadMore';
import type { AdminAuthEventsQuery, AdminAuthEventsQueryVariables } from '@/gql/graphql';
import { usePagedQuery } from '@/hooks/usePagedQuery';
import { hasCode, serverError } from '@/lib/graphql/errors';
import { exactTime } from '@/lib/time';

import { AuthEventsDocument } from './api';
import {
  kindName,
  KINDS,
  OUTCOMES,
  parseAuditFilters,
  reasonText,
  shortId,
  withAuditFilter,
  type AuditFilters,
} from './auditLog';

// Pages are appended ("Load more"), as in the library: the API's cursors only go forward, and
// an investigation reads down the log, comparing rows with the ones above.
const PAGE_SIZE = 50;

const eventsOf = (data: AdminAuthEventsQuery) => data.authEvents;

export function AuditLogPage() {
  const [params, setParams] = useSearchParams();
  const filters = parseAuditFilters(params);
  const setFilter = (name: keyof AuditFilters, value: string) => {
    setParams((current) => withAuditFilter(current, name, value), { replace: true });
  };
  return (
    <section aria-labelledby="audit-log-heading">
      <h2 id="audit-log-heading">Authentication audit log</h2>
      <p className="hint">
        Every sign-in, token, refresh and socket join, accepted or not, with its reason. Newest
        first.
      </p>
      <form
        className="admin-filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => e.preventDefault()}
      >
        <FilterSelect
          label="Kind"
          all="All kinds"
          value={filters.kind}
          choices={KINDS.map(([value, name]) => [value, `${name} (${value})`] as const)}
          onChange={(value) => setFilter('kind', value)}
        />
        <FilterSelect
          label="Outcome"
          all="All outcomes"
          value={filters.outcome}
          choices={OUTCOMES}
          onChange={(value) => setFilter('outcome', value)}
        />
      </form>
      <AuditLogTable filters={filters} />
    </section>
  );
}

function AuditLogTable({ filters }: { filters: AuditFilters }) {
  const variables = useMemo<AdminAuthEventsQueryVariables>(
    () => ({ first: PAGE_SIZE, kind: filters.kind, outcome: filters.outcome }),
    [filters.kind, filters.outcome],
  );
  const events = usePagedQuery({ query: AuthEventsDocument, variables, connection: eventsOf });

  // After "Load more", focus goes to the first new row so reading continues there.
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const focusFrom = useRef<number | null>(null);
  useEffect(() => {
    const from = focusFrom.current;
    if (from === null || events.nodes.length <= from) return;
    focusFrom.current = null;
    bodyRef.current?.querySelectorAll<HTMLTableRowElement>('tr')[from]?.focus();
  }, [events.nodes.length]);
  const loadMore = useCallback(() => {
    focusFrom.current = events.nodes.length;
    events.loadMore();
  }, [events]);

  if (events.loading) return <LoadingState label="Loading the audit log" />;
  if (events.error) {
    if (hasCode(events.error, 'FORBIDDEN')) {
      return (
        <ErrorState
          title="Admins only"
          message={`The server refused to show the audit log: ${serverError(events.error).message}. Your account may no longer be an admin; sign in again to check.`}
        />
      );
    }
    return (
      <ErrorState
        title="The audit log could not be loaded"
        message={serverError(events.error).message}
        onRetry={events.retry}
      />
    );
  }
  if (events.nodes.length === 0) {
    return (
      <EmptyState title="No events">
        <p>
          {filters.kind || filters.outcome
            ? 'No event matches these filters.'
            : 'Nothing has been recorded yet.'}
        </p>
      </EmptyState>
    );
  }

  return (
    <>
      <p className="hint" role="status">
        {events.nodes.length === 1 ? '1 event' : `${events.nodes.length} events`}
        {events.hasNextPage ? ' shown; more to load' : ''}
      </p>
      {/* Wide tables scroll sideways on a phone; the region can take focus to scroll by key
          (a labelled, focusable scroll region, as axe's scrollable-region-focusable asks). */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="table-scroll" role="region" aria-label="Audit log" tabIndex={0}>
        <table className="audit-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Kind</th>
              <th scope="col">Outcome</th>
              <th scope="col">Reason</th>
              <th scope="col">Email</th>
              <th scope="col">Device</th>
              <th scope="col">IP address</th>
            </tr>
          </thead>
          <tbody ref={bodyRef}>
            {events.nodes.map((event) => (
              <tr key={event.id} tabIndex={-1}>
                <td>
                  <time dateTime={event.occurredAt}>{exactTime(event.occurredAt)}</time>
                </td>
                <td>{kindName(event.kind)}</td>
                <td>
                  <span className={`outcome outcome-${event.outcome}`}>{event.outcome}</span>
                </td>
                <td>{reasonText(event.reason)}</td>
                <td className="audit-email">{event.email ?? '—'}</td>
                <td>
                  {event.deviceId ? (
                    <code title={event.deviceId}>{shortId(event.deviceId)}</code>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{event.ip ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore
        what="events"
        hasNextPage={events.hasNextPage}
        loadingMore={events.loadingMore}
        error={events.moreError}
        onLoadMore={loadMore}
      />
    </>
  );
}
