import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import {
  applyEvent,
  HIDDEN_STATUSES,
  LISTED_STATUSES,
  refusesResume,
  upsertNotes,
} from '@lossy/common/notes';

import type {
  NoteCategory,
  NoteFilterInput,
  NoteStatus,
  NoteSummaryFieldsFragment,
} from '@/gql/graphql';
import { serverError, type ServerError } from '@/lib/graphql/errors';
import { useOnConnected } from '@/lib/graphql/provider';

import {
  CreateNoteDocument,
  DeleteNoteDocument,
  NoteDocument,
  NoteEventsDocument,
  NotesPageDocument,
  RestoreNoteDocument,
  UpdateNoteDocument,
} from './api';

import { EMPTY_NOTES, type Note, type NoteEvent, type NoteSet } from './note';

// How the page holds a video's notes, for 10,000 of them as for 10:
//
// - It reads every note of the video (every status, deleted ones too) page by page with the
//   connection's cursors, in the background, 100 at a time (the server's largest page): the
//   first page shows at once, the rest follow while the reader works. Filters then apply in
//   the browser over the whole list (`filter.ts`), so changing one answers at once and never
//   refetches; the list is virtualised, so only the rows on screen are in the DOM.
// - `noteEvents` and the answers to our own mutations merge into the same set by version
//   (`merge.ts`), so events and answers can arrive in any order.
// - The hook keeps the offset of the last event it applied (PROTOCOL.md section 6.1). When
//   the socket comes back, it subscribes again with `since` set to it: the server replays
//   what was missed, and nothing is read again. graphql-ws would resend the subscription as
//   it first started (without that `since`), so the hook replaces it the moment the socket is
//   acknowledged, before that resend.
// - Until an event is applied, the offset is the one the first page was read at
//   (`notes { offset }`), so a view that saw no change still resumes instead of reading again.
// - Without an offset (the socket's first connection, before any page) the walk
//   starts again from the first page instead: whatever changed meanwhile comes back with a
//   higher version, and deletions with `deletedAt` (deleted notes are part of the walk). On a
//   first visit this costs at most the page read before the socket was up. The same happens
//   when the server cannot resume from the offset (past its retention): read again, then
//   follow without `since`.

/** Everything the server keeps for the video; the browser filters. */
const EVERY_NOTE: NoteFilterInput = {
  statuses: [...LISTED_STATUSES, ...HIDDEN_STATUSES],
  includeSuppressed: true,
  includeDeleted: true,
};
const PAGE_SIZE = 100;

export type NoteSummary = NoteSummaryFieldsFragment;

export interface NotesLoad {
  /** The first page has answered. */
  started: boolean;
  /** Every page has answered. */
  complete: boolean;
  /** Notes of the video the walk will read in all (deleted ones included). */
  total: number | null;
  /** Why the last page failed; `retry` goes on from there. */
  error: ServerError | null;
}

export type MutationResult =
  { note: Note; error?: undefined } | { note?: undefined; error: ServerError };

export interface VideoNotes {
  notes: NoteSet;
  summary: NoteSummary | null;
  load: NotesLoad;
  retry: () => void;
  create: (input: {
    text: string;
    category: NoteCategory | null;
    timestampSeconds: number;
  }) => Promise<MutationResult>;
  update: (
    id: string,
    version: number,
    change: { text?: string; category?: NoteCategory; status?: NoteStatus },
  ) => Promise<MutationResult>;
  remove: (id: string) => Promise<MutationResult>;
  restore: (id: string) => Promise<MutationResult>;
  /** Reads the note as the server has it now (after a conflict) and merges it. */
  refresh: (id: string) => Promise<MutationResult>;
}

const NOT_STARTED: NotesLoad = { started: false, complete: false, total: null, error: null };

