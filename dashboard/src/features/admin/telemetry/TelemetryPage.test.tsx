import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { fakeServer, renderPage } from '../shared/testClient';
import { TelemetryPage } from './TelemetryPage';

const event = {
  id: 't-1',
  clientKey: 'dev-1',
  eventId: 'e-1',
  source: 'CLIENT',
  name: 'vad.model_loaded',
  level: 'WARN',
  userId: 'u-1',
  deviceId: 'dev-1',
  sessionId: null,
  occurredAt: '2026-12-01T10:00:00Z',
  receivedAt: '2026-12-01T10:00:01Z',
  properties: { ms: 412, model: 'silero' },
  clientVersion: '1.4.0',
};

describe('TelemetryPage', () => {
  it('sends the filters from the address and expands a row to its properties', async () => {
    const user = userEvent.setup();
    const server = fakeServer({
      AdminTelemetryNames: { data: { telemetryNames: ['vad.model_loaded', 'ws.closed'] } },
      AdminTelemetryEvents: {
        data: {
          telemetryEvents: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [event] },
        },
      },
    });
    renderPage(server, <TelemetryPage />, '/admin/telemetry?level=WARN&userId=u-1');
    expect(server.calls('AdminTelemetryEvents')[0]).toEqual({
      first: 50,
      name: null,
      level: 'WARN',
      userId: 'u-1',
      deviceId: null,
      sessionId: null,
      source: null,
      from: null,
      to: null,
    });
    expect(screen.getByLabelText('Level')).toHaveValue('WARN');
    const toggle = screen.getByRole('button', { name: /Show 2 properties/ });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText(/"model": "silero"/)).toBeInTheDocument();
  });

  it('applies new filters through the form', async () => {
    const user = userEvent.setup();
    const server = fakeServer({
      AdminTelemetryNames: { data: { telemetryNames: ['ws.closed'] } },
      AdminTelemetryEvents: {
        data: {
          telemetryEvents: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] },
        },
      },
    });
    renderPage(server, <TelemetryPage />, '/admin/telemetry');
    expect(screen.getByRole('heading', { name: 'No events' })).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Name'), 'ws.closed');
    await user.type(screen.getByLabelText('Session id'), 's-9');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(server.calls('AdminTelemetryEvents').at(-1)).toMatchObject({
      name: 'ws.closed',
      sessionId: 's-9',
    });
    expect(screen.getByText('No event matches these filters.')).toBeInTheDocument();
  });
});
