import {
  Fragment,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useState,
  type SyntheticEvent,
} from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { EmptyState, LoadingState } from '@lossy/common/ui';

import { FilterSelect } from '@/components/FilterSelect';
import { LoadMore } from '@/components/LoadMore';
import { RelativeTime } from '@/components/RelativeTime';
import type {
  AdminUserFieldsFragment,
  AdminUsersQuery,
  AdminUsersQueryVariables,
  Role,
} from '@/gql/graphql';
import { usePagedQuery } from '@/hooks/usePagedQuery';
import { serverError } from '@/lib/graphql/errors';

import { AdminError } from '../shared/AdminError';
import { ConfirmAction } from '../shared/ConfirmAction';
import { errorText } from '../shared/format';
import {
  AdminRevokeDeviceDocument,
  CreateUserDocument,
  SetUserDisabledDocument,
  SetUserRoleDocument,
  UserDevicesDocument,
  UsersDocument,
} from './api';
import {
  checkNewUser,
  newUserInput,
  parseUserFilters,
  roleName,
  ROLES,
  STATUSES,
  withUserFilter,
  type NewUser,
  type NewUserErrors,
  type UserFilters,
} from './users';
import './users.css';

type User = AdminUserFieldsFragment;

const PAGE_SIZE = 50;
const usersOf = (data: AdminUsersQuery) => data.users;

/** `/admin/users`: accounts, their roles and status, and their devices. */
export function UsersPage() {
  const [params, setParams] = useSearchParams();
  const filters = parseUserFilters(params);
  const setFilter = (name: keyof UserFilters, value: string) => {
    setParams((current) => withUserFilter(current, name, value), { replace: true });
  };
  // A new user is listed at once: the list is read again.
  const [created, setCreated] = useState(0);
  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      <p className="hint">
        Accounts, newest first. A disabled user cannot sign in; their sessions and sockets end at
        once.
      </p>
      <CreateUserForm
        onCreated={() => {
          setCreated((n) => n + 1);
        }}
      />
      <form
        className="admin-filters"
        aria-label="Filter the users"
        onSubmit={(event) => {
          event.preventDefault();
          const search = new FormData(event.currentTarget).get('search');
          setFilter('search', typeof search === 'string' ? search : '');
        }}
      >
        <label className="field">
          <span>Search email or name</span>
          <input
            key={filters.search ?? ''}
            name="search"
            type="search"
            defaultValue={filters.search ?? ''}
          />
        </label>
        <div className="filter-actions">
          <button type="submit" className="button">
            Search
          </button>
        </div>
        <FilterSelect
          label="Role"
          all="All roles"
          value={filters.role}
          choices={ROLES}
          onChange={(value) => {
            setFilter('role', value);
          }}
        />
        <FilterSelect
          label="Status"
          all="Enabled and disabled"
          value={filters.disabled === null ? null : String(filters.disabled)}
          choices={STATUSES}
          onChange={(value) => {
            setFilter('disabled', value);
          }}
        />
      </form>
      <UsersTable filters={filters} refresh={created} />
    </section>
  );
}

