// The notes of the active tab's video: the typed-note form, filters, the list with its
// keyboard (j / k or arrows, e, Delete / Backspace, Enter on the time), and the undo bar.
// Every change is an outbox write; the list changes when the server publishes the change.

import { formatMediaTime } from '@lossy/common/media-time';
import { DEFAULT_FILTER, isFiltering, visibleNotes, type NoteFilter } from '@lossy/common/notes';
import {
  ErrorState,
  LoadingState,
  VirtualNoteList,
  type VirtualNoteListHandle,
} from '@lossy/common/ui';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';

import type { NoteCategory, NoteStatus } from '@/gql/graphql';
import type { OutboxWrite } from '@/shared/messages';
import type { PanelClient } from '@/ui/client';

import { NewNote, type ReturnedNote } from './NewNote';
import { NoteFilters } from './NoteFilters';
import { NoteItem, type NoteActions, type NoteProblem } from './NoteItem';
import { looksDeleted, settle, waitingNoteIds, type Pending } from './pending';
import type { Note } from './note';
import { POLL_INTERVAL_MS, useNotes } from './useNotes';

/** A first guess at a row's height in the panel; each row is measured once drawn. */
const ESTIMATED_ROW = 96;

function newKey(): string {
  return crypto.randomUUID();
}

interface Editing {
  noteId: string;
  text: string;
  category: NoteCategory;
}

interface RefusedCreate {
  key: string;
  text: string;
  message: string;
}

