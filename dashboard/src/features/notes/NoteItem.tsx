import { formatMediaTime } from '@lossy/common/media-time';
import {
  CATEGORIES,
  canKeep,
  canResolve,
  categoryLabel,
  formatConfidence,
  statusLabel,
} from '@lossy/common/notes';
import { useId, type KeyboardEvent } from 'react';

import type { NoteCategory } from '@/gql/graphql';

import type { Note } from './note';
import type { NoteUi } from './noteUi';

/** Texts longer than this (or with more lines) are clamped, with "More" to read them whole. */
const CLAMP_CHARS = 240;
const CLAMP_LINES = 4;

export function isLong(text: string): boolean {
  return text.length > CLAMP_CHARS || text.split('\n').length > CLAMP_LINES;
}

export interface NoteActions {
  seek: (note: Note) => void;
  startEdit: (note: Note) => void;
  changeDraft: (note: Note, change: { text?: string; category?: NoteCategory }) => void;
  saveEdit: (note: Note, overwrite?: boolean) => void;
  cancelEdit: (note: Note) => void;
  keep: (note: Note) => void;
  resolve: (note: Note) => void;
  remove: (note: Note) => void;
  restore: (note: Note) => void;
  toggleExpanded: (note: Note) => void;
  dismissError: (note: Note) => void;
}

export function CategoryChip({ category }: { category: NoteCategory }) {
  return (
    <span className={`note-chip note-chip-${category.toLowerCase()}`}>
      <span className="note-chip-dot" aria-hidden="true" />
      <span className="visually-hidden">Category: </span>
      {categoryLabel(category)}
    </span>
  );
}

/** One note in the list: what it says, where, and what can be done with it. */
export function NoteItem({
  note,
  ui,
  actions,
  opensExternally,
}: {
  note: Note;
  ui: NoteUi | undefined;
  actions: NoteActions;
  /** The time opens the platform in a new tab instead of seeking a player on the page. */
  opensExternally: boolean;
}) {
  const time = formatMediaTime(note.timestampSeconds);
  const edit = ui?.edit ?? null;
  const busy = ui?.busy ?? false;
  const deleted = note.deletedAt !== null;
  const long = isLong(note.text);
  const expanded = ui?.expanded ?? false;
  const textId = useId();
  const errorId = useId();
  const at = <span className="visually-hidden"> the note at {time}</span>;

  return (
    <article
      className={`note${deleted ? ' note-deleted' : ''}`}
      aria-label={`Note at ${time}`}
      aria-busy={busy}
    >
      <div className="note-meta">
        <button
          type="button"
          className="note-time button subtle"
          onClick={() => actions.seek(note)}
          aria-label={opensExternally ? `Open the video at ${time} (new tab)` : `Play from ${time}`}
        >
          <time dateTime={`PT${note.timestampSeconds}S`}>{time}</time>
        </button>
        <CategoryChip category={note.category} />
        <span className="note-confidence">
          <span className="visually-hidden">Confidence </span>
          {formatConfidence(note.confidence)}
        </span>
        <span className={`note-status note-status-${note.status.toLowerCase()}`}>
          <span className="visually-hidden">Status: </span>
          {statusLabel(note.status)}
        </span>
        {deleted && <span className="note-status note-status-deleted">Deleted</span>}
      </div>

      {edit ? (
        <NoteEditor note={note} ui={ui} actions={actions} time={time} />
      ) : (
        <>
          <p id={textId} className={`note-text${long && !expanded ? ' note-text-clamped' : ''}`}>
            {note.text}
          </p>
          {long && (
            <button
              type="button"
              className="note-more button subtle"
              aria-expanded={expanded}
              aria-controls={textId}
              onClick={() => actions.toggleExpanded(note)}
            >
              {expanded ? 'Less' : 'More'}
            </button>
          )}
          {note.status === 'SUPPRESSED' && note.quality && (
            <p className="hint">
              Hidden by the quality check ({note.quality.reason.replaceAll('_', ' ')}).
            </p>
          )}
        </>
      )}

      {ui?.error && !edit && (
        <div className="note-error notice notice-error" role="alert" id={errorId}>
          <span>{ui.error}</span>{' '}
          <button
            type="button"
            className="button subtle"
            onClick={() => actions.dismissError(note)}
          >
            Dismiss
          </button>
        </div>
      )}

      {!edit && (
        <div className="note-actions">
          {deleted ? (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => actions.restore(note)}
            >
              Restore{at}
            </button>
          ) : (
            <>
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => actions.startEdit(note)}
              >
                Edit{at}
              </button>
              {canKeep(note.status) && (
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => actions.keep(note)}
                >
                  Keep{at}
                </button>
              )}
              {canResolve(note.status) && (
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => actions.resolve(note)}
                >
                  Resolve{at}
                </button>
              )}
              <button
                type="button"
                className="button danger"
                disabled={busy}
                onClick={() => actions.remove(note)}
              >
                Delete{at}
              </button>
            </>
          )}
        </div>
      )}
    </article>
  );
}

