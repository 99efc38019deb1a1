import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { LoadingState, ErrorState } from '@lossy/common/ui';

import { useSession, type User } from './session';

/** Where a signed-out visitor goes: the sign-in page, remembering the page asked for. */
export function signInPath(next: string, expired: boolean): string {
  const params = new URLSearchParams();
  if (next !== '/' && isSafeNext(next)) params.set('next', next);
  if (expired) params.set('expired', '1');
  const query = params.toString();
  return query ? `/sign-in?${query}` : '/sign-in';
}

/** Only same-site paths: never `//host` or `https://…`, which would leave the app. */
export function isSafeNext(next: string | null): next is string {
  return !!next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\');
}

/** Renders `children(user)` for a signed-in user; sends anyone else to sign in. */
export function RequireUser({ children }: { children: (user: User) => ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  switch (session.kind) {
    case 'loading':
      return <LoadingState label="Checking your session" />;
    case 'unreachable':
      return (
        <ErrorState
          title="The server cannot be reached"
          message="Lossy could not check your session. It retries when you ask."
          onRetry={session.retry}
        />
      );
    case 'signed-out':
      return (
        <Navigate to={signInPath(location.pathname + location.search, session.expired)} replace />
      );
    case 'signed-in':
      return children(session.user);
  }
}

/** Admin pages: others see why they cannot enter (the server refuses them too). */
export function RequireAdmin({ user, children }: { user: User; children: ReactNode }) {
  if (user.role !== 'ADMIN') {
    return (
      <ErrorState
        title="Admins only"
        message="This page is for administrators. Ask an admin of this Lossy server if you need it."
      />
    );
  }
  return children;
}
