// The users page's filters (kept in the address) and the new-user form's checks.

import type { Role } from '@/gql/graphql';

import { choiceName, pickChoice, withParam, type Choices } from '@/lib/choices';
export const ROLES: Choices<Role> = [
  ['USER', 'User'],
  ['ADMIN', 'Admin'],
];

export const STATUSES = [
  ['false', 'Enabled'],
  ['true', 'Disabled'],
] as const;

export interface UserFilters {
  search: string | null;
  role: Role | null;
  disabled: boolean | null;
}

export function parseUserFilters(params: URLSearchParams): UserFilters {
  const search = params.get('search')?.trim() ?? '';
  const role = params.get('role');
  const disabled = params.get('disabled');
  return {
    search: search === '' ? null : search,
    role: pickChoice(ROLES, role),
    disabled: disabled === 'true' ? true : disabled === 'false' ? false : null,
  };
}

export function withUserFilter(
  params: URLSearchParams,
  name: keyof UserFilters,
  value: string,
): URLSearchParams {
  return withParam(params, name, value);
}

export function roleName(role: Role): string {
  return choiceName(ROLES, role);
}

export interface NewUser {
  email: string;
  password: string;
  name: string;
  role: Role;
}

export type NewUserErrors = Partial<Record<'email' | 'password', string>>;

/** What the form can tell before asking the server (which has the last word). */
export function checkNewUser(user: NewUser): NewUserErrors {
  const errors: NewUserErrors = {};
  const email = user.email.trim();
  if (email === '') errors.email = 'Give an email address.';
  else if (!/^[^\s@]+@[^\s@]+$/.test(email)) errors.email = 'This is not an email address.';
  if (user.password === '') errors.password = 'Give a password.';
  return errors;
}

/** The mutation's input: trimmed, an empty name left out. */
export function newUserInput(user: NewUser) {
  const name = user.name.trim();
  return {
    email: user.email.trim(),
    password: user.password,
    role: user.role,
    ...(name === '' ? {} : { name }),
  };
}
