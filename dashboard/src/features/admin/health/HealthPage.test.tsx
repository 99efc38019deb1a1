import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { fakeServer, renderPage, type Handler } from '../shared/testClient';
import { HealthPage } from './HealthPage';

const STATES = [
  'IDLE',
  'OBSERVING',
  'RECORDING',
  'COOLDOWN',
  'ERROR',
  'DISCONNECTED',
  'RECONNECTING',
];

function live(at: string, sessions: { email: string; state: string }[]) {
  return {
    at,
    total: sessions.length,
    byState: STATES.map((state) => ({
      state,
      count: sessions.filter((s) => s.state === state).length,
    })),
    sessions: sessions.map((s, index) => ({
      id: `s-${index}`,
      user: { id: `u-${index}`, email: s.email },
      videoId: 'v-1',
      videoTitle: 'Cut 3',
      state: s.state,
      startedAt: at,
      lastEventAt: at,
      node: 'node-a',
    })),
  };
}

const health = {
  data: {
    serverHealth: {
      version: '0.9.1',
      node: 'node-a',
      startedAt: '2026-12-01T08:00:00Z',
      uptimeSeconds: 7500,
      database: { backend: 'postgres', ok: true, latencyMs: 1.2, error: null },
      jobs: { pending: 3, running: 1, done: 40, dead: 2 },
      openSockets: 5,
      liveSessions: 1,
    },
  },
};

const lastHour = {
  data: {
    analytics: {
      from: '2026-12-01T09:00:00Z',
      to: '2026-12-01T10:00:00Z',
      total: {
        noteDelivery: { count: 12, p50Ms: 110, p95Ms: 480, p99Ms: 900 },
        voiceEvents: 200,
        errors: 5,
        resets: 1,
        disconnects: 2,
        notesCreated: 12,
      },
    },
  },
};

function setup(overrides: Record<string, Handler> = {}) {
  const server = fakeServer({
    AdminServerHealth: health,
    AdminLastHour: lastHour,
    AdminLiveSessions: {
      data: {
        liveSessions: live('2026-12-01T10:00:00Z', [{ email: 'ada@x.test', state: 'RECORDING' }]),
      },
    },
    ...overrides,
  });
  renderPage(server, <HealthPage />);
  return server;
}

describe('HealthPage', () => {
  it('shows the server, the last hour and the live sessions', () => {
    const server = setup();
    expect(screen.getByText('0.9.1')).toBeInTheDocument();
    expect(screen.getByText('2 h 5 min')).toBeInTheDocument();
    expect(screen.getByText('480 ms')).toBeInTheDocument();
    // 5 errors in 200 voice events.
    expect(screen.getByText('2.5 %')).toBeInTheDocument();
    const byState = screen.getByRole('table', { name: 'Live sessions by state' });
    expect(within(byState).getByRole('columnheader', { name: 'Recording' })).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'ada@x.test' })).toBeInTheDocument();
    expect(server.calls('AdminLastHour')[0]).toEqual({
      from: expect.any(String) as string,
      to: expect.any(String) as string,
    });
    expect(server.calls('AdminLiveSessionsChanged')).toEqual([{ first: 50 }]);
  });

  it('follows the subscription when it has newer news', () => {
    const server = setup();
    act(() => {
      server.push('AdminLiveSessionsChanged', {
        liveSessionsChanged: live('2026-12-01T10:00:05Z', [
          { email: 'ada@x.test', state: 'COOLDOWN' },
          { email: 'bob@x.test', state: 'OBSERVING' },
        ]),
      });
    });
    expect(screen.getByRole('cell', { name: 'bob@x.test' })).toBeInTheDocument();
    expect(screen.getByText(/2 live sessions/)).toBeInTheDocument();
  });

  it('says when nobody is live, and shows a refusal with its code', () => {
    setup({
      AdminLiveSessions: { data: { liveSessions: live('2026-12-01T10:00:00Z', []) } },
      AdminServerHealth: { error: { message: 'database unreachable', code: 'INTERNAL' } },
    });
    expect(screen.getByRole('heading', { name: 'No live sessions' })).toBeInTheDocument();
    expect(screen.getByText('database unreachable (INTERNAL)')).toBeInTheDocument();
  });
});
