// The panel's named visible states (STYLE.md: every state the user can see is named in the
// code, with a test): no video, offline (and the other connection states), signed out, and the
// banner of a video context taken by another tab. Loading, empty and error are the shared
// ones (@lossy/common/ui).

import { EmptyState } from '@lossy/common/ui';

import type { ExtensionState } from '@/shared/messages';
import { connectionLabel, type ConnectionView } from '@/ui/connection';

/** The active tab shows no video the server could identify. */
export function NoVideo() {
  return (
    <EmptyState title="No video in this tab" announce>
      <p>
        Open a page with a video (YouTube, Vimeo, Frame.io or any page with a video player) and its
        notes show here.
      </p>
    </EmptyState>
  );
}

const SIGNED_OUT_REASONS: Record<
  Extract<ExtensionState['auth'], { kind: 'signed-out' }>['reason'],
  string
> = {
  never: 'Sign in to Lossy to see and take notes on your videos.',
  'refresh-failed': 'Your sign-in has expired. Sign in again to carry on.',
  revoked: 'This browser was disconnected from your Lossy account. Sign in to connect it again.',
};

export function SignedOut({
  reason,
  detail,
  server,
  onSignIn,
}: {
  reason: keyof typeof SIGNED_OUT_REASONS;
  /** The server's or the network's words about the last failed attempt. */
  detail: string | null;
  server: string;
  onSignIn: () => void;
}) {
  return (
    <div className="state state-signed-out">
      <h2>Signed out</h2>
      <p>{SIGNED_OUT_REASONS[reason]}</p>
      {detail && <p className="hint">Last attempt: {detail}</p>}
      <p className="hint">Server: {server}</p>
      <button type="button" className="button primary" onClick={onSignIn}>
        Sign in
      </button>
    </div>
  );
}

/** One line about the server connection; quiet when all is well. */
export function ConnectionBanner({ view }: { view: ConnectionView }) {
  if (view.kind === 'connected' && view.waiting === 0) return null;
  const offline = view.kind === 'offline';
  return (
    <div
      className={`banner ${offline ? 'banner-offline' : 'banner-info'}`}
      role="status"
      data-connection={view.kind}
    >
      <strong>{connectionLabel(view)}</strong>
      {offline && <span> — what you do is kept and sent when the server is back.</span>}
    </div>
  );
}

export function TakenBanner({ onTakeOver }: { onTakeOver: () => void }) {
  return (
    <div className="banner banner-warning" role="region" aria-label="Video taken by another tab">
      <p>
        Another tab is taking notes on this video, so this panel is read-only until you take over.
      </p>
      <button type="button" className="button" onClick={onTakeOver}>
        Take over
      </button>
    </div>
  );
}
