import { useEffect, useState } from 'react';

import type { ExtensionState } from '@/shared/messages';

import { connectionView, OFFLINE_AFTER_MS, type ConnectionView } from './connection';

/** `connectionView` for the state now; a connection down for `OFFLINE_AFTER_MS` reads as
 * offline even when the worker still says it is reconnecting. */
export function useConnectionView(state: ExtensionState): ConnectionView {
  const down = state.connection !== 'connected';
  const [longDown, setLongDown] = useState(false);

  useEffect(() => {
    if (!down) return;
    const timer = setTimeout(() => setLongDown(true), OFFLINE_AFTER_MS);
    return () => {
      clearTimeout(timer);
      setLongDown(false);
    };
  }, [down]);

  return connectionView(state.connection, state.waiting, longDown ? OFFLINE_AFTER_MS : 0);
}
