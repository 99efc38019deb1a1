import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { EmptyState, LoadingState } from '@lossy/common/ui';

import { RelativeTime } from '@/components/RelativeTime';
import type { AdminLiveSessionsFieldsFragment } from '@/gql/graphql';
import { exactTime } from '@/lib/time';

import { AdminError } from '../shared/AdminError';
import { errorText, formatCount, formatDuration, formatMs, formatShare } from '../shared/format';
import {
  LastHourDocument,
  LiveSessionsChangedDocument,
  LiveSessionsDocument,
  ServerHealthDocument,
} from './api';
import { errorRate, lastHour, newest, stateName } from './health';
import './health.css';

const LIVE_ROWS = 50;
const HEALTH_REFRESH_MS = 10_000;
const LAST_HOUR_REFRESH_MS = 60_000;

/** `/admin`: is the service healthy right now? */
export function HealthPage() {
  return (
    <section aria-labelledby="health-heading">
      <h2 id="health-heading">Health</h2>
      <p className="hint">
        The server now, the voice sessions live now (updated as they change), and the last
        hour&apos;s note delivery.
      </p>
      <div className="health-grid">
        <ServerPanel />
        <LastHourPanel />
      </div>
      <LivePanel />
    </section>
  );
}

/** Polls `fn` every `ms` while mounted. */
function useEvery(ms: number, fn: () => void) {
  useEffect(() => {
    const timer = setInterval(fn, ms);
    return () => {
      clearInterval(timer);
    };
  }, [ms, fn]);
}

function ServerPanel() {
  const [result, reexecute] = useQuery({ query: ServerHealthDocument });
  const refresh = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);
  useEvery(HEALTH_REFRESH_MS, refresh);

  let body;
  if (result.data) {
    const health = result.data.serverHealth;
    const db = health.database;
    body = (
      <dl className="health-facts">
        <dt>Version</dt>
        <dd>{health.version}</dd>
        <dt>Node</dt>
        <dd>{health.node}</dd>
        <dt>Uptime</dt>
        <dd>
          {formatDuration(health.uptimeSeconds)}{' '}
          <span className="hint">(since {exactTime(health.startedAt)})</span>
        </dd>
        <dt>Database</dt>
        <dd>
          {db.backend},{' '}
          <span className={db.ok ? 'health-ok' : 'health-bad'}>{db.ok ? 'OK' : 'failing'}</span>
          {db.latencyMs !== null && <>, round trip {formatMs(db.latencyMs)}</>}
          {db.error && <span className="health-bad">: {db.error}</span>}
        </dd>
        <dt>Job queue</dt>
        <dd>
          {formatCount(health.jobs.pending)} pending, {formatCount(health.jobs.running)} running,{' '}
          <span className={health.jobs.dead > 0 ? 'health-bad' : undefined}>
            {formatCount(health.jobs.dead)} dead
          </span>
        </dd>
        <dt>Open sockets</dt>
        <dd>{formatCount(health.openSockets)}</dd>
        <dt>Live sessions</dt>
        <dd>{formatCount(health.liveSessions)}</dd>
      </dl>
    );
  } else if (result.error) {
    body = <AdminError what="the server's health" error={result.error} onRetry={refresh} />;
  } else {
    body = <LoadingState label="Loading the server's health" />;
  }
  return (
    <section className="card health-panel" aria-labelledby="health-server-heading">
      <h3 id="health-server-heading">Server</h3>
      {body}
      <p className="hint">Refreshed every 10 seconds.</p>
    </section>
  );
}

