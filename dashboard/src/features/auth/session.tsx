import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useQuery } from 'urql';

import { graphql } from '@/gql';
import type { MeQuery } from '@/gql/graphql';
import { hasCode } from '@/lib/graphql/errors';
import { useRenewClient } from '@/lib/graphql/provider';

import { login, logout } from './api';

const MeDocument = graphql(`
  query Me {
    me {
      id
      email
      name
      role
    }
  }
`);

export type User = MeQuery['me'];

/** Who is using the app. `expired` means a signed-in user's session ended on its own. */
export type Session =
  | { kind: 'loading' }
  | { kind: 'signed-in'; user: User }
  | { kind: 'signed-out'; expired: boolean }
  | { kind: 'unreachable'; retry: () => void };

interface SessionControl {
  session: Session;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionControl | null>(null);

export function useSession(): SessionControl {
  const control = useContext(SessionContext);
  if (!control) throw new Error('SessionProvider is missing');
  return control;
}

/**
 * Must sit inside `LossyClientProvider`. `ended` is set by the client when the server refused
 * the session; `onSignedIn` clears it.
 */
export function SessionProvider({
  ended,
  onSignedIn,
  children,
}: {
  ended: boolean;
  onSignedIn: () => void;
  children: ReactNode;
}) {
  const renew = useRenewClient();
  const [me, refetch] = useQuery({ query: MeDocument, requestPolicy: 'network-only' });
  const [justSignedOut, setJustSignedOut] = useState(false);

  const session = useMemo<Session>(() => {
    if (justSignedOut) return { kind: 'signed-out', expired: false };
    // A session that ends while someone uses the app is "expired"; a visitor who never
    // signed in is simply signed out.
    if (me.data) {
      return ended
        ? { kind: 'signed-out', expired: true }
        : { kind: 'signed-in', user: me.data.me };
    }
    if (me.fetching) return { kind: 'loading' };
    if (hasCode(me.error, 'UNAUTHENTICATED')) return { kind: 'signed-out', expired: false };
    return {
      kind: 'unreachable',
      retry: () => {
        refetch({ requestPolicy: 'network-only' });
      },
    };
  }, [me, ended, justSignedOut, refetch]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      await login(email, password);
      setJustSignedOut(false);
      onSignedIn();
      // A fresh client: no cached data of another user, and a socket with the new cookie.
      renew();
    },
    [renew, onSignedIn],
  );

  const signOut = useCallback(async () => {
    await logout();
    setJustSignedOut(true);
    renew();
  }, [renew]);

  const control = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext.Provider value={control}>{children}</SessionContext.Provider>;
}

/** The signed-in user; only for components rendered under `RequireUser`. */
export function useUser(): User {
  const { session } = useSession();
  if (session.kind !== 'signed-in') throw new Error('useUser outside RequireUser');
  return session.user;
}
