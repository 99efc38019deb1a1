// A video's notes for the panel: `noteEvents` first, then every page of `notes(...)`, both
// merged by version (@lossy/common/notes), so nothing published between the two is lost. With
// the `server_notes_channel` flag off there is no stream: the list is read again every few
// seconds, and whenever the connection comes back.
//
// The stream keeps the offset of the last event applied (PROTOCOL.md section 6.1) and is
// marked `resume`: when the worker's socket comes back, the worker sends it again after that
// offset, and when the worker itself restarts, the panel's client does; either way the server
// replays what was missed and nothing is read again. Sent again from now (no event applied
// yet) or refused (the offset is past the server's retention), the stream is followed from
// now and the pages are read again, which merge into what is shown.

import { EVENTS_EXPIRED, applyEvent, refusesResume, upsertNotes } from '@lossy/common/notes';
import { print } from 'graphql';
import { useCallback, useEffect, useState } from 'react';

import type { PanelClient } from '@/ui/client';
import type { GraphqlResult } from '@/shared/messages';
import { errorCode } from '@/shared/stream';
import type { PanelNoteEventsSubscription, PanelNotesQuery } from '@/gql/graphql';

import { EMPTY_NOTES, type NoteSet } from './note';
import { PanelNoteEventsDocument, PanelNotesDocument } from './operations';

export const POLL_INTERVAL_MS = 5000;
const PAGE_SIZE = 100;

const NOTES_QUERY = print(PanelNotesDocument);
const EVENTS_QUERY = print(PanelNoteEventsDocument);

export interface NotesLoad {
  notes: NoteSet;
  /** The first page has answered. */
  loaded: boolean;
  error: string | null;
  retry: () => void;
}

function firstError(result: GraphqlResult): string | null {
  return result.errors?.[0]?.message ?? null;
}

export function useNotes(
  client: PanelClient,
  videoId: string,
  { streaming, connected }: { streaming: boolean; connected: boolean },
): NotesLoad {
  const [notes, setNotes] = useState<NoteSet>(EMPTY_NOTES);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  // Offline the worker cannot run operations, so nothing starts before the first connection.
  // After it, a stream outlives the drops (the worker keeps it and resumes it); a polled list
  // stops while offline and is read again when back.
  const [everConnected, setEverConnected] = useState(connected);
  if (connected && !everConnected) setEverConnected(true);
  const running = streaming ? everConnected : connected;

  useEffect(() => {
    if (!running) return;
    let live = true;
    /** The offset of the last event applied; null: none yet. */
    let offset: string | null = null;

    async function readPages() {
      let after: string | null = null;
      for (;;) {
        const result = await client.query({
          query: NOTES_QUERY,
          variables: { videoId, first: PAGE_SIZE, after },
        });
        if (!live) return;
        const message = firstError(result);
        const page = (result.data as PanelNotesQuery | null | undefined)?.notes;
        if (message !== null || !page) {
          setError(message ?? 'The server answered without notes.');
          return;
        }
        setNotes((set) => upsertNotes(set, page.nodes));
        setLoaded(true);
        setError(null);
        if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === null) return;
        after = page.pageInfo.endCursor;
      }
    }

    function read() {
      readPages().catch((reason: unknown) => {
        if (live) setError(reason instanceof Error ? reason.message : String(reason));
      });
    }

    let stop = () => {};

    /** The server cannot resume from the offset: expected after a long time away. */
    function refusedResume(errors: GraphqlResult['errors']): boolean {
      const code = errorCode(errors);
      return code === EVENTS_EXPIRED || (offset !== null && refusesResume(code));
    }

    function follow() {
      stop = client.subscribe(
        () => ({
          query: EVENTS_QUERY,
          variables: offset === null ? { videoId } : { videoId, since: offset },
        }),
        {
          next(result) {
            const event = (result.data as PanelNoteEventsSubscription | null | undefined)
              ?.noteEvents;
            if (event) {
              offset = event.offset;
              setNotes((set) => applyEvent(set, event, new Date().toISOString()));
            } else if (refusedResume(result.errors)) {
              startOver();
            } else {
              setError(firstError(result) ?? 'The live notes stopped.');
            }
          },
          error(message, errors) {
            if (refusedResume(errors)) startOver();
            else setError(message);
          },
          restarted(since) {
            if (since === null) read();
          },
        },
        { resume: true },
      );
    }

    function startOver() {
      if (!live) return;
      stop();
      offset = null;
      follow();
      read();
    }

    let timer: ReturnType<typeof setInterval> | null = null;
    if (streaming) follow();
    else timer = setInterval(read, POLL_INTERVAL_MS);
    read();
    return () => {
      live = false;
      stop();
      if (timer !== null) clearInterval(timer);
    };
  }, [client, videoId, streaming, running, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { notes, loaded, error, retry };
}