function LastHourPanel() {
  const [now, setNow] = useState(() => Date.now());
  const tick = useCallback(() => {
    setNow(Date.now());
  }, []);
  useEvery(LAST_HOUR_REFRESH_MS, tick);
  const hour = lastHour(now);
  const variables = useMemo(() => ({ from: hour.from, to: hour.to }), [hour.from, hour.to]);
  const [result, reexecute] = useQuery({ query: LastHourDocument, variables });
  const retry = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);

  let body;
  if (result.data) {
    const total = result.data.analytics.total;
    const delivery = total.noteDelivery;
    const rate = errorRate(total);
    body = (
      <dl className="health-facts">
        <dt>Note delivery p50</dt>
        <dd>{formatMs(delivery.p50Ms)}</dd>
        <dt>p95</dt>
        <dd>{formatMs(delivery.p95Ms)}</dd>
        <dt>p99</dt>
        <dd>{formatMs(delivery.p99Ms)}</dd>
        <dt>Notes delivered</dt>
        <dd>{formatCount(delivery.count)}</dd>
        <dt>Error rate</dt>
        <dd>
          {rate === null ? '—' : formatShare(total.errors, total.voiceEvents)}{' '}
          <span className="hint">
            ({formatCount(total.errors)} errors in {formatCount(total.voiceEvents)} voice events)
          </span>
        </dd>
        <dt>Resets / disconnects</dt>
        <dd>
          {formatCount(total.resets)} / {formatCount(total.disconnects)}
        </dd>
      </dl>
    );
  } else if (result.error) {
    body = <AdminError what="the last hour's figures" error={result.error} onRetry={retry} />;
  } else {
    body = <LoadingState label="Loading the last hour" />;
  }
  return (
    <section className="card health-panel" aria-labelledby="health-hour-heading">
      <h3 id="health-hour-heading">Last hour</h3>
      {body}
    </section>
  );
}

type Live = AdminLiveSessionsFieldsFragment;

function LivePanel() {
  const variables = useMemo(() => ({ first: LIVE_ROWS }), []);
  const [queried, reexecute] = useQuery({ query: LiveSessionsDocument, variables });
  const [pushed] = useSubscription({ query: LiveSessionsChangedDocument, variables });
  const retry = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);
  const live = newest<Live>(queried.data?.liveSessions, pushed.data?.liveSessionsChanged);

  let body;
  if (live) {
    body = <LiveSessions live={live} />;
  } else if (queried.error) {
    body = <AdminError what="the live sessions" error={queried.error} onRetry={retry} />;
  } else {
    body = <LoadingState label="Loading the live sessions" />;
  }
  return (
    <section className="health-live" aria-labelledby="health-live-heading">
      <h3 id="health-live-heading">Live voice sessions</h3>
      {pushed.error && live && (
        <p className="notice notice-error" role="alert">
          Live updates stopped: {errorText(pushed.error)}. The figures below may be old.
        </p>
      )}
      {body}
    </section>
  );
}

function LiveSessions({ live }: { live: Live }) {
  return (
    <>
      <p className="hint" role="status">
        {live.total === 1 ? '1 live session' : `${formatCount(live.total)} live sessions`} at{' '}
        {exactTime(live.at)}
      </p>
      <div className="table-scroll health-states">
        <table className="admin-table">
          <caption>Live sessions by state</caption>
          <thead>
            <tr>
              {live.byState.map((entry) => (
                <th scope="col" key={entry.state}>
                  {stateName(entry.state)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              {live.byState.map((entry) => (
                <td key={entry.state} className="numeric">
                  {formatCount(entry.count)}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      {live.sessions.length === 0 ? (
        <EmptyState title="No live sessions">
          <p>Nobody is in a voice session right now.</p>
        </EmptyState>
      ) : (
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        <div className="table-scroll" role="region" aria-label="Live sessions" tabIndex={0}>
          <table className="admin-table">
            <caption>
              Most recently active first
              {live.total > live.sessions.length
                ? ` (${live.sessions.length} of ${formatCount(live.total)})`
                : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Video</th>
                <th scope="col">State</th>
                <th scope="col">Last event</th>
                <th scope="col">Started</th>
                <th scope="col">Node</th>
              </tr>
            </thead>
            <tbody>
              {live.sessions.map((session) => (
                <tr key={session.id}>
                  <td className="wrap">{session.user.email}</td>
                  <td className="wrap">
                    {session.videoTitle ?? (session.videoId ? 'Untitled video' : '—')}
                  </td>
                  <td>{stateName(session.state)}</td>
                  <td>{session.lastEventAt ? <RelativeTime iso={session.lastEventAt} /> : '—'}</td>
                  <td>
                    <RelativeTime iso={session.startedAt} />
                  </td>
                  <td>
                    <code>{session.node}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
