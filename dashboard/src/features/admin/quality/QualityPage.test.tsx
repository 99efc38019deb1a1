import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { fakeServer, renderPage } from '../shared/testClient';
import { QualityPage } from './QualityPage';

const threshold = (id: string, category: string) => ({
  id,
  userId: 'u-1',
  user: { id: 'u-1', email: 'ada@x.test' },
  platform: 'youtube',
  category,
  thresholdDelta: 0.05,
  enabled: true,
  reason: 'many_deletions',
  updatedAt: '2026-12-01T10:00:00Z',
});

describe('QualityPage', () => {
  it('lists decisions and thresholds, and resets a user on a platform after confirming', async () => {
    const user = userEvent.setup();
    let reset = false;
    const server = fakeServer({
      AdminQualitySummary: {
        data: {
          noteQualitySummary: [
            { decision: 'SUPPRESSED', reason: 'low_confidence', category: 'AUDIO', count: 4 },
            { decision: 'KEPT', reason: 'ok', category: 'PACING', count: 10 },
          ],
        },
      },
      AdminLearnedThresholds: () => ({
        data: {
          learnedThresholds: reset ? [] : [threshold('q-1', 'AUDIO'), threshold('q-2', 'PACING')],
        },
      }),
      AdminResetLearnedThresholds: () => {
        reset = true;
        return { data: { resetLearnedThresholds: 2 } };
      },
    });
    renderPage(server, <QualityPage />, '/admin/quality');
    expect(screen.getByText('10 kept, 4 suppressed.')).toBeInTheDocument();
    const decisions = screen.getByRole('table', { name: 'Decisions by reason and category' });
    expect(within(decisions).getAllByRole('row')[1]).toHaveTextContent('KeptokPacing10');

    await user.click(screen.getByRole('button', { name: 'Reset ada@x.test on YouTube' }));
    expect(server.calls('AdminResetLearnedThresholds')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Yes, reset' }));
    expect(server.calls('AdminResetLearnedThresholds')).toEqual([
      { userId: 'u-1', platform: 'youtube' },
    ]);
    await waitFor(() =>
      expect(screen.getByText('2 thresholds removed for ada@x.test on YouTube.')).toBeVisible(),
    );
    await waitFor(() =>
      expect(screen.getByRole('heading', { name: 'No learned thresholds' })).toBeInTheDocument(),
    );
  });

  it('sends the time range and refuses an inverted one', async () => {
    const user = userEvent.setup();
    const server = fakeServer({
      AdminQualitySummary: { data: { noteQualitySummary: [] } },
      AdminLearnedThresholds: { data: { learnedThresholds: [] } },
    });
    renderPage(server, <QualityPage />, '/admin/quality');
    expect(screen.getByRole('heading', { name: 'No decisions' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('From'), '2026-12-02T10:00');
    await user.type(screen.getByLabelText('To'), '2026-12-01T10:00');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(screen.getByRole('alert')).toHaveTextContent('The start must be before the end.');
    await user.clear(screen.getByLabelText('To'));
    await user.type(screen.getByLabelText('To'), '2026-12-03T10:00');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(server.calls('AdminQualitySummary').at(-1)).toEqual({
      from: new Date(2026, 11, 2, 10, 0).toISOString(),
      to: new Date(2026, 11, 3, 10, 0).toISOString(),
      userId: null,
    });
  });
});
