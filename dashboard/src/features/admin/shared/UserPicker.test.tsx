import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeServer, renderPage } from './testClient';
import { userByEmail, UserPicker } from './UserPicker';

const ada = { id: 'u-1', email: 'Ada@x.test', name: 'Ada' };

describe('UserPicker', () => {
  it('suggests matching users and picks one chosen from the list', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const server = fakeServer({ AdminFindUsers: { data: { users: { nodes: [ada] } } } });
    renderPage(server, <UserPicker label="User" onChange={onChange} />);
    await user.type(screen.getByLabelText('User'), 'ad');
    await user.click(await screen.findByRole('option', { name: /Ada@x.test/ }));
    expect(screen.getByLabelText('User')).toHaveValue('Ada@x.test');
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith({ id: 'u-1', email: 'Ada@x.test' }),
    );
    expect(server.calls('AdminFindUsers')[0]).toMatchObject({ first: 10 });
  });

  it('matches an exact email ignoring case and spaces', () => {
    expect(userByEmail([ada], ' ada@X.test ')).toBe(ada);
    expect(userByEmail([ada], 'ada@x')).toBeNull();
    expect(userByEmail([ada], '')).toBeNull();
  });
});
