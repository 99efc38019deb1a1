import { Fragment, useMemo, useState, type SyntheticEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { EmptyState, LoadingState } from '@lossy/common/ui';

import { FilterSelect } from '@/components/FilterSelect';
import { LoadMore } from '@/components/LoadMore';
import type { AdminTelemetryEventsQuery, AdminTelemetryEventsQueryVariables } from '@/gql/graphql';
import { usePagedQuery } from '@/hooks/usePagedQuery';
import { exactTime } from '@/lib/time';

import { AdminError } from '../shared/AdminError';
import { errorText, fromLocalInput, toLocalInput } from '../shared/format';
import { TelemetryEventsDocument, TelemetryNamesDocument } from './api';
import {
  isFiltering,
  LEVELS,
  parseTelemetryFilters,
  prettyJson,
  propertyCount,
  SOURCES,
  telemetryFilterParams,
  type TelemetryFilters,
} from './filters';
import './telemetry.css';

const PAGE_SIZE = 50;
const eventsOf = (data: AdminTelemetryEventsQuery) => data.telemetryEvents;

/** `/admin/telemetry`: stored client and server telemetry, filtered, newest first. */
export function TelemetryPage() {
  const [params, setParams] = useSearchParams();
  const filters = parseTelemetryFilters(params);
  const apply = (next: TelemetryFilters) => {
    setParams(telemetryFilterParams(next), { replace: true });
  };
  return (
    <section aria-labelledby="telemetry-heading">
      <h2 id="telemetry-heading">Telemetry explorer</h2>
      <p className="hint">
        Events from the extension, the web app and the server, newest first. Open a row to read its
        properties.
      </p>
      {/* A new address (back, forward, a shared link) starts the form afresh. */}
      <TelemetryFilterForm key={params.toString()} filters={filters} onApply={apply} />
      <TelemetryTable filters={filters} />
    </section>
  );
}

const EMPTY: TelemetryFilters = {
  name: null,
  level: null,
  userId: null,
  deviceId: null,
  sessionId: null,
  source: null,
  from: null,
  to: null,
};

function TelemetryFilterForm({
  filters,
  onApply,
}: {
  filters: TelemetryFilters;
  onApply: (filters: TelemetryFilters) => void;
}) {
  const [draft, setDraft] = useState(filters);
  const [names] = useQuery({ query: TelemetryNamesDocument });
  const set = (name: keyof TelemetryFilters, value: string | null) => {
    setDraft((current) => ({ ...current, [name]: value === '' ? null : value }));
  };
  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply(draft);
  };
  const nameChoices = (names.data?.telemetryNames ?? []).map((n) => [n, n] as const);
  // A name in the address that the list does not have (yet) stays choosable.
  if (draft.name && !nameChoices.some(([n]) => n === draft.name)) {
    nameChoices.unshift([draft.name, draft.name]);
  }

  return (
    <form className="admin-filters" aria-label="Filter the telemetry" onSubmit={submit}>
      <FilterSelect
        label="Name"
        all="All names"
        value={draft.name}
        choices={nameChoices}
        onChange={(value) => {
          set('name', value);
        }}
      />
      <FilterSelect
        label="Level"
        all="All levels"
        value={draft.level}
        choices={LEVELS}
        onChange={(value) => {
          set('level', value);
        }}
      />
      <FilterSelect
        label="Source"
        all="All sources"
        value={draft.source}
        choices={SOURCES}
        onChange={(value) => {
          set('source', value);
        }}
      />
      {(
        [
          ['userId', 'User id'],
          ['deviceId', 'Device id'],
          ['sessionId', 'Session id'],
        ] as const
      ).map(([name, label]) => (
        <label className="field" key={name}>
          <span>{label}</span>
          <input
            type="text"
            value={draft[name] ?? ''}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => {
              set(name, event.target.value.trim());
            }}
          />
        </label>
      ))}
      {(
        [
          ['from', 'From'],
          ['to', 'To'],
        ] as const
      ).map(([name, label]) => (
        <label className="field" key={name}>
          <span>{label}</span>
          <input
            type="datetime-local"
            value={toLocalInput(draft[name])}
            onChange={(event) => {
              set(name, fromLocalInput(event.target.value));
            }}
          />
        </label>
      ))}
      <div className="filter-actions">
        <button type="submit" className="button primary">
          Apply filters
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setDraft(EMPTY);
            onApply(EMPTY);
          }}
        >
          Clear
        </button>
      </div>
      {names.error && (
        <p className="field-error" role="alert">
          The event names could not be loaded: {errorText(names.error)}
        </p>
      )}
    </form>
  );
}

