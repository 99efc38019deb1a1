// The states a page or panel shows while it cannot show its content: loading, empty, failed.

import type { ReactNode } from 'react';

export function LoadingState({ label }: { label: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  );
}

export function EmptyState({
  title,
  children,
  announce = false,
}: {
  title: string;
  children?: ReactNode;
  /** Read out when it appears in place of content the reader was looking at (a live region). */
  announce?: boolean;
}) {
  return (
    <div className="state state-empty" role={announce ? 'status' : undefined}>
      <h2>{title}</h2>
      {children}
    </div>
  );
}

export function ErrorState({
  title,
  message,
  onRetry,
}: {
  title: string;
  message: string;
  onRetry?: () => void;
}) {
  return (
    <div className="state state-error" role="alert">
      <h2>{title}</h2>
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
