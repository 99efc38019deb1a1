import { useId, useState, type SyntheticEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';

import { ApiError } from '@/lib/http';

import { isSafeNext } from './guards';
import { useSession } from './session';
import { useFirstSignIn } from './useFirstSignIn';

function messageFor(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'UNAUTHENTICATED':
        return 'Wrong email or password.';
      case 'RATE_LIMITED':
        return 'Too many sign-in attempts from this address. Wait a minute, then try again.';
      default:
        return error.message;
    }
  }
  return 'Signing in failed. Try again.';
}

export function SignInPage() {
  const { session, signIn } = useSession();
  const [params] = useSearchParams();
  const next = params.get('next');
  const expired = params.get('expired') === '1';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const firstSignIn = useFirstSignIn();
  const errorId = useId();

  if (session.kind === 'signed-in') {
    return <Navigate to={isSafeNext(next) ? next : '/'} replace />;
  }

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      setError(messageFor(err));
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <form
        className="card sign-in-card"
        onSubmit={(event) => void submit(event)}
        aria-describedby={error ? errorId : undefined}
        noValidate
      >
        <h1>Sign in to Lossy</h1>
        {expired && !error && (
          <p className="notice" role="status">
            Your session has ended. Sign in again to continue where you were.
          </p>
        )}
        {error && (
          <p className="notice notice-error" role="alert" id={errorId}>
            {error}
          </p>
        )}
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" className="button primary" disabled={busy || !email || !password}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {firstSignIn && (
          <p className="hint" data-testid="first-sign-in-hint">
            First time here? The server created the admin account <code>admin@localhost</code> (or
            the one named by <code>LOSSY_ADMIN_EMAIL</code>) and printed its password once when it
            first started: look in its output.
          </p>
        )}
      </form>
    </main>
  );
}
