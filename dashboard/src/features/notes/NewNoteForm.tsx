import { useDraft } from '@lossy/common/drafts';
import { formatMediaTime, parseMediaTime } from '@lossy/common/media-time';
import { CATEGORIES, categoryLabel } from '@lossy/common/notes';
import { useId, useState, type KeyboardEvent, type SyntheticEvent } from 'react';

import type { NoteCategory } from '@/gql/graphql';

import type { MutationResult } from './useVideoNotes';

interface Draft {
  text: string;
  category: NoteCategory | '';
  /** As typed or taken from the player ("1:15"). */
  time: string;
}

const EMPTY: Draft = { text: '', category: '', time: '' };

function acceptDraft(stored: unknown): Draft | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const draft = stored as Record<string, unknown>;
  const category = draft.category;
  if (
    typeof draft.text !== 'string' ||
    typeof draft.time !== 'string' ||
    !(category === '' || (CATEGORIES as readonly unknown[]).includes(category))
  ) {
    return null;
  }
  return { text: draft.text, time: draft.time, category: category as NoteCategory | '' };
}

/**
 * A note typed by hand at the player's position. The position is taken when the reader
 * starts typing (what they are commenting on), and can be taken again or typed. The draft is
 * kept in localStorage per video until it is saved.
 */
export function NewNoteForm({
  videoId,
  currentTime,
  create,
}: {
  videoId: string;
  /** The player's position in seconds; null when the player cannot tell. */
  currentTime: () => number | null;
  create: (input: {
    text: string;
    category: NoteCategory | null;
    timestampSeconds: number;
  }) => Promise<MutationResult>;
}) {
  const [draft, setDraft, clearDraft] = useDraft<Draft>(`new-note:${videoId}`, EMPTY, acceptDraft);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; field: string | null } | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const textId = useId();
  const timeId = useId();
  const categoryId = useId();
  const errorId = useId();
  const timeHintId = useId();

  function playerTime(): string | null {
    const seconds = currentTime();
    return seconds === null ? null : formatMediaTime(seconds);
  }

  function onText(text: string) {
    setAdded(null);
    setDraft((previous) => ({
      ...previous,
      text,
      // The first keystroke marks where the reader is.
      time: previous.text === '' && previous.time === '' ? (playerTime() ?? '') : previous.time,
    }));
  }

  async function submit(event?: SyntheticEvent) {
    event?.preventDefault();
    if (saving) return;
    const text = draft.text.trim();
    if (!text) {
      setError({ message: 'Type the note first.', field: 'text' });
      return;
    }
    const typed = draft.time.trim();
    const seconds = typed ? parseMediaTime(typed) : currentTime();
    if (seconds === null) {
      setError({
        message: 'Say where in the video: type a time such as 1:15 or 1:02:05.',
        field: 'timestampSeconds',
      });
      return;
    }
    setSaving(true);
    setError(null);
    const result = await create({
      text,
      category: draft.category === '' ? null : draft.category,
      timestampSeconds: seconds,
    });
    setSaving(false);
    if (result.error) {
      // The draft stays, in the form and in localStorage.
      setError({ message: result.error.message, field: result.error.field });
      return;
    }
    clearDraft();
    setAdded(`Note added at ${formatMediaTime(result.note.timestampSeconds)}.`);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      void submit(event);
    }
  }

  const timeInvalid = error?.field === 'timestampSeconds';
  const textInvalid = error?.field === 'text';
  return (
    <form
      className="new-note card"
      aria-labelledby={`${textId}-heading`}
      onSubmit={(event) => void submit(event)}
    >
      <h2 id={`${textId}-heading`} className="new-note-heading">
        Add a note
      </h2>
      <div className="field">
        <label htmlFor={textId}>Note</label>
        <textarea
          id={textId}
          rows={2}
          value={draft.text}
          placeholder="What needs changing here?"
          aria-invalid={textInvalid}
          aria-describedby={textInvalid ? errorId : undefined}
          onChange={(event) => onText(event.target.value)}
          onKeyDown={onKeyDown}
        />
      </div>
      <div className="new-note-row">
        <div className="field">
          <label htmlFor={timeId}>Time</label>
          <div className="new-note-time">
            <input
              id={timeId}
              value={draft.time}
              placeholder="mm:ss"
              inputMode="numeric"
              autoComplete="off"
              size={8}
              aria-invalid={timeInvalid}
              aria-describedby={timeInvalid ? `${timeHintId} ${errorId}` : timeHintId}
              onChange={(event) => setDraft({ ...draft, time: event.target.value })}
            />
            <button
              type="button"
              className="button"
              onClick={() => {
                const now = playerTime();
                if (now !== null) setDraft({ ...draft, time: now });
              }}
            >
              Now<span className="visually-hidden">: use the player&rsquo;s position</span>
            </button>
          </div>
          <p className="hint new-note-hint" id={timeHintId}>
            Taken from the player when you start typing.
          </p>
        </div>
        <div className="field">
          <label htmlFor={categoryId}>Category</label>
          <select
            id={categoryId}
            value={draft.category}
            onChange={(event) =>
              setDraft({ ...draft, category: event.target.value as NoteCategory | '' })
            }
          >
            <option value="">From the text</option>
            {CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {categoryLabel(category)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error && (
        <p className="field-error" role="alert" id={errorId}>
          {error.message}
        </p>
      )}
      <div className="new-note-submit">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? 'Adding…' : 'Add note'}
        </button>
        <span role="status" className="hint">
          {added}
        </span>
      </div>
    </form>
  );
}
