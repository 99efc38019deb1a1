import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { fakeServer, renderPage } from '../shared/testClient';
import { JobsPage } from './JobsPage';

const dead = {
  id: 'j-1',
  kind: 'POST_NOTE',
  state: 'DEAD',
  attempts: 5,
  maxAttempts: 5,
  noteId: 'n-1',
  runAt: '2026-12-01T10:00:00Z',
  doneAt: '2026-12-01T10:05:00Z',
  lastResult: 'HTTP 500',
};

describe('JobsPage', () => {
  it('shows counts, filters from the address, and retries a dead job after confirming', async () => {
    const user = userEvent.setup();
    const server = fakeServer({
      AdminJobCounts: { data: { jobCounts: { pending: 2, running: 0, done: 10, dead: 1 } } },
      AdminJobs: {
        data: { jobs: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [dead] } },
      },
      AdminRetryJob: { data: { retryJob: { ...dead, state: 'PENDING', attempts: 0 } } },
    });
    renderPage(server, <JobsPage />, '/admin/jobs?state=DEAD&kind=POST_NOTE');
    expect(server.calls('AdminJobs')[0]).toEqual({ first: 50, state: 'DEAD', kind: 'POST_NOTE' });
    expect(server.calls('AdminJobCounts')[0]).toEqual({ kind: 'POST_NOTE' });
    const counts = screen.getByRole('table', { name: 'Jobs by state' });
    expect(
      within(counts)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['2', '0', '10', '1']);

    await user.click(screen.getByRole('button', { name: /^Retry Post note job j-1/ }));
    await user.click(screen.getByRole('button', { name: 'Yes, retry' }));
    expect(server.calls('AdminRetryJob')).toEqual([{ id: 'j-1' }]);
    await waitFor(() => expect(screen.getByRole('cell', { name: 'Pending' })).toBeInTheDocument());
    // The counts are read again.
    expect(server.calls('AdminJobCounts').length).toBeGreaterThan(1);
  });

  it('shows a refusal with its code', () => {
    const server = fakeServer({
      AdminJobCounts: { error: { message: 'admins only', code: 'FORBIDDEN' } },
      AdminJobs: { error: { message: 'admins only', code: 'FORBIDDEN' } },
    });
    renderPage(server, <JobsPage />, '/admin/jobs');
    expect(screen.getAllByRole('alert')[0]).toHaveTextContent('admins only (FORBIDDEN)');
  });
});
