import { render, screen, within } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { MemoryRouter } from 'react-router';
import { CombinedError, Provider, type Client } from 'urql';
import { fromValue, merge, never } from 'wonka';
import { describe, expect, it, vi } from 'vitest';

import { AuditLogPage } from './AuditLogPage';

function renderWith(answer: unknown, path = '/admin/audit') {
  // Like the real client's, the result stream stays open (a completed one would reset the
  // query's error in urql's state).
  const executeQuery = vi.fn(() => merge([fromValue(answer), never]));
  const client = { executeQuery } as unknown as Client;
  render(
    <MemoryRouter initialEntries={[path]}>
      <Provider value={client}>
        <AuditLogPage />
      </Provider>
    </MemoryRouter>,
  );
  return { executeQuery };
}

describe('AuditLogPage', () => {
  it('lists events in a table, with the filters from the address sent to the server', () => {
    const { executeQuery } = renderWith(
      {
        data: {
          authEvents: {
            pageInfo: { hasNextPage: false, endCursor: null },
            nodes: [
              {
                id: 'e-1',
                occurredAt: '2026-12-01T10:00:00Z',
                kind: 'ws_join',
                outcome: 'denied',
                reason: 'device_revoked',
                userId: null,
                deviceId: '0f8c1c9e-1111-2222-3333-444444444444',
                email: null,
                ip: '127.0.0.1',
              },
            ],
          },
        },
        stale: false,
        hasNext: false,
      },
      '/admin/audit?outcome=denied&kind=ws_join',
    );
    expect(executeQuery).toHaveBeenCalledWith(
      expect.objectContaining({
        variables: { first: 50, kind: 'ws_join', outcome: 'denied' },
      }),
      expect.anything(),
    );
    const row = screen.getAllByRole('row')[1] as HTMLElement;
    expect(
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual([
      expect.stringContaining('2026'),
      'Socket join',
      'denied',
      'device revoked',
      '—',
      '0f8c1c9e',
      '127.0.0.1',
    ]);
    expect(screen.getByLabelText('Outcome')).toHaveValue('denied');
  });

  it('says clearly when the server refuses a non-admin', () => {
    renderWith({
      error: new CombinedError({
        graphQLErrors: [new GraphQLError('admins only', { extensions: { code: 'FORBIDDEN' } })],
      }),
      stale: false,
      hasNext: false,
    });
    expect(screen.getByRole('alert')).toHaveTextContent('Admins only');
    expect(screen.queryByRole('table')).toBeNull();
  });
});
