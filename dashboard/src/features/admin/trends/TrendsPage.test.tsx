import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeServer, renderPage } from '../shared/testClient';
import { TrendsPage } from './TrendsPage';

// uPlot draws on a canvas, which jsdom has not: a stand-in records what the wrapper does.
const plots = vi.hoisted(() => ({
  made: [] as { data: unknown; destroyed: boolean; sizes: unknown[] }[],
}));
vi.mock('uplot', () => ({
  default: class {
    width = 300;
    record = { data: null as unknown, destroyed: false, sizes: [] as unknown[] };
    constructor() {
      plots.made.push(this.record);
    }
    setData(data: unknown) {
      this.record.data = data;
    }
    setSize(size: unknown) {
      this.record.sizes.push(size);
    }
    destroy() {
      this.record.destroyed = true;
    }
  },
}));
vi.mock('uplot/dist/uPlot.min.css', () => ({}));

const none = { count: 0, p50Ms: null, p95Ms: null, p99Ms: null };
const zero = {
  noteDelivery: none,
  voiceEvent: none,
  notesCreated: 0,
  notesSuppressed: 0,
  voiceEvents: 0,
  errors: 0,
  resets: 0,
  disconnects: 0,
  reconnects: 0,
  activeSessions: 0,
  activeUsers: 0,
  telemetryAccepted: 0,
  telemetryDuplicates: 0,
  telemetryDropped: 0,
};

function analytics(withNotes: boolean) {
  const busy = { ...zero, notesCreated: 7, notesSuppressed: 2 };
  return {
    data: {
      analytics: {
        from: '2026-12-01T09:00:00Z',
        to: '2026-12-01T10:00:00Z',
        bucket: 'MINUTE',
        points: [
          { at: '2026-12-01T09:00:00Z', ...(withNotes ? busy : zero) },
          { at: '2026-12-01T09:01:00Z', ...zero },
        ],
        total: { at: '2026-12-01T09:00:00Z', ...(withNotes ? busy : zero) },
      },
    },
  };
}

describe('TrendsPage', () => {
  it('asks for the chosen range and bucket, charts series with data, and says which have none', () => {
    plots.made.length = 0;
    const server = fakeServer({ AdminAnalytics: analytics(true) });
    const { unmount } = renderPage(
      server,
      <TrendsPage />,
      '/admin/trends?range=hour&bucket=MINUTE',
    );
    const call = server.calls('AdminAnalytics')[0] as { from: string; to: string; bucket: string };
    expect(call.bucket).toBe('MINUTE');
    expect(Date.parse(call.to) - Date.parse(call.from)).toBe(3_600_000);

    const notes = screen.getByRole('figure', { name: 'Notes created and suppressed' });
    expect(within(notes).getByText('Totals: created 7, suppressed 2.')).toBeInTheDocument();
    expect(within(notes).queryByText('No data in this range')).toBeNull();
    const delivery = screen.getByRole('figure', { name: /Note delivery latency/ });
    expect(within(delivery).getByText('No data in this range')).toBeInTheDocument();

    // One uPlot for the one chart with data, given x and two series; gone when unmounted.
    expect(plots.made).toHaveLength(1);
    expect(plots.made[0]?.data).toEqual([
      [1796115600, 1796115660],
      [7, 0],
      [2, 0],
    ]);
    unmount();
    expect(plots.made[0]?.destroyed).toBe(true);
  });

  it('offers only buckets the server allows and switches by the address', async () => {
    const user = userEvent.setup();
    const server = fakeServer({ AdminAnalytics: analytics(false) });
    renderPage(server, <TrendsPage />, '/admin/trends?range=month');
    expect(screen.getByRole('radio', { name: /Minute/ })).toBeDisabled();
    expect(screen.getByRole('radio', { name: /Day/ })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: /Hour/ }));
    expect(server.calls('AdminAnalytics').at(-1)).toMatchObject({ bucket: 'HOUR' });
  });

  it('shows the server refusing a range with its message and code', () => {
    const server = fakeServer({
      AdminAnalytics: {
        error: { message: 'at most 1500 points', code: 'BAD_USER_INPUT', field: 'bucket' },
      },
    });
    renderPage(server, <TrendsPage />, '/admin/trends');
    expect(screen.getByRole('alert')).toHaveTextContent('at most 1500 points (BAD_USER_INPUT)');
  });
});