function TelemetryTable({ filters }: { filters: TelemetryFilters }) {
  const variables = useMemo<AdminTelemetryEventsQueryVariables>(
    () => ({
      first: PAGE_SIZE,
      name: filters.name,
      level: filters.level,
      userId: filters.userId,
      deviceId: filters.deviceId,
      sessionId: filters.sessionId,
      source: filters.source,
      from: filters.from,
      to: filters.to,
    }),
    [
      filters.name,
      filters.level,
      filters.userId,
      filters.deviceId,
      filters.sessionId,
      filters.source,
      filters.from,
      filters.to,
    ],
  );
  const events = usePagedQuery({
    query: TelemetryEventsDocument,
    variables,
    connection: eventsOf,
  });
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => {
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  };

  if (events.loading) return <LoadingState label="Loading telemetry" />;
  if (events.error) {
    return <AdminError what="the telemetry" error={events.error} onRetry={events.retry} />;
  }
  if (events.nodes.length === 0) {
    return (
      <EmptyState title="No events">
        <p>
          {isFiltering(filters)
            ? 'No event matches these filters.'
            : 'No telemetry has been stored yet.'}
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
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="table-scroll" role="region" aria-label="Telemetry events" tabIndex={0}>
        <table className="admin-table">
          <caption>Telemetry events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Properties</th>
              <th scope="col">Time</th>
              <th scope="col">Name</th>
              <th scope="col">Level</th>
              <th scope="col">Source</th>
              <th scope="col">User</th>
              <th scope="col">Device</th>
              <th scope="col">Session</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {events.nodes.map((event) => {
              const expanded = open.has(event.id);
              const detailsId = `telemetry-${event.id}`;
              const count = propertyCount(event.properties);
              return (
                <Fragment key={event.id}>
                  <tr>
                    <td>
                      <button
                        type="button"
                        className="button subtle"
                        aria-expanded={expanded}
                        aria-controls={detailsId}
                        onClick={() => {
                          toggle(event.id);
                        }}
                      >
                        {expanded ? 'Hide' : 'Show'}{' '}
                        {count === 1 ? '1 property' : `${count} properties`}{' '}
                        <span className="visually-hidden">of {event.name}</span>
                      </button>
                    </td>
                    <td>
                      <time dateTime={event.occurredAt}>{exactTime(event.occurredAt)}</time>
                    </td>
                    <td>
                      <code>{event.name}</code>
                    </td>
                    <td>
                      <span className={`telemetry-level level-${event.level}`}>{event.level}</span>
                    </td>
                    <td>{event.source}</td>
                    <td>{event.userId ? <code>{event.userId}</code> : '—'}</td>
                    <td>{event.deviceId ? <code>{event.deviceId}</code> : '—'}</td>
                    <td>{event.sessionId ? <code>{event.sessionId}</code> : '—'}</td>
                    <td>{event.clientVersion ?? '—'}</td>
                  </tr>
                  <tr id={detailsId} hidden={!expanded}>
                    <td colSpan={9}>
                      {expanded && (
                        <>
                          <pre className="json-properties">{prettyJson(event.properties)}</pre>
                          <p className="hint">
                            Event id <code>{event.eventId}</code> from{' '}
                            <code>{event.clientKey}</code>, received {exactTime(event.receivedAt)}.
                          </p>
                        </>
                      )}
                    </td>
                  </tr>
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <LoadMore
        what="events"
        hasNextPage={events.hasNextPage}
        loadingMore={events.loadingMore}
        error={events.moreError}
        onLoadMore={events.loadMore}
      />
    </>
  );
}
