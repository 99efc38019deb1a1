// A video's notes for the panel: `noteEvents` first, then every page of `notes(...)`, both
// merged by version (@lossy/common/notes), so nothing published between the two is lost. With the
// `server_notes_channel` flag off there is no stream: the list is read again every few
// seconds. Each time the connection comes back, the pages are read again (whatever changed
// meanwhile comes back with a higher version, deletions with `deletedAt`).

import { applyEvent, upsertNotes } from '@lossy/common/notes';
import { print } from 'graphql';
import { useCallback, useEffect, useState } from 'react';

import type { PanelClient } from '@/ui/client';
import type { GraphqlResult } from '@/shared/messages';
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

  useEffect(() => {
    // Offline the worker cannot run operations; the notes held stay on screen meanwhile.
    if (!connected) return;
    let live = true;

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
    let timer: ReturnType<typeof setInterval> | null = null;
    if (streaming) {
      stop = client.subscribe(
        { query: EVENTS_QUERY, variables: { videoId } },
        {
          next(result) {
            const event = (result.data as PanelNoteEventsSubscription | null | undefined)
              ?.noteEvents;
            if (event) setNotes((set) => applyEvent(set, event, new Date().toISOString()));
            else setError(firstError(result) ?? 'The live notes stopped.');
          },
          error: (message) => setError(message),
        },
      );
    } else {
      timer = setInterval(read, POLL_INTERVAL_MS);
    }
    read();
    return () => {
      live = false;
      stop();
      if (timer !== null) clearInterval(timer);
    };
  }, [client, videoId, streaming, connected, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { notes, loaded, error, retry };
}
