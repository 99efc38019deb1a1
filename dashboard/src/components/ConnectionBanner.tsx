import { useEffect, useState } from 'react';

import { useConnection } from '@/lib/graphql/provider';

/** Live updates pause while the socket is down; say so, and when the next try is. */
export function ConnectionBanner() {
  const state = useConnection();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (state.kind !== 'reconnecting') return;
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, [state.kind]);
  if (state.kind !== 'reconnecting') return null;
  const seconds = Math.max(0, Math.ceil((state.retryAt - now) / 1000));
  return (
    <div className="banner banner-warning" role="status" data-testid="connection-banner">
      Connection to the server lost; live updates are paused.{' '}
      {seconds > 0 ? `Reconnecting in ${seconds} s…` : 'Reconnecting…'}
    </div>
  );
}
