import { useEffect, useRef, useState } from 'react';
import { formatMediaTime } from '@lossy/common/media-time';

/** How long "Undo" stays offered after a deletion. */
export const UNDO_MS = 8_000;

export interface Deletion {
  noteId: string;
  timestampSeconds: number;
  text: string;
  error: string | null;
  busy: boolean;
}

/** "Note deleted. Undo" for each recent deletion, for `UNDO_MS` (paused while focused). */
export function UndoBar({
  deletions,
  onUndo,
  onExpire,
}: {
  deletions: readonly Deletion[];
  onUndo: (noteId: string) => void;
  onExpire: (noteId: string) => void;
}) {
  return (
    <div className="undo-bar" role="status" aria-live="polite">
      {deletions.map((deletion) => (
        <UndoToast key={deletion.noteId} deletion={deletion} onUndo={onUndo} onExpire={onExpire} />
      ))}
    </div>
  );
}

function UndoToast({
  deletion,
  onUndo,
  onExpire,
}: {
  deletion: Deletion;
  onUndo: (noteId: string) => void;
  onExpire: (noteId: string) => void;
}) {
  const [paused, setPaused] = useState(false);
  const left = useRef(UNDO_MS);
  useEffect(() => {
    if (paused || deletion.busy || deletion.error) return;
    const started = Date.now();
    const timer = window.setTimeout(() => {
      onExpire(deletion.noteId);
    }, left.current);
    return () => {
      window.clearTimeout(timer);
      left.current = Math.max(1_000, left.current - (Date.now() - started));
    };
  }, [paused, deletion.busy, deletion.error, deletion.noteId, onExpire]);

  const preview = deletion.text.length > 60 ? `${deletion.text.slice(0, 60)}…` : deletion.text;
  return (
    <div
      className="undo-toast"
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
    >
      <span>
        Deleted the note at {formatMediaTime(deletion.timestampSeconds)}: &ldquo;{preview}&rdquo;.
      </span>
      {deletion.error && <span className="field-error"> {deletion.error}</span>}
      <button
        type="button"
        className="button"
        disabled={deletion.busy}
        onClick={() => onUndo(deletion.noteId)}
      >
        Undo
      </button>
      <button
        type="button"
        className="button subtle"
        aria-label="Dismiss"
        onClick={() => onExpire(deletion.noteId)}
      >
        ×
      </button>
    </div>
  );
}