function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const id = useId();
  const blank: NewUser = { email: '', password: '', name: '', role: 'USER' };
  const [draft, setDraft] = useState<NewUser>(blank);
  const [errors, setErrors] = useState<NewUserErrors>({});
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [{ fetching }, createUser] = useMutation(CreateUserDocument);
  const set = (name: keyof NewUser, value: string) => {
    setDraft((current) => ({ ...current, [name]: value }));
  };

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = checkNewUser(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(`${id}-${found.email ? 'email' : 'password'}`)?.focus();
      return;
    }
    const answer = await createUser({ input: newUserInput(draft) });
    if (answer.data) {
      const user = answer.data.createUser;
      setResult({ ok: true, text: `${user.email} was created (${roleName(user.role)}).` });
      setDraft(blank);
      onCreated();
      return;
    }
    if (answer.error) {
      const error = serverError(answer.error);
      if (error.field === 'email' || error.field === 'password') {
        setErrors({ [error.field]: error.message });
      }
      setResult({ ok: false, text: `The user was not created: ${errorText(answer.error)}` });
    }
  };

  const fieldError = (name: 'email' | 'password') =>
    errors[name] ? (
      <span className="field-error" id={`${id}-${name}-error`}>
        {errors[name]}
      </span>
    ) : null;

  return (
    <details className="card users-create">
      <summary>Create a user</summary>
      <form aria-label="Create a user" onSubmit={(event) => void submit(event)} noValidate>
        <div className="admin-filters">
          <div className="field">
            <label htmlFor={`${id}-email`}>Email</label>
            <input
              id={`${id}-email`}
              type="email"
              value={draft.email}
              autoComplete="off"
              aria-invalid={errors.email ? true : undefined}
              aria-describedby={errors.email ? `${id}-email-error` : undefined}
              onChange={(event) => {
                set('email', event.target.value);
              }}
            />
            {fieldError('email')}
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>Password</label>
            <input
              id={`${id}-password`}
              type="password"
              value={draft.password}
              autoComplete="new-password"
              aria-invalid={errors.password ? true : undefined}
              aria-describedby={errors.password ? `${id}-password-error` : undefined}
              onChange={(event) => {
                set('password', event.target.value);
              }}
            />
            {fieldError('password')}
          </div>
          <label className="field">
            <span>Name (optional)</span>
            <input
              type="text"
              value={draft.name}
              autoComplete="off"
              onChange={(event) => {
                set('name', event.target.value);
              }}
            />
          </label>
          <label className="field">
            <span>Role</span>
            <select
              value={draft.role}
              onChange={(event) => {
                set('role', event.target.value);
              }}
            >
              {ROLES.map(([value, name]) => (
                <option key={value} value={value}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <div className="filter-actions">
            <button type="submit" className="button primary" disabled={fetching}>
              {fetching ? 'Creating…' : 'Create user'}
            </button>
          </div>
        </div>
        {result && (
          <p
            className={result.ok ? 'notice' : 'notice notice-error'}
            role={result.ok ? 'status' : 'alert'}
          >
            {result.text}
          </p>
        )}
      </form>
    </details>
  );
}

function UsersTable({ filters, refresh }: { filters: UserFilters; refresh: number }) {
  const variables = useMemo<AdminUsersQueryVariables>(
    () => ({
      first: PAGE_SIZE,
      search: filters.search,
      role: filters.role,
      disabled: filters.disabled,
    }),
    [filters.search, filters.role, filters.disabled],
  );
  const users = usePagedQuery({ query: UsersDocument, variables, connection: usersOf });
  // `refresh` counts created users: the first page (newest first) is read again.
  const { retry } = users;
  useEffect(() => {
    if (refresh > 0) retry();
  }, [refresh, retry]);
  // A mutation's answer replaces the row at once (later pages are not refetched).
  const [updates, setUpdates] = useState<ReadonlyMap<string, User>>(new Map());
  const onUpdated = useCallback((user: User) => {
    setUpdates((current) => new Map(current).set(user.id, user));
  }, []);
  const [devicesOf, setDevicesOf] = useState<string | null>(null);

  if (users.loading) return <LoadingState label="Loading users" />;
  if (users.error) return <AdminError what="the users" error={users.error} onRetry={users.retry} />;
  if (users.nodes.length === 0) {
    return (
      <EmptyState title="No users">
        <p>No user matches these filters.</p>
      </EmptyState>
    );
  }
  const rows = users.nodes.map((user) => updates.get(user.id) ?? user);
  return (
    <>
      <p className="hint" role="status">
        {rows.length === 1 ? '1 user' : `${rows.length} users`}
        {users.hasNextPage ? ' shown; more to load' : ''}
      </p>
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="table-scroll" role="region" aria-label="Users" tabIndex={0}>
        <table className="admin-table">
          <caption>Users, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Devices</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((user) => {
              const open = devicesOf === user.id;
              return (
                <Fragment key={user.id}>
                  <tr>
                    <th scope="row" className="wrap">
                      {user.email}
                    </th>
                    <td className="wrap">{user.name || '—'}</td>
                    <td>
                      <RoleControl user={user} onUpdated={onUpdated} />
                    </td>
                    <td>
                      <StatusControl user={user} onUpdated={onUpdated} />
                    </td>
                    <td>
                      <RelativeTime iso={user.createdAt} />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button subtle"
                        aria-expanded={open}
                        aria-controls={`devices-${user.id}`}
                        onClick={() => {
                          setDevicesOf(open ? null : user.id);
                        }}
                      >
                        {open ? 'Hide devices' : 'Devices'}{' '}
                        <span className="visually-hidden">of {user.email}</span>
                      </button>
                    </td>
                  </tr>
                  <tr id={`devices-${user.id}`} hidden={!open}>
                    <td colSpan={6}>{open && <UserDevices user={user} />}</td>
                  </tr>
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <LoadMore
        what="users"
        hasNextPage={users.hasNextPage}
        loadingMore={users.loadingMore}
        error={users.moreError}
        onLoadMore={users.loadMore}
      />
    </>
  );
}

/** The role as a select; a change is sent at once. The server refuses (CONFLICT) to demote
 * the last enabled admin: that message is shown and the select goes back. */
function RoleControl({ user, onUpdated }: { user: User; onUpdated: (user: User) => void }) {
  const id = useId();
  const [{ fetching }, setUserRole] = useMutation(SetUserRoleDocument);
  const [error, setError] = useState<string | null>(null);
  const change = async (role: Role) => {
    setError(null);
    const answer = await setUserRole({ id: user.id, role });
    if (answer.data) onUpdated(answer.data.setUserRole);
    else if (answer.error) setError(`The role was not changed: ${errorText(answer.error)}`);
  };
  return (
    <div className="confirm-action">
      <label htmlFor={`${id}-role`} className="visually-hidden">
        Role of {user.email}
      </label>
      <select
        id={`${id}-role`}
        value={user.role}
        disabled={fetching}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => void change(event.target.value as Role)}
      >
        {ROLES.map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>
      {error && (
        <p className="field-error wrap" role="alert" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function StatusControl({ user, onUpdated }: { user: User; onUpdated: (user: User) => void }) {
  const [, setUserDisabled] = useMutation(SetUserDisabledDocument);
  const disable = !user.disabled;
  return (
    <div className="users-status">
      <span className={user.disabled ? 'users-disabled' : undefined}>
        {user.disabled ? 'Disabled' : 'Enabled'}
      </span>
      <ConfirmAction
        label={
          <>
            {disable ? 'Disable' : 'Enable'} <span className="visually-hidden">{user.email}</span>
          </>
        }
        question={
          disable
            ? `Disable ${user.email}? Their sessions and sockets end now.`
            : `Enable ${user.email}? They can sign in again.`
        }
        confirmLabel={disable ? 'Yes, disable' : 'Yes, enable'}
        workingLabel={disable ? 'Disabling…' : 'Enabling…'}
        danger={disable}
        onConfirm={async () => {
          const answer = await setUserDisabled({ id: user.id, disabled: disable });
          if (answer.data) {
            onUpdated(answer.data.setUserDisabled);
            return null;
          }
          return `${user.email} was not ${disable ? 'disabled' : 'enabled'}: ${
            answer.error ? errorText(answer.error) : 'no answer'
          }`;
        }}
      />
    </div>
  );
}

function UserDevices({ user }: { user: User }) {
  const variables = useMemo(() => ({ userId: user.id }), [user.id]);
  const [result, reexecute] = useQuery({ query: UserDevicesDocument, variables });
  const [, revokeDevice] = useMutation(AdminRevokeDeviceDocument);
  const retry = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);

  if (result.error && !result.data) {
    return (
      <AdminError what={`the devices of ${user.email}`} error={result.error} onRetry={retry} />
    );
  }
  if (!result.data) return <LoadingState label={`Loading the devices of ${user.email}`} />;
  const devices = result.data.userDevices;
  if (devices.length === 0) return <p className="hint">{user.email} has no devices.</p>;
  return (
    <table className="admin-table users-devices">
      <caption>Devices of {user.email}</caption>
      <thead>
        <tr>
          <th scope="col">Device</th>
          <th scope="col">Last seen</th>
          <th scope="col">Added</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {devices.map((device) => (
          <tr key={device.id}>
            <th scope="row" className="wrap">
              {device.name}
            </th>
            <td>
              <RelativeTime iso={device.lastSeenAt} />
            </td>
            <td>
              <RelativeTime iso={device.createdAt} />
            </td>
            <td>
              {device.revokedAt ? (
                <>
                  Revoked <RelativeTime iso={device.revokedAt} />
                  {device.revokeReason ? `: ${device.revokeReason.replaceAll('_', ' ')}` : ''}
                </>
              ) : (
                <ConfirmAction
                  label={
                    <>
                      Revoke <span className="visually-hidden">{device.name}</span>
                    </>
                  }
                  question={`Revoke ${device.name}? Its extension is signed out at once.`}
                  confirmLabel="Yes, revoke"
                  workingLabel="Revoking…"
                  danger
                  onConfirm={async () => {
                    const answer = await revokeDevice({ id: device.id });
                    if (answer.data) {
                      retry();
                      return null;
                    }
                    return `${device.name} was not revoked: ${
                      answer.error ? errorText(answer.error) : 'no answer'
                    }`;
                  }}
                />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
