import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GraphQLError } from 'graphql';
import { CombinedError, Provider, type Client } from 'urql';
import { fromValue } from 'wonka';
import { describe, expect, it, vi } from 'vitest';

import type { DevicesPageQuery } from '@/gql/graphql';

import { DevicesPage } from './DevicesPage';

type Device = DevicesPageQuery['devices'][number];

const laptop: Device = {
  id: 'd-1',
  name: 'Chrome on laptop',
  createdAt: '2026-11-01T10:00:00Z',
  lastSeenAt: '2026-12-01T10:00:00Z',
  revokedAt: null,
  revokeReason: null,
  current: false,
};
const desktop: Device = { ...laptop, id: 'd-2', name: 'Chrome on desktop' };

function renderWith(devices: Device[], revokeAnswer: () => unknown) {
  const executeMutation = vi.fn(revokeAnswer);
  const client = {
    executeQuery: vi.fn(() => fromValue({ data: { devices }, stale: false, hasNext: false })),
    executeMutation,
    executeSubscription: vi.fn(),
  } as unknown as Client;
  render(
    <Provider value={client}>
      <DevicesPage />
    </Provider>,
  );
  return { executeMutation };
}

describe('DevicesPage', () => {
  it('asks before revoking, and Cancel revokes nothing', async () => {
    const { executeMutation } = renderWith([laptop, desktop], () => fromValue({}));
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Revoke Chrome on laptop' }));
    const question = screen.getByRole('group', { name: 'Revoke Chrome on laptop?' });
    // The safe choice has focus; Escape works like Cancel.
    expect(within(question).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('group')).toBeNull();
    expect(screen.getByRole('button', { name: 'Revoke Chrome on laptop' })).toHaveFocus();
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it('revokes the confirmed device and moves it to the revoked list', async () => {
    const revoked = {
      ...laptop,
      revokedAt: '2026-12-10T10:00:00Z',
      revokeReason: 'revoked_by_user',
    };
    const { executeMutation } = renderWith([laptop, desktop], () =>
      fromValue({ data: { revokeDevice: revoked }, stale: false, hasNext: false }),
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Revoke Chrome on laptop' }));
    await user.click(screen.getByRole('button', { name: 'Yes, revoke' }));

    expect(executeMutation).toHaveBeenCalledTimes(1);
    expect(executeMutation).toHaveBeenCalledWith(
      expect.objectContaining({ variables: { id: 'd-1' } }),
      expect.anything(),
    );
    const revokedList = await screen.findByRole('region', { name: 'Revoked devices' });
    expect(within(revokedList).getByText('Chrome on laptop')).toBeInTheDocument();
    expect(within(revokedList).getByText(/revoked from the web app/)).toBeInTheDocument();
    // Still live: the other device.
    expect(screen.getByRole('button', { name: 'Revoke Chrome on desktop' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Revoke Chrome on laptop' })).toBeNull();
  });

  it('shows the server’s error and lets the user try again', async () => {
    renderWith([laptop], () =>
      fromValue({
        error: new CombinedError({
          graphQLErrors: [
            new GraphQLError('device not found', { extensions: { code: 'NOT_FOUND' } }),
          ],
        }),
        stale: false,
        hasNext: false,
      }),
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Revoke Chrome on laptop' }));
    await user.click(screen.getByRole('button', { name: 'Yes, revoke' }));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Chrome on laptop was not revoked: device not found',
      ),
    );
    expect(screen.getByRole('button', { name: 'Revoke Chrome on laptop' })).toHaveFocus();
  });

  it('explains where devices come from when there are none', () => {
    renderWith([], () => fromValue({}));
    expect(screen.getByRole('heading', { name: 'No devices yet' })).toBeInTheDocument();
    expect(screen.getByText(/after you connect the Lossy extension/)).toBeInTheDocument();
  });
});
