import { useEffect, useState } from 'react';

/**
 * True on a fresh install: nobody has signed in yet, so the admin password the server printed
 * at its first start is what the reader needs. `GET /api/auth/status` tells.
 */
export function useFirstSignIn(): boolean {
  const [first, setFirst] = useState(false);
  useEffect(() => {
    const abort = new AbortController();
    fetch('/api/auth/status', { signal: abort.signal, headers: { accept: 'application/json' } })
      .then((r) => (r.ok ? (r.json() as Promise<{ firstSignIn?: unknown }>) : null))
      .then((body) => {
        setFirst(body?.firstSignIn === true);
      })
      .catch(() => {
        // No hint is the safe default.
      });
    return () => {
      abort.abort();
    };
  }, []);
  return first;
}
