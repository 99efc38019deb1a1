import { useDraft } from '@lossy/common/drafts';
import { useId, useState } from 'react';

/** A note the worker could not keep (the browser has no room): its text comes back here. */
export interface ReturnedNote {
  key: string;
  text: string;
  message: string;
}

/** A typed note at the video's current time. The note shows in the list once the server has
 * published it; until then it is listed as waiting (NotesView). */
function acceptText(stored: unknown): string | null {
  return typeof stored === 'string' ? stored : null;
}

export function NewNote({
  videoId,
  onSubmit,
  disabled,
  returned,
}: {
  /** The field's draft is kept per video, so following another tab for a while loses nothing. */
  videoId: string;
  onSubmit: (text: string) => Promise<string | null>;
  disabled: boolean;
  returned: ReturnedNote | null;
}) {
  const [text, setText, clearText] = useDraft(`panel-note:${videoId}`, '', acceptText);
  const [error, setError] = useState<string | null>(null);
  // A returned note goes back into the field, unless the reviewer has typed another since:
  // then the message quotes it, so nothing typed is lost either way.
  const [returnedSeen, setReturnedSeen] = useState<ReturnedNote | null>(null);
  if (returned !== returnedSeen) {
    setReturnedSeen(returned);
    if (returned) {
      if (text.trim() === '') {
        setText(returned.text);
        setError(`Not saved: ${returned.message}. Press Add to try again.`);
      } else {
        setError(`“${returned.text}” was not saved: ${returned.message}.`);
      }
    }
  }
  const [busy, setBusy] = useState(false);
  const id = useId();
  const errorId = useId();

  async function submit() {
    const trimmed = text.trim();
    if (trimmed === '' || busy) return;
    setBusy(true);
    const problem = await onSubmit(trimmed);
    setBusy(false);
    setError(problem);
    if (problem === null) clearText();
  }

  return (
    <form
      className="new-note"
      aria-label="New note"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={id}>Note at the current time</label>
      <div className="new-note-row">
        <input
          id={id}
          type="text"
          value={text}
          disabled={disabled}
          placeholder="Type a note and press Enter"
          aria-invalid={error !== null}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="button primary" disabled={disabled || busy}>
          Add
        </button>
      </div>
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