function NoteEditor({
  note,
  ui,
  actions,
  time,
}: {
  note: Note;
  ui: NoteUi | undefined;
  actions: NoteActions;
  time: string;
}) {
  const edit = ui?.edit;
  const textId = useId();
  const categoryId = useId();
  const hintId = useId();
  const errorId = useId();
  if (!edit) return null;
  const busy = ui.busy;

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      actions.cancelEdit(note);
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      actions.saveEdit(note);
    }
  }

  return (
    <form
      className="note-editor"
      aria-label={`Edit the note at ${time}`}
      onSubmit={(event) => {
        event.preventDefault();
        actions.saveEdit(note);
      }}
    >
      <div className="field">
        <label htmlFor={textId}>Text</label>
        <textarea
          id={textId}
          value={edit.text}
          rows={3}
          // The editor opens on the reader's request: focus goes where they will type.
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus
          aria-describedby={`${hintId}${ui.error ? ` ${errorId}` : ''}`}
          aria-invalid={ui.error !== null && ui.errorField === 'text'}
          onChange={(event) => actions.changeDraft(note, { text: event.target.value })}
          onKeyDown={onKeyDown}
        />
      </div>
      <div className="field">
        <label htmlFor={categoryId}>Category</label>
        <select
          id={categoryId}
          value={edit.category}
          onChange={(event) =>
            actions.changeDraft(note, { category: event.target.value as NoteCategory })
          }
          onKeyDown={(event) => {
            if (event.key === 'Escape') onKeyDown(event);
          }}
        >
          {CATEGORIES.map((category) => (
            <option key={category} value={category}>
              {categoryLabel(category)}
            </option>
          ))}
        </select>
      </div>
      <p className="hint" id={hintId}>
        Enter saves, Shift+Enter starts a new line, Escape cancels.
      </p>
      {ui.error && (
        <div className="notice notice-error" role="alert" id={errorId}>
          <p className="note-error-message">{ui.error}</p>
          {edit.conflict && (
            <div className="note-conflict">
              <p>
                It now reads (version {edit.conflict.version},{' '}
                {categoryLabel(edit.conflict.category)}):
              </p>
              <blockquote className="note-conflict-text">{edit.conflict.text}</blockquote>
              <p>Your text is still in the editor.</p>
            </div>
          )}
        </div>
      )}
      <div className="note-actions">
        <button type="submit" className="button primary" disabled={busy}>
          Save
        </button>
        {edit.conflict && edit.conflict.deletedAt === null && (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => actions.saveEdit(note, true)}
          >
            Save mine over it
          </button>
        )}
        <button type="button" className="button subtle" onClick={() => actions.cancelEdit(note)}>
          {edit.conflict ? 'Keep theirs' : 'Cancel'}
        </button>
      </div>
    </form>
  );
}