export function NotesView({
  client,
  videoId,
  streaming,
  connected,
  readOnly,
}: {
  client: PanelClient;
  videoId: string;
  streaming: boolean;
  connected: boolean;
  readOnly: boolean;
}) {
  const { notes, loaded, error, retry } = useNotes(client, videoId, { streaming, connected });
  const [filter, setFilter] = useState<NoteFilter>(DEFAULT_FILTER);
  const [pending, setPending] = useState<readonly Pending[]>([]);
  const [problems, setProblems] = useState<ReadonlyMap<string, NoteProblem>>(new Map());
  const [refusedCreates, setRefusedCreates] = useState<readonly RefusedCreate[]>([]);
  const [returned, setReturned] = useState<ReturnedNote | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [undo, setUndo] = useState<string | null>(null);
  const list = useRef<VirtualNoteListHandle>(null);
  /** Every write sent from this view by its key, to explain a refusal beside its note. */
  const marks = useRef(new Map<string, Pending>());

  // A write stops waiting once the server's notes show it (React's "adjust state when a
  // prop changes" pattern: no effect, no extra render pass of stale marks).
  const [settledFor, setSettledFor] = useState(notes);
  if (settledFor !== notes) {
    setSettledFor(notes);
    setPending((writes) => settle(writes, notes));
  }

  useEffect(() => {
    const offRefused = client.onRefused((refusal) => {
      const key = refusal.write.key;
      const write = marks.current.get(key);
      marks.current.delete(key);
      setPending((writes) => writes.filter((item) => item.key !== key));
      if (write?.kind === 'create' && refusal.code === 'STORAGE') {
        // Never stored: the text goes back to the field, to be sent again.
        setReturned({ key, text: write.text, message: refusal.message });
      } else if (write?.kind === 'create') {
        setRefusedCreates((list) => [...list, { key, text: write.text, message: refusal.message }]);
      } else if (write) {
        const attempted =
          write.kind === 'update' && (write.change.text ?? write.change.category)
            ? { text: write.change.text, category: write.change.category }
            : null;
        setProblems((map) =>
          new Map(map).set(write.noteId, {
            code: refusal.code,
            message: refusal.message,
            attempted,
          }),
        );
      }
    });
    // An acknowledged edit or creation stops waiting; a deletion or a restore waits for its
    // event, or the note would show in its old state between the two.
    const offAcked = client.onAcked((key) =>
      setPending((writes) =>
        writes.filter(
          (item) => item.key !== key || item.kind === 'delete' || item.kind === 'restore',
        ),
      ),
    );
    return () => {
      offRefused();
      offAcked();
    };
  }, [client]);

  const waiting = useMemo(() => waitingNoteIds(pending), [pending]);
  // Notes with an editor or an error stay listed whatever the filter says, and stay drawn.
  const pinned = useMemo(() => {
    const keep = new Set(problems.keys());
    if (editing) keep.add(editing.noteId);
    return keep;
  }, [problems, editing]);
  const shown = useMemo(() => {
    // Deleted notes are never listed, not even one being edited (the undo bar stands for it), and
    // a deletion still in the outbox counts as done.
    const present = notes.sorted.filter((note) => !looksDeleted(note, pending));
    return visibleNotes(present, filter, pinned);
  }, [notes, filter, pinned, pending]);
  const creating = pending.filter((write) => write.kind === 'create');

  function send(write: OutboxWrite, mark: Pending): boolean {
    try {
      client.write(write);
    } catch (reason) {
      if (mark.kind !== 'create') {
        setProblems((map) =>
          new Map(map).set(mark.noteId, {
            code: 'UNAVAILABLE',
            message: reason instanceof Error ? reason.message : String(reason),
            attempted: null,
          }),
        );
      }
      return false;
    }
    marks.current.set(mark.key, mark);
    setPending((writes) => [...writes, mark]);
    return true;
  }

  function clearProblem(noteId: string) {
    setProblems((map) => {
      if (!map.has(noteId)) return map;
      const next = new Map(map);
      next.delete(noteId);
      return next;
    });
  }

  function update(
    note: Note,
    change: { text?: string; category?: NoteCategory; status?: NoteStatus },
  ) {
    clearProblem(note.id);
    const key = newKey();
    send(
      { kind: 'updateNote', key, input: { id: note.id, version: note.version, ...change } },
      { kind: 'update', key, noteId: note.id, baseVersion: note.version, change },
    );
  }

  function remove(note: Note) {
    clearProblem(note.id);
    const key = newKey();
    const index = shown.findIndex((item) => item.id === note.id);
    const neighbour = shown[index + 1] ?? shown[index - 1] ?? null;
    if (
      send(
        { kind: 'deleteNote', key, id: note.id, reason: 'deleted in the side panel' },
        { kind: 'delete', key, noteId: note.id, baseVersion: note.version },
      )
    ) {
      setUndo(note.id);
      if (neighbour) list.current?.focusItem(neighbour.id);
    }
  }

  function restore(noteId: string) {
    const note = notes.byId.get(noteId);
    setUndo(null);
    if (!note) return;
    const key = newKey();
    list.current?.focusItem(noteId);
    send(
      { kind: 'restoreNote', key, id: noteId },
      { kind: 'restore', key, noteId, baseVersion: note.version },
    );
  }

  async function create(text: string): Promise<string | null> {
    const { seconds } = await client.playhead();
    if (seconds === null)
      return 'The video’s current time is not known; play the video and try again.';
    const key = newKey();
    const timestampSeconds = Math.round(seconds * 1000) / 1000;
    const sent = send(
      { kind: 'createNote', key, input: { videoId, text, timestampSeconds } },
      { kind: 'create', key, videoId, text, timestampSeconds },
    );
    return sent ? null : 'The extension is restarting; try again in a moment.';
  }

  const actions: NoteActions = {
    seek: (note) => client.send({ kind: 'seek', seconds: note.timestampSeconds }),
    startEdit: (note) => {
      const attempted = problems.get(note.id)?.attempted;
      setEditing({
        noteId: note.id,
        text: attempted?.text ?? note.text,
        category: attempted?.category ?? note.category,
      });
    },
    saveEdit: (note, draft) => {
      const change: { text?: string; category?: NoteCategory } = {};
      if (draft.text.trim() !== note.text) change.text = draft.text.trim();
      if (draft.category !== note.category) change.category = draft.category;
      setEditing(null);
      list.current?.focusItem(note.id);
      if (change.text !== undefined || change.category !== undefined) update(note, change);
    },
    cancelEdit: (note) => {
      setEditing(null);
      list.current?.focusItem(note.id);
    },
    keep: (note) => update(note, { status: 'FIRMED' }),
    resolve: (note) => update(note, { status: 'RESOLVED' }),
    remove,
    dismissProblem: (note) => clearProblem(note.id),
  };

  /** The side panel's keys beyond moving: e edits, Delete or Backspace deletes. */
  function onNoteKey(note: Note, event: KeyboardEvent<HTMLElement>): boolean {
    if (readOnly) return false;
    if (event.key === 'e') {
      actions.startEdit(note);
      return true;
    }
    if (event.key === 'Delete' || event.key === 'Backspace') {
      remove(note);
      return true;
    }
    return false;
  }

  const undoNote = undo ? notes.byId.get(undo) : undefined;

  return (
    <section className="notes" aria-label="Notes">
      {!streaming && (
        <p className="hint" role="note">
          Live updates are off for your account: the list is read again every{' '}
          {POLL_INTERVAL_MS / 1000} seconds.
        </p>
      )}
      {!readOnly && (
        <NewNote videoId={videoId} onSubmit={create} disabled={false} returned={returned} />
      )}
      {creating.length > 0 && (
        <ul className="waiting-list" aria-label="Notes waiting to be sent">
          {creating.map((write) => (
            <li key={write.key} className="note note-pending">
              <span className="note-waiting">Waiting</span>{' '}
              {formatMediaTime(write.timestampSeconds)} — {write.text}
            </li>
          ))}
        </ul>
      )}
      {refusedCreates.map((refused) => (
        <div key={refused.key} className="notice notice-error" role="alert">
          <p>
            “{refused.text}” was not saved: {refused.message}
          </p>
          <button
            type="button"
            className="button subtle"
            onClick={() =>
              setRefusedCreates((list) => list.filter((item) => item.key !== refused.key))
            }
          >
            Dismiss
          </button>
        </div>
      ))}
      <NoteFilters filter={filter} onChange={setFilter} />
      {undoNote && (
        <div className="undo-bar" role="status">
          <span>Note at {formatMediaTime(undoNote.timestampSeconds)} deleted.</span>
          <button type="button" className="button" onClick={() => restore(undoNote.id)}>
            Undo
          </button>
          <button type="button" className="button subtle" onClick={() => setUndo(null)}>
            Dismiss
          </button>
        </div>
      )}
      {error && (
        <ErrorState title="The notes could not be loaded" message={error} onRetry={retry} />
      )}
      {!loaded && !error ? (
        <LoadingState label="Loading the notes" />
      ) : shown.length === 0 && loaded ? (
        <div className="state state-empty" role="status">
          {isFiltering(filter) ? (
            <>
              <p>No note matches the filters.</p>
              <button type="button" className="button" onClick={() => setFilter(DEFAULT_FILTER)}>
                Clear filters
              </button>
            </>
          ) : (
            <p>
              {readOnly
                ? 'No notes on this video yet.'
                : 'No notes on this video yet. Type one above, or speak while it plays.'}
            </p>
          )}
        </div>
      ) : (
        // j / k (or arrows) move between notes' time buttons, e edits, Delete or Backspace
        // deletes, Enter on a time seeks.
        <VirtualNoteList
          ref={list}
          items={shown}
          pinned={pinned}
          estimatedRowHeight={ESTIMATED_ROW}
          label="Notes in video order (j and k move, e edits, Delete deletes)"
          onItemKey={onNoteKey}
          renderItem={(note) => (
            <NoteItem
              note={note}
              actions={actions}
              editing={editing?.noteId === note.id ? editing : null}
              waiting={waiting.has(note.id)}
              problem={problems.get(note.id) ?? null}
              readOnly={readOnly}
            />
          )}
        />
      )}
    </section>
  );
}
