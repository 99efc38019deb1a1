import { useCallback, useState } from 'react';
import { RouterProvider } from 'react-router';

import { SessionProvider } from '@/features/auth/session';
import { LossyClientProvider } from '@/lib/graphql/provider';

import { router } from './router';

export function App() {
  // Set when the server refuses the session mid-use; the guards then send the reader to
  // sign in and bring them back to the page they were on.
  const [ended, setEnded] = useState(false);
  const onSignedOut = useCallback(() => {
    setEnded(true);
  }, []);
  const onSignedIn = useCallback(() => {
    setEnded(false);
  }, []);
  return (
    <LossyClientProvider onSignedOut={onSignedOut}>
      <SessionProvider ended={ended} onSignedIn={onSignedIn}>
        <RouterProvider router={router} />
      </SessionProvider>
    </LossyClientProvider>
  );
}
