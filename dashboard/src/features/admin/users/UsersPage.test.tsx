import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { fakeServer, renderPage, type Handler } from '../shared/testClient';
import { UsersPage } from './UsersPage';

const ada = {
  id: 'u-1',
  email: 'ada@x.test',
  name: 'Ada',
  role: 'ADMIN',
  createdAt: '2026-12-01T10:00:00Z',
  disabled: false,
  disabledAt: null,
};
const bob = { ...ada, id: 'u-2', email: 'bob@x.test', name: 'Bob', role: 'USER' };

function setup(handlers: Record<string, Handler> = {}, path = '/admin/users') {
  const server = fakeServer({
    AdminUsers: {
      data: { users: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [ada, bob] } },
    },
    ...handlers,
  });
  renderPage(server, <UsersPage />, path);
  return server;
}

describe('UsersPage', () => {
  it('sends the filters from the address', () => {
    const server = setup({}, '/admin/users?search=ad&role=ADMIN&disabled=false');
    expect(server.calls('AdminUsers')[0]).toEqual({
      first: 50,
      search: 'ad',
      role: 'ADMIN',
      disabled: false,
    });
    expect(screen.getByRole('rowheader', { name: 'ada@x.test' })).toBeInTheDocument();
  });

  it('shows the CONFLICT message when the last admin would be demoted', async () => {
    const user = userEvent.setup();
    const server = setup({
      AdminSetUserRole: {
        error: { message: 'the last enabled admin cannot be demoted', code: 'CONFLICT' },
      },
    });
    await user.selectOptions(screen.getByLabelText('Role of ada@x.test'), 'USER');
    expect(server.calls('AdminSetUserRole')).toEqual([{ id: 'u-1', role: 'USER' }]);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'the last enabled admin cannot be demoted (CONFLICT)',
    );
    expect(screen.getByLabelText('Role of ada@x.test')).toHaveValue('ADMIN');
  });

  it('disables a user only after confirmation', async () => {
    const user = userEvent.setup();
    const server = setup({
      AdminSetUserDisabled: {
        data: { setUserDisabled: { ...bob, disabled: true, disabledAt: '2026-12-01T11:00:00Z' } },
      },
    });
    await user.click(screen.getByRole('button', { name: 'Disable bob@x.test' }));
    expect(server.calls('AdminSetUserDisabled')).toEqual([]);
    const question = screen.getByRole('group', { name: /Disable bob@x.test\?/ });
    expect(within(question).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(question).getByRole('button', { name: 'Yes, disable' }));
    expect(server.calls('AdminSetUserDisabled')).toEqual([{ id: 'u-2', disabled: true }]);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Enable bob@x.test' })).toBeInTheDocument(),
    );
  });

  it("lists a user's devices and revokes one", async () => {
    const user = userEvent.setup();
    const device = {
      id: 'd-1',
      name: 'Chrome on Linux',
      createdAt: '2026-12-01T10:00:00Z',
      lastSeenAt: '2026-12-01T10:00:00Z',
      revokedAt: null,
      revokeReason: null,
    };
    const server = setup({
      AdminUserDevices: { data: { userDevices: [device] } },
      AdminRevokeDevice: {
        data: { revokeDevice: { ...device, revokedAt: '2026-12-01T11:00:00Z' } },
      },
    });
    await user.click(screen.getByRole('button', { name: 'Devices of bob@x.test' }));
    expect(server.calls('AdminUserDevices')).toEqual([{ userId: 'u-2' }]);
    const devices = screen.getByRole('table', { name: 'Devices of bob@x.test' });
    await user.click(within(devices).getByRole('button', { name: 'Revoke Chrome on Linux' }));
    await user.click(within(devices).getByRole('button', { name: 'Yes, revoke' }));
    expect(server.calls('AdminRevokeDevice')).toEqual([{ id: 'd-1' }]);
  });

  it('checks a new user before sending it, then creates it', async () => {
    const user = userEvent.setup();
    const server = setup({
      AdminCreateUser: { data: { createUser: { ...bob, id: 'u-3', email: 'cy@x.test' } } },
    });
    await user.click(screen.getByText('Create a user'));
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    expect(screen.getByText('Give an email address.')).toBeInTheDocument();
    expect(server.calls('AdminCreateUser')).toEqual([]);
    await user.type(screen.getByLabelText('Email'), 'cy@x.test');
    await user.type(screen.getByLabelText('Password'), 'secret-pass');
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    expect(server.calls('AdminCreateUser')).toEqual([
      { input: { email: 'cy@x.test', password: 'secret-pass', role: 'USER' } },
    ]);
    expect(await screen.findByText('cy@x.test was created (User).')).toBeInTheDocument();
  });
});
