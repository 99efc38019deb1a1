import { describe, expect, it } from 'vitest';

import { checkNewUser, newUserInput, parseUserFilters, withUserFilter } from './users';

describe('user filters', () => {
  it('reads search, role and status, dropping anything else', () => {
    expect(
      parseUserFilters(new URLSearchParams('search=%20ada%20&role=ADMIN&disabled=true')),
    ).toEqual({
      search: 'ada',
      role: 'ADMIN',
      disabled: true,
    });
    expect(parseUserFilters(new URLSearchParams('role=ROOT&disabled=maybe'))).toEqual({
      search: null,
      role: null,
      disabled: null,
    });
    expect(parseUserFilters(new URLSearchParams('disabled=false')).disabled).toBe(false);
  });

  it('sets and clears one filter', () => {
    const params = withUserFilter(new URLSearchParams('role=USER'), 'search', 'bob');
    expect(params.toString()).toBe('role=USER&search=bob');
    expect(withUserFilter(params, 'role', '').toString()).toBe('search=bob');
  });
});

describe('new user', () => {
  it('checks the email and password', () => {
    expect(checkNewUser({ email: '', password: '', name: '', role: 'USER' })).toEqual({
      email: 'Give an email address.',
      password: 'Give a password.',
    });
    expect(checkNewUser({ email: 'ada', password: 'x', name: '', role: 'USER' })).toEqual({
      email: 'This is not an email address.',
    });
    expect(checkNewUser({ email: 'ada@x.test', password: 'x', name: '', role: 'USER' })).toEqual(
      {},
    );
  });

  it('trims the input and leaves out an empty name', () => {
    expect(
      newUserInput({ email: ' ada@x.test ', password: ' p ', name: ' ', role: 'ADMIN' }),
    ).toEqual({
      email: 'ada@x.test',
      password: ' p ',
      role: 'ADMIN',
    });
  });
});
