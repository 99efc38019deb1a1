// A video's notes for the panel: the list `notes(...)` page by page, then `noteEvents` from
// the offset the list was read at, both merged by version; the way in is the one the worker's
// markers use too (`followVideoNotes`, src/shared/videoNotes.ts, which says how a list and its
// stream meet). With the `server_notes_channel` flag off there is no stream: the list is read
// again every few seconds, and whenever the connection comes back.
//
// The stream is a `resume` operation: when the worker's socket comes back the worker sends it
// again after the last offset the panel was given, and when the worker itself restarts, the
// panel's client sends it after the panel's own offset (the list's, until an event came);
// either way the server replays what was missed and nothing is read again. Refused (the offset
// is past the server's retention), the list is read again and followed from its new offset.

import { print } from 'graphql';
import { useCallback, useEffect, useRef, useState } from 'react';

import type { PanelClient } from '@/ui/client';
import { followVideoNotes, type NotesTransport } from '@/shared/videoNotes';

import { EMPTY_NOTES, type Note, type NoteSet } from './note';
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

export function useNotes(
  client: PanelClient,
  videoId: string,
  { streaming, connected }: { streaming: boolean; connected: boolean },
): NotesLoad {
  const [notes, setNotes] = useState<NoteSet>(EMPTY_NOTES);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  /** The notes as last merged: a feed started again (retry, polling back) goes on from them. */
  const held = useRef<NoteSet>(EMPTY_NOTES);
  // Offline the worker cannot run operations, so nothing starts before the first connection.
  // After it, a stream outlives the drops (the worker keeps it and resumes it); a polled list
  // stops while offline and is read again when back.
  const [everConnected, setEverConnected] = useState(connected);
  if (connected && !everConnected) setEverConnected(true);
  const running = streaming ? everConnected : connected;

  useEffect(() => {
    if (!running) return;
    const transport: NotesTransport = {
      read: (operation) => client.query(operation),
      follow: (operation, sink) => client.subscribe(operation, sink, { resume: true }),
    };
    const feed = followVideoNotes<Note>({
      transport,
      page: (after) => ({ query: NOTES_QUERY, variables: { videoId, first: PAGE_SIZE, after } }),
      events: (since) => ({ query: EVENTS_QUERY, variables: { videoId, since } }),
      streaming,
      pollMs: POLL_INTERVAL_MS,
      initial: held.current,
      changed: (set) => {
        held.current = set;
        setNotes(set);
      },
      listed: () => {
        setLoaded(true);
        setError(null);
      },
      failed: (_what, message) => setError(message),
    });
    return () => feed.stop();
  }, [client, videoId, streaming, running, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { notes, loaded, error, retry };
}
