import { formatMediaTime } from '@lossy/common/media-time';
import {
  CATEGORIES,
  canKeep,
  canResolve,
  categoryLabel,
  formatConfidence,
  statusLabel,
} from '@lossy/common/notes';
import { CategoryChip } from '@lossy/common/ui';
import { useId, useState, type KeyboardEvent } from 'react';

import type { NoteCategory } from '@/gql/graphql';

import type { Note } from './note';

export interface NoteProblem {
  code: string;
  message: string;
  /** What the refused edit would have written, so it can be tried again. */
  attempted: { text?: string; category?: NoteCategory } | null;
}

export interface NoteActions {
  seek: (note: Note) => void;
  startEdit: (note: Note) => void;
  saveEdit: (note: Note, change: { text: string; category: NoteCategory }) => void;
  cancelEdit: (note: Note) => void;
  keep: (note: Note) => void;
  resolve: (note: Note) => void;
  remove: (note: Note) => void;
  dismissProblem: (note: Note) => void;
}

/** One note: its time (a button: Enter or a click seeks), what it says, and its actions. */
export function NoteItem({
  note,
  actions,
  editing,
  waiting,
  problem,
  readOnly,
}: {
  note: Note;
  actions: NoteActions;
  /** The draft to open the editor with, or null when not editing. */
  editing: { text: string; category: NoteCategory } | null;
  waiting: boolean;
  problem: NoteProblem | null;
  readOnly: boolean;
}) {
  const time = formatMediaTime(note.timestampSeconds);
  // The visible word, then which note: "Delete the note at 0:10".
  const named = (verb: string) => ({ 'aria-label': `${verb} the note at ${time}` });
  return (
    <article className="note" data-note-id={note.id} aria-label={`Note at ${time}`}>
      <div className="note-meta">
        <button
          type="button"
          className="note-time button subtle"
          onClick={() => actions.seek(note)}
          aria-label={`Play from ${time}`}
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
        {waiting && <span className="note-waiting">Waiting to sync</span>}
      </div>

      {editing ? (
        <NoteEditor note={note} draft={editing} actions={actions} time={time} />
      ) : (
        <p className="note-text">{note.text}</p>
      )}

      {problem && (
        <div className="notice notice-error" role="alert">
          <p>{problem.message}</p>
          {problem.code === 'CONFLICT' && (
            <p>
              The note now reads (version {note.version}, {categoryLabel(note.category)}): “
              {note.text}”
            </p>
          )}
          <div className="note-actions">
            {problem.attempted && !readOnly && (
              <button
                type="button"
                className="button"
                {...named('Edit again')}
                onClick={() => actions.startEdit(note)}
              >
                Edit again
              </button>
            )}
            <button
              type="button"
              className="button subtle"
              onClick={() => actions.dismissProblem(note)}
            >
              Dismiss
            </button>
          </div>
        </div>
      )}

      {!editing && !readOnly && (
        <div className="note-actions">
          <button
            type="button"
            className="button"
            {...named('Edit')}
            onClick={() => actions.startEdit(note)}
          >
            Edit
          </button>
          {canKeep(note.status) && (
            <button
              type="button"
              className="button"
              {...named('Keep')}
              onClick={() => actions.keep(note)}
            >
              Keep
            </button>
          )}
          {canResolve(note.status) && (
            <button
              type="button"
              className="button"
              {...named('Resolve')}
              onClick={() => actions.resolve(note)}
            >
              Resolve
            </button>
          )}
          <button
            type="button"
            className="button danger"
            {...named('Delete')}
            onClick={() => actions.remove(note)}
          >
            Delete
          </button>
        </div>
      )}
    </article>
  );
}

function NoteEditor({
  note,
  draft,
  actions,
  time,
}: {
  note: Note;
  draft: { text: string; category: NoteCategory };
  actions: NoteActions;
  time: string;
}) {
  const [text, setText] = useState(draft.text);
  const [category, setCategory] = useState(draft.category);
  const textId = useId();
  const categoryId = useId();
  const hintId = useId();

  function save() {
    actions.saveEdit(note, { text, category });
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      actions.cancelEdit(note);
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
    }
  }

  return (
    <form
      className="note-editor"
      aria-label={`Edit the note at ${time}`}
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <label htmlFor={textId}>Text</label>
      <textarea
        id={textId}
        value={text}
        rows={3}
        // The editor opens on the reviewer's request: focus goes where they will type.
        // eslint-disable-next-line jsx-a11y/no-autofocus
        autoFocus
        aria-describedby={hintId}
        // Carry on from the end of the text, as one does when correcting a note.
        onFocus={(event) => {
          const end = event.currentTarget.value.length;
          event.currentTarget.setSelectionRange(end, end);
        }}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <label htmlFor={categoryId}>Category</label>
      <select
        id={categoryId}
        value={category}
        onChange={(event) => setCategory(event.target.value as NoteCategory)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onKeyDown(event);
        }}
      >
        {CATEGORIES.map((value) => (
          <option key={value} value={value}>
            {categoryLabel(value)}
          </option>
        ))}
      </select>
      <p className="hint" id={hintId}>
        Enter saves, Shift+Enter starts a new line, Escape cancels.
      </p>
      <div className="note-actions">
        <button type="submit" className="button primary">
          Save
        </button>
        <button type="button" className="button subtle" onClick={() => actions.cancelEdit(note)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
