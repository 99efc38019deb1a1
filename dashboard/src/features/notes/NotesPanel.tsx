import { DEFAULT_FILTER, isFiltering, visibleNotes, type NoteFilter } from '@lossy/common/notes';
import { EmptyState, ErrorState, LoadingState } from '@lossy/common/ui';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import type { Note } from './note';
import { NewNoteForm } from './NewNoteForm';
import { NoteFilters } from './NoteFilters';
import type { NoteActions } from './NoteItem';
import { NoteList } from './NoteList';
import { IDLE, patchUi, pinnedIds, type NoteUiMap } from './noteUi';
import { UndoBar, type Deletion } from './UndoBar';
import type { MutationResult, VideoNotes } from './useVideoNotes';
import './notes.css';

const DELETED_ELSEWHERE = 'This note was deleted elsewhere (another tab or device).';

/**
 * The video's notes: the typed-note form, the filters, the list and its actions. The player
 * lives elsewhere: `onSeek` and `currentTime` connect the two (the route wires them).
 */
export function NotesPanel({
  videoId,
  notes: source,
  onSeek,
  currentTime,
  opensExternally,
}: {
  videoId: string;
  notes: VideoNotes;
  onSeek: (seconds: number) => void;
  currentTime: () => number | null;
  /** Choosing a note's time opens the platform in a new tab (no player on the page). */
  opensExternally: boolean;
}) {
  const [filter, setFilter] = useState<NoteFilter>(DEFAULT_FILTER);
  const [ui, setUi] = useState<NoteUiMap>(new Map());
  const [deletions, setDeletions] = useState<Deletion[]>([]);
  // Latest state for handlers that run after an await.
  const uiRef = useRef(ui);
  useEffect(() => {
    uiRef.current = ui;
  }, [ui]);

  const patch = useCallback((id: string, change: Parameters<typeof patchUi>[2]) => {
    setUi((map) => patchUi(map, id, change));
  }, []);

  const { notes, load, summary, update, remove, restore, refresh } = source;
  const pinned = useMemo(() => pinnedIds(ui), [ui]);
  const shown = useMemo(() => visibleNotes(notes.sorted, filter, pinned), [notes, filter, pinned]);

  /** After an action failed: the server's message, and the note as it is now when it moved on. */
  const failed = useCallback(
    async (note: Note, error: NonNullable<MutationResult['error']>) => {
      if (error.code === 'NOTE_DELETED') {
        await refresh(note.id);
        patch(note.id, { busy: false, error: DELETED_ELSEWHERE, errorField: null });
        return null;
      }
      if (error.code === 'CONFLICT') {
        const newer = await refresh(note.id);
        patch(note.id, {
          busy: false,
          error: `${error.message}${newer.note ? '' : ` (${newer.error.message})`}`,
          errorField: null,
        });
        return newer.note ?? null;
      }
      patch(note.id, { busy: false, error: error.message, errorField: error.field });
      return null;
    },
    [patch, refresh],
  );

  const setStatus = useCallback(
    async (note: Note, status: 'FIRMED' | 'RESOLVED') => {
      patch(note.id, { busy: true, error: null });
      const result = await update(note.id, note.version, { status });
      if (result.error) await failed(note, result.error);
      else patch(note.id, { busy: false });
    },
    [patch, update, failed],
  );

  const undo = useCallback(
    async (noteId: string) => {
      setDeletions((list) =>
        list.map((d) => (d.noteId === noteId ? { ...d, busy: true, error: null } : d)),
      );
      const result = await restore(noteId);
      if (result.error) {
        const message = result.error.message;
        setDeletions((list) =>
          list.map((d) => (d.noteId === noteId ? { ...d, busy: false, error: message } : d)),
        );
      } else {
        setDeletions((list) => list.filter((d) => d.noteId !== noteId));
      }
    },
    [restore],
  );

  const expire = useCallback((noteId: string) => {
    setDeletions((list) => list.filter((d) => d.noteId !== noteId));
  }, []);

  const actions = useMemo<NoteActions>(
    () => ({
      seek: (note) => onSeek(note.timestampSeconds),
      startEdit: (note) =>
        patch(note.id, {
          edit: {
            text: note.text,
            category: note.category,
            baseVersion: note.version,
            conflict: null,
          },
          error: null,
          errorField: null,
        }),
      changeDraft: (note, change) => {
        setUi((map) => {
          const edit = map.get(note.id)?.edit;
          return edit ? patchUi(map, note.id, { edit: { ...edit, ...change } }) : map;
        });
      },
      saveEdit: (note, overwrite = false) => {
        const state = uiRef.current.get(note.id) ?? IDLE;
        const edit = state.edit;
        if (!edit || state.busy) return;
        const text = edit.text.trim();
        if (!text) {
          patch(note.id, { error: 'A note needs some text.', errorField: 'text' });
          return;
        }
        const version = overwrite && edit.conflict ? edit.conflict.version : edit.baseVersion;
        patch(note.id, { busy: true });
        void (async () => {
          const result = await update(note.id, version, { text, category: edit.category });
          if (!result.error) {
            patch(note.id, { busy: false, edit: null, error: null, errorField: null });
            return;
          }
          // The draft stays open; after a conflict the newer note is shown beside it.
          const newer = await failed(note, result.error);
          if (result.error.code === 'CONFLICT') {
            const current = uiRef.current.get(note.id)?.edit ?? edit;
            patch(note.id, { edit: { ...current, conflict: newer } });
          }
        })();
      },
      cancelEdit: (note) => patch(note.id, { edit: null, error: null, errorField: null }),
      keep: (note) => void setStatus(note, 'FIRMED'),
      resolve: (note) => void setStatus(note, 'RESOLVED'),
      remove: (note) => {
        patch(note.id, { busy: true, error: null });
        void (async () => {
          const result = await remove(note.id);
          if (result.error) {
            await failed(note, result.error);
            return;
          }
          patch(note.id, { busy: false });
          setDeletions((list) => [
            ...list.filter((d) => d.noteId !== note.id),
            {
              noteId: note.id,
              timestampSeconds: note.timestampSeconds,
              text: note.text,
              error: null,
              busy: false,
            },
          ]);
        })();
      },
      restore: (note) => {
        patch(note.id, { busy: true, error: null });
        void (async () => {
          const result = await restore(note.id);
          if (result.error) patch(note.id, { busy: false, error: result.error.message });
          else patch(note.id, { busy: false });
        })();
      },
      toggleExpanded: (note) => {
        setUi((map) => patchUi(map, note.id, { expanded: !(map.get(note.id)?.expanded ?? false) }));
      },
      dismissError: (note) => patch(note.id, { error: null, errorField: null }),
    }),
    [onSeek, patch, update, remove, restore, failed, setStatus],
  );

  let body;
  if (!load.started) {
    body = load.error ? (
      <ErrorState
        title="The notes could not be loaded"
        message={load.error.message}
        onRetry={source.retry}
      />
    ) : (
      <LoadingState label="Loading notes" />
    );
  } else if (shown.length === 0 && !isFiltering(filter)) {
    const hidden = notes.byId.size;
    body = (
      <EmptyState title="No notes yet">
        <p>
          Notes you speak while watching with the Lossy extension appear here as you say them. To
          write one now, use the form above: it takes the player&rsquo;s position.
        </p>
        {hidden > 0 && (
          <p>
            {hidden === 1 ? '1 note is' : `${hidden.toLocaleString()} notes are`} hidden
            (suppressed, cancelled or deleted); the filters can show them.
          </p>
        )}
      </EmptyState>
    );
  } else if (shown.length === 0) {
    body = (
      <EmptyState title="No notes match these filters">
        <button type="button" className="button" onClick={() => setFilter(DEFAULT_FILTER)}>
          Clear filters
        </button>
      </EmptyState>
    );
  } else {
    body = <NoteList notes={shown} ui={ui} actions={actions} opensExternally={opensExternally} />;
  }

  const loading =
    load.started && !load.complete && load.total !== null && notes.byId.size < load.total;
  return (
    <section className="notes-panel" aria-labelledby="notes-heading">
      <div className="notes-heading-row">
        <h2 id="notes-heading">Notes</h2>
        {load.started && (
          <span className="hint" data-testid="notes-shown">
            {isFiltering(filter)
              ? `${shown.length.toLocaleString()} shown`
              : `${shown.length.toLocaleString()} ${shown.length === 1 ? 'note' : 'notes'}`}
            {summary && isFiltering(filter) ? ` of ${summary.totalCount.toLocaleString()}` : ''}
          </span>
        )}
      </div>
      <NewNoteForm videoId={videoId} currentTime={currentTime} create={source.create} />
      <NoteFilters filter={filter} onChange={setFilter} />
      <div role="status" className="notes-progress hint">
        {loading && load.total !== null
          ? `Loading notes… ${notes.byId.size.toLocaleString()} of ${load.total.toLocaleString()}`
          : ''}
      </div>
      {load.started && load.error && (
        <div className="notice notice-error" role="alert">
          Some notes could not be loaded: {load.error.message}{' '}
          <button type="button" className="button" onClick={source.retry}>
            Try again
          </button>
        </div>
      )}
      {body}
      <UndoBar deletions={deletions} onUndo={(id) => void undo(id)} onExpire={expire} />
    </section>
  );
}
