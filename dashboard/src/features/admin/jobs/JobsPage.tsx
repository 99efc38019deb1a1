import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { EmptyState, LoadingState } from '@lossy/common/ui';

import { FilterSelect } from '@/components/FilterSelect';
import { LoadMore } from '@/components/LoadMore';
import type { AdminJobsQuery, AdminJobsQueryVariables } from '@/gql/graphql';
import { usePagedQuery } from '@/hooks/usePagedQuery';
import { exactTime } from '@/lib/time';

import { AdminError } from '../shared/AdminError';
import { ConfirmAction } from '../shared/ConfirmAction';
import { errorText, formatCount } from '../shared/format';
import { JobCountsDocument, JobsDocument, RetryJobDocument } from './api';
import {
  JOB_KINDS,
  JOB_STATES,
  jobKindName,
  jobStateName,
  parseJobFilters,
  withJobFilter,
  type JobFilters,
} from './jobs';
import './jobs.css';

const PAGE_SIZE = 50;
const jobsOf = (data: AdminJobsQuery) => data.jobs;
type Job = AdminJobsQuery['jobs']['nodes'][number];

/** `/admin/jobs`: the durable queue, its counts, and dead jobs to retry. */
export function JobsPage() {
  const [params, setParams] = useSearchParams();
  const filters = parseJobFilters(params);
  const setFilter = (name: keyof JobFilters, value: string) => {
    setParams((current) => withJobFilter(current, name, value), { replace: true });
  };
  const countVariables = useMemo(() => ({ kind: filters.kind }), [filters.kind]);
  const [counts, reexecuteCounts] = useQuery({
    query: JobCountsDocument,
    variables: countVariables,
  });
  const refreshCounts = useCallback(() => {
    reexecuteCounts({ requestPolicy: 'network-only' });
  }, [reexecuteCounts]);

  return (
    <section aria-labelledby="jobs-heading">
      <h2 id="jobs-heading">Jobs</h2>
      <p className="hint">
        Note refinements and integration posts. A dead job ran out of tries; Retry runs it again
        from zero.
      </p>
      <section className="admin-page-section" aria-labelledby="jobs-counts-heading">
        <h3 id="jobs-counts-heading">
          Counts{filters.kind ? ` (${jobKindName(filters.kind)})` : ''}
        </h3>
        {counts.data ? (
          <table className="admin-table jobs-counts">
            <caption className="visually-hidden">Jobs by state</caption>
            <thead>
              <tr>
                {JOB_STATES.map(([state, name]) => (
                  <th scope="col" key={state}>
                    {name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <td className="numeric">{formatCount(counts.data.jobCounts.pending)}</td>
                <td className="numeric">{formatCount(counts.data.jobCounts.running)}</td>
                <td className="numeric">{formatCount(counts.data.jobCounts.done)}</td>
                <td className="numeric">{formatCount(counts.data.jobCounts.dead)}</td>
              </tr>
            </tbody>
          </table>
        ) : counts.error ? (
          <AdminError what="the job counts" error={counts.error} onRetry={refreshCounts} />
        ) : (
          <LoadingState label="Loading the job counts" />
        )}
      </section>
      <form
        className="admin-filters"
        aria-label="Filter the jobs"
        onSubmit={(e) => e.preventDefault()}
      >
        <FilterSelect
          label="State"
          all="All states"
          value={filters.state}
          choices={JOB_STATES}
          onChange={(value) => {
            setFilter('state', value);
          }}
        />
        <FilterSelect
          label="Kind"
          all="All kinds"
          value={filters.kind}
          choices={JOB_KINDS}
          onChange={(value) => {
            setFilter('kind', value);
          }}
        />
      </form>
      <JobsTable filters={filters} onRetried={refreshCounts} />
    </section>
  );
}

function JobsTable({ filters, onRetried }: { filters: JobFilters; onRetried: () => void }) {
  const variables = useMemo<AdminJobsQueryVariables>(
    () => ({ first: PAGE_SIZE, state: filters.state, kind: filters.kind }),
    [filters.state, filters.kind],
  );
  const jobs = usePagedQuery({ query: JobsDocument, variables, connection: jobsOf });
  const [updates, setUpdates] = useState<ReadonlyMap<string, Job>>(new Map());
  const [, retryJob] = useMutation(RetryJobDocument);

  if (jobs.loading) return <LoadingState label="Loading jobs" />;
  if (jobs.error) return <AdminError what="the jobs" error={jobs.error} onRetry={jobs.retry} />;
  if (jobs.nodes.length === 0) {
    return (
      <EmptyState title="No jobs">
        <p>
          {filters.state || filters.kind ? 'No job matches these filters.' : 'No job has run yet.'}
        </p>
      </EmptyState>
    );
  }
  const rows = jobs.nodes.map((job) => updates.get(job.id) ?? job);
  return (
    <>
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="table-scroll" role="region" aria-label="Jobs" tabIndex={0}>
        <table className="admin-table">
          <caption>Jobs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">State</th>
              <th scope="col">Tries</th>
              <th scope="col">Note</th>
              <th scope="col">Run at</th>
              <th scope="col">Done at</th>
              <th scope="col">Last result</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((job) => (
              <tr key={job.id}>
                <td>{jobKindName(job.kind)}</td>
                <td className={job.state === 'DEAD' ? 'jobs-dead' : undefined}>
                  {jobStateName(job.state)}
                </td>
                <td className="numeric">
                  {job.attempts} of {job.maxAttempts}
                </td>
                <td>{job.noteId ? <code>{job.noteId}</code> : '—'}</td>
                <td>{job.runAt ? exactTime(job.runAt) : '—'}</td>
                <td>{job.doneAt ? exactTime(job.doneAt) : '—'}</td>
                <td className="wrap">{job.lastResult ?? '—'}</td>
                <td>
                  {job.state === 'DEAD' ? (
                    <ConfirmAction
                      label={
                        <>
                          Retry{' '}
                          <span className="visually-hidden">
                            {jobKindName(job.kind)} job {job.id}
                          </span>
                        </>
                      }
                      question={`Run this ${jobKindName(job.kind).toLowerCase()} job again?`}
                      confirmLabel="Yes, retry"
                      workingLabel="Retrying…"
                      onConfirm={async () => {
                        const answer = await retryJob({ id: job.id });
                        if (answer.data) {
                          const retried = answer.data.retryJob;
                          setUpdates((current) => new Map(current).set(retried.id, retried));
                          onRetried();
                          return null;
                        }
                        return `The job was not retried: ${
                          answer.error ? errorText(answer.error) : 'no answer'
                        }`;
                      }}
                    />
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore
        what="jobs"
        hasNextPage={jobs.hasNextPage}
        loadingMore={jobs.loadingMore}
        error={jobs.moreError}
        onLoadMore={jobs.loadMore}
      />
    </>
  );
}