export function useVideoNotes(videoId: string): VideoNotes {
  const client = useClient();
  const [notes, setNotes] = useState<NoteSet>(EMPTY_NOTES);
  const [summary, setSummary] = useState<NoteSummary | null>(null);
  const [load, setLoad] = useState<NotesLoad>(NOT_STARTED);
  // The set as last merged, for merges that follow one another before React renders.
  const current = useRef<NoteSet>(EMPTY_NOTES);
  const merge = useCallback((change: (set: NoteSet) => NoteSet) => {
    const next = change(current.current);
    if (next === current.current) return;
    current.current = next;
    setNotes(next);
  }, []);

  // Another video: start from nothing (state adjusted during render, as React recommends).
  const [shownVideo, setShownVideo] = useState(videoId);
  if (shownVideo !== videoId) {
    setShownVideo(videoId);
    current.current = EMPTY_NOTES;
    setNotes(EMPTY_NOTES);
    setSummary(null);
    setLoad(NOT_STARTED);
  }

  /** Bumped by every walk; a walk whose number is no longer current stops. */
  /** The offset of the last event applied: where the stream resumes. Null: none yet. */
  const lastOffset = useRef<string | null>(null);
  const walkNumber = useRef(0);
  const resumeAfter = useRef<string | null>(null);
  const walk = useCallback(
    (from: string | null) => {
      const number = ++walkNumber.current;
      void (async () => {
        let after = from;
        let pageSize = PAGE_SIZE;
        for (;;) {
          const answer = await client
            .query(
              NotesPageDocument,
              { videoId, first: pageSize, after, filter: EVERY_NOTE, withSummary: after === null },
              { requestPolicy: 'network-only' },
            )
            .toPromise();
          if (number !== walkNumber.current) return;
          if (!answer.data) {
            const error = answer.error
              ? serverError(answer.error)
              : { code: 'INTERNAL', message: 'The server sent no notes.', field: null };
            // A server configured with smaller pages says so; ask for smaller ones.
            if (error.code === 'BAD_USER_INPUT' && error.field === 'first' && pageSize > 1) {
              pageSize = Math.max(1, Math.floor(pageSize / 2));
              continue;
            }
            resumeAfter.current = after;
            setLoad((load) => ({ ...load, error }));
            return;
          }
          const page = answer.data.notes;
          // No event applied yet: the stream resumes from where the list was read (the first
          // page's offset is the earliest, so nothing after it is missed).
          if (after === null && lastOffset.current === null) lastOffset.current = page.offset;
          merge((set) => upsertNotes(set, page.nodes, 'page'));
          if (answer.data.video) setSummary(answer.data.video.noteSummary);
          const next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
          setLoad({ started: true, complete: next === null, total: page.totalCount, error: null });
          if (next === null) return;
          after = next;
        }
      })();
    },
    [client, videoId, merge],
  );

  const retry = useCallback(() => {
    walk(resumeAfter.current);
  }, [walk]);

  // A read of one note, as the server has it now: merged as a live source.
  const refresh = useCallback(
    async (id: string): Promise<MutationResult> => {
      const answer = await client
        .query(NoteDocument, { id }, { requestPolicy: 'network-only' })
        .toPromise();
      if (!answer.data) return { error: failure(answer.error) };
      const note = answer.data.note;
      merge((set) => upsertNotes(set, [note]));
      return { note };
    },
    [client, merge],
  );

  const stopEvents = useRef<(() => void) | null>(null);
  /** Bumped by every (re)subscription; results of a replaced one are dropped. */
  const followNumber = useRef(0);

  /** (Re)starts the video's `noteEvents`, after `since` when given. */
  const follow = useCallback(
    function follow(since: string | null) {
      stopEvents.current?.();
      const number = ++followNumber.current;
      const variables = since === null ? { videoId } : { videoId, since };
      const subscription = client
        .subscription(NoteEventsDocument, variables)
        .subscribe((result) => {
          if (number !== followNumber.current) return;
          if (result.error) {
            // Expected when the socket was away for longer than the server keeps events: read
            // the list again and follow from now, with the normal loading and no error shown.
            if (since !== null && refusesResume(serverError(result.error).code)) {
              lastOffset.current = null;
              follow(null);
              walk(null);
            }
            return;
          }
          if (!result.data) return;
          const event: NoteEvent = result.data.noteEvents;
          lastOffset.current = event.offset;
          if (event.__typename === 'VideoSummaryUpdated') {
            setSummary({
              totalCount: event.totalCount,
              countsByCategory: event.countsByCategory,
              countsByStatus: event.countsByStatus,
            });
            return;
          }
          const unknown =
            event.__typename === 'NoteDeleted' && !current.current.byId.has(event.noteId);
          merge((set) => applyEvent(set, event, new Date().toISOString()));
          // A deletion of a note whose page has not loaded: learn its real state.
          if (unknown) void refresh(event.noteId);
        });
      stopEvents.current = () => {
        subscription.unsubscribe();
      };
    },
    [client, videoId, merge, refresh, walk],
  );

  // Subscribed before the first page is asked for, so nothing published between the two is
  // missed (the version merge makes the overlap harmless).
  useEffect(() => {
    lastOffset.current = null;
    follow(null);
    return () => {
      followNumber.current += 1;
      stopEvents.current?.();
      stopEvents.current = null;
    };
  }, [follow]);

  useEffect(() => {
    walk(null);
    return () => {
      walkNumber.current += 1;
    };
  }, [walk]);

  // The socket (re)connected. This runs as the socket is acknowledged, before graphql-ws
  // sends the old subscription again as it first started: replace it by one that resumes
  // from the last offset, or, with none to resume from, read the pages again.
  useOnConnected(() => {
    if (lastOffset.current !== null) follow(lastOffset.current);
    else walk(null);
  });

  const answer = useCallback(
    (note: Note | undefined, error: Parameters<typeof failure>[0]): MutationResult => {
      if (!note) return { error: failure(error) };
      merge((set) => upsertNotes(set, [note]));
      return { note };
    },
    [merge],
  );

  const create = useCallback<VideoNotes['create']>(
    async ({ text, category, timestampSeconds }) => {
      const result = await client
        .mutation(CreateNoteDocument, { input: { videoId, text, category, timestampSeconds } })
        .toPromise();
      return answer(result.data?.createNote, result.error);
    },
    [client, videoId, answer],
  );

  const update = useCallback<VideoNotes['update']>(
    async (id, version, change) => {
      const result = await client
        .mutation(UpdateNoteDocument, { input: { id, version, ...change } })
        .toPromise();
      return answer(result.data?.updateNote, result.error);
    },
    [client, answer],
  );

  const remove = useCallback<VideoNotes['remove']>(
    async (id) => {
      const result = await client.mutation(DeleteNoteDocument, { id }).toPromise();
      return answer(result.data?.deleteNote, result.error);
    },
    [client, answer],
  );

  const restore = useCallback<VideoNotes['restore']>(
    async (id) => {
      const result = await client.mutation(RestoreNoteDocument, { id }).toPromise();
      return answer(result.data?.restoreNote, result.error);
    },
    [client, answer],
  );

  return { notes, summary, load, retry, create, update, remove, restore, refresh };
}

function failure(error: Parameters<typeof serverError>[0] | undefined): ServerError {
  return error
    ? serverError(error)
    : { code: 'INTERNAL', message: 'The server sent no answer.', field: null };
}
