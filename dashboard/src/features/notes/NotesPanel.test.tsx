import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { vi } from 'vitest';

import type { Note } from './note';
import { NotesPanel } from './NotesPanel';
import { makeNote } from './testNotes';
import { FakeNotesServer } from './testServer';
import { useVideoNotes } from './useVideoNotes';

// The socket's (re)connections come from the app's client provider; here a test says when the
// socket is back (`socketBack`), as graphql-ws's `connected` event would.
const socket = vi.hoisted(() => ({ onConnected: null as (() => void) | null }));
vi.mock('@/lib/graphql/provider', () => ({
  useOnConnected: (callback: () => void) => {
    socket.onConnected = callback;
  },
}));

function socketBack(server: FakeNotesServer) {
  act(() => {
    server.reconnect();
    socket.onConnected?.();
  });
}

function Page({
  onSeek,
  currentTime,
}: {
  onSeek: (s: number) => void;
  currentTime: () => number | null;
}) {
  const notes = useVideoNotes('video-1');
  return (
    <NotesPanel
      videoId="video-1"
      notes={notes}
      onSeek={onSeek}
      currentTime={currentTime}
      opensExternally={false}
    />
  );
}

function renderPanel(
  notes: Note[],
  options: { currentTime?: number | null; pageSize?: number } = {},
) {
  const server = new FakeNotesServer(notes);
  if (options.pageSize) server.pageSize = options.pageSize;
  const onSeek = vi.fn();
  const currentTime = vi.fn(() => (options.currentTime === undefined ? 42 : options.currentTime));
  render(
    <Provider value={server.client}>
      <Page onSeek={onSeek} currentTime={currentTime} />
    </Provider>,
  );
  return { server, onSeek, currentTime, user: userEvent.setup() };
}

/** The notes' texts as listed, top to bottom. */
function listed(): string[] {
  return screen
    .queryAllByRole('article')
    .map((article) => article.querySelector('.note-text')?.textContent ?? '');
}

function noteAt(time: string): HTMLElement {
  return screen.getByRole('article', { name: `Note at ${time}` });
}

// jsdom lays nothing out: give the list's scroller a height so the virtualiser draws rows.
beforeAll(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(2000);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(800);
});

afterAll(() => {
  vi.restoreAllMocks();
});

beforeEach(() => {
  window.localStorage.clear();
});

describe('NotesPanel', () => {
  it('lists every page of notes in time order, each with its time, category, confidence and status', async () => {
    const { server } = renderPanel(
      [
        makeNote({ text: 'third', timestampSeconds: 3725 }),
        makeNote({ text: 'first', timestampSeconds: 5, category: 'AUDIO', confidence: 0.87 }),
        makeNote({ text: 'second', timestampSeconds: 75 }),
      ],
      { pageSize: 1 },
    );
    await waitFor(() => expect(listed()).toEqual(['first', 'second', 'third']));
    expect(server.callsOf('NotesPage').length).toBeGreaterThanOrEqual(3);
    const first = noteAt('0:05');
    expect(within(first).getByRole('button', { name: 'Play from 0:05' })).toBeInTheDocument();
    expect(first).toHaveTextContent('Audio');
    expect(first).toHaveTextContent('87%');
    expect(first).toHaveTextContent('New');
    expect(screen.getByRole('button', { name: 'Play from 1:02:05' })).toBeInTheDocument();
  });

  it('seeks the player from a note’s time', async () => {
    const { onSeek, user } = renderPanel([makeNote({ text: 'cut', timestampSeconds: 12.5 })]);
    await user.click(await screen.findByRole('button', { name: 'Play from 0:12' }));
    expect(onSeek).toHaveBeenCalledWith(12.5);
  });

  it('explains where notes come from when there are none', async () => {
    renderPanel([]);
    expect(await screen.findByRole('heading', { name: 'No notes yet' })).toBeInTheDocument();
    expect(screen.getByText(/appear here as you say them/)).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Note' })).toBeInTheDocument();
  });

  it('says when the only notes are hidden, rather than blaming the filters', async () => {
    renderPanel([
      makeNote({ status: 'SUPPRESSED' }),
      makeNote({ deletedAt: '2026-12-01T00:00:00Z' }),
    ]);
    expect(await screen.findByRole('heading', { name: 'No notes yet' })).toBeInTheDocument();
    expect(screen.getByText(/2 notes are hidden/)).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'No notes match these filters' })).toBeNull();
  });

  it('offers to retry when the notes cannot be loaded', async () => {
    const server = new FakeNotesServer([makeNote({ text: 'back again' })]);
    server.refuseNext.set('NotesPage', { code: 'INTERNAL', message: 'database unavailable' });
    render(
      <Provider value={server.client}>
        <Page onSeek={vi.fn()} currentTime={() => 0} />
      </Provider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('database unavailable');
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(listed()).toEqual(['back again']));
  });

  describe('live updates, merged by version', () => {
    it('adds created notes in time order and applies newer versions only', async () => {
      const note = makeNote({ text: 'original', timestampSeconds: 10, version: 2 });
      const { server } = renderPanel([note, makeNote({ text: 'later', timestampSeconds: 60 })]);
      await waitFor(() => expect(listed()).toEqual(['original', 'later']));

      act(() => {
        server.emit({
          __typename: 'NoteCreated',
          note: makeNote({ text: 'between', timestampSeconds: 30 }),
        });
      });
      await waitFor(() => expect(listed()).toEqual(['original', 'between', 'later']));

      act(() => {
        server.emit({ __typename: 'NoteUpdated', note: { ...note, text: 'newer', version: 3 } });
      });
      await waitFor(() => expect(listed()).toEqual(['newer', 'between', 'later']));

      // A late event of an older version changes nothing.
      act(() => {
        server.emit({ __typename: 'NoteUpdated', note: { ...note, text: 'stale', version: 2 } });
      });
      await act(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
      });
      expect(listed()).toEqual(['newer', 'between', 'later']);
    });

    it('removes deleted notes, and a stale update does not bring them back', async () => {
      const note = makeNote({ text: 'doomed', timestampSeconds: 10, version: 1 });
      const { server } = renderPanel([note, makeNote({ text: 'stays', timestampSeconds: 20 })]);
      await waitFor(() => expect(listed()).toEqual(['doomed', 'stays']));
      act(() => {
        server.emit({ __typename: 'NoteDeleted', noteId: note.id, videoId: note.videoId });
        server.emit({ __typename: 'NoteUpdated', note: { ...note, text: 'stale', version: 1 } });
      });
      await waitFor(() => expect(listed()).toEqual(['stays']));
    });

    it('shows the video’s counts from the summary events', async () => {
      const { server } = renderPanel([makeNote({ text: 'one' })]);
      await waitFor(() => expect(listed()).toEqual(['one']));
      expect(screen.getByTestId('notes-shown')).toHaveTextContent('1 note');
      act(() => {
        server.emit({
          __typename: 'NoteCreated',
          note: makeNote({ text: 'two', timestampSeconds: 999 }),
        });
      });
      await waitFor(() => expect(screen.getByTestId('notes-shown')).toHaveTextContent('2 notes'));
    });
  });

  describe('when the socket comes back', () => {
    /** `NoteEvents` subscriptions asked for, with their `since` (undefined: none). */
    const sinces = (server: FakeNotesServer) =>
      server.callsOf('NoteEvents').map((call) => call.variables.since);

    it('resumes from the last offset applied, and reads no page again', async () => {
      const doomed = makeNote({ text: 'deleted meanwhile', timestampSeconds: 10 });
      const edited = makeNote({ text: 'before the edit', timestampSeconds: 20 });
      const { server } = renderPanel([doomed, edited]);
      await waitFor(() => expect(listed()).toEqual(['deleted meanwhile', 'before the edit']));
      act(() => {
        server.emit({
          __typename: 'NoteCreated',
          note: makeNote({ text: 'heard live', timestampSeconds: 30 }),
        });
      });
      await waitFor(() => expect(listed()).toContain('heard live'));
      const applied = server.lastOffset;
      const pagesRead = server.callsOf('NotesPage').length;

      act(() => {
        server.drop();
        server.add(makeNote({ text: 'made while away', timestampSeconds: 40 }));
        server.emit({ __typename: 'NoteDeleted', noteId: doomed.id, videoId: doomed.videoId });
        server.store({ ...edited, text: 'edited while away', version: 2 });
      });
      await act(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
      });
      expect(listed()).toEqual(['deleted meanwhile', 'before the edit', 'heard live']);

      socketBack(server);
      await waitFor(() =>
        expect(listed()).toEqual(['edited while away', 'heard live', 'made while away']),
      );
      expect(sinces(server)).toEqual([undefined, applied]);
      // Replaced, not added: one subscription runs.
      expect(server.subscribers).toBe(1);
      expect(server.callsOf('NotesPage')).toHaveLength(pagesRead);

      // The replayed events moved the offset on: the next return resumes after them.
      act(() => {
        server.drop();
        server.emit({
          __typename: 'NoteCreated',
          note: makeNote({ text: 'away again', timestampSeconds: 50 }),
        });
      });
      const replayedUpTo = server.log.at(-2)?.offset;
      socketBack(server);
      await waitFor(() => expect(listed()).toContain('away again'));
      expect(sinces(server)).toEqual([undefined, applied, replayedUpTo]);
      expect(server.callsOf('NotesPage')).toHaveLength(pagesRead);

      // Live events follow the resumed stream.
      act(() => {
        server.emit({
          __typename: 'NoteCreated',
          note: makeNote({ text: 'live after', timestampSeconds: 60 }),
        });
      });
      await waitFor(() => expect(listed()).toContain('live after'));
    });

    it('resumes from where its list was read when no event was applied yet', async () => {
      const { server } = renderPanel([makeNote({ text: 'there before' })]);
      await waitFor(() => expect(listed()).toEqual(['there before']));
      const pagesRead = server.callsOf('NotesPage').length;
      act(() => {
        server.drop();
        server.add(makeNote({ text: 'made while away', timestampSeconds: 999 }));
      });
      socketBack(server);
      await waitFor(() => expect(listed()).toEqual(['there before', 'made while away']));
      expect(server.callsOf('NotesPage')).toHaveLength(pagesRead);
      expect(sinces(server)).toEqual([undefined, 'offset-000000']);
    });

    it.each([
      ['past the server’s retention', 'EVENTS_EXPIRED'],
      ['that the server does not know', 'BAD_USER_INPUT'],
    ])(
      'with an offset %s, reads the list again and follows from now, with no error shown',
      async (_, code) => {
        const kept = makeNote({ text: 'kept', timestampSeconds: 10 });
        const { server } = renderPanel([kept]);
        await waitFor(() => expect(listed()).toEqual(['kept']));
        act(() => {
          server.store({ ...kept, text: 'kept and edited', version: 2 });
        });
        await waitFor(() => expect(listed()).toEqual(['kept and edited']));
        const applied = server.lastOffset;
        const pagesRead = server.callsOf('NotesPage').length;

        act(() => {
          server.drop();
          server.add(makeNote({ text: 'missed', timestampSeconds: 20 }));
          if (code === 'EVENTS_EXPIRED') server.expire();
          // The server forgot the stream the offset belongs to.
          else server.log.splice(0);
        });
        socketBack(server);
        await waitFor(() => expect(listed()).toEqual(['kept and edited', 'missed']));
        expect(sinces(server)).toEqual([undefined, applied, undefined]);
        expect(server.callsOf('NotesPage').length).toBeGreaterThan(pagesRead);
        expect(screen.queryByRole('alert')).toBeNull();
        expect(server.subscribers).toBe(1);

        // Followed from now: a new event arrives.
        act(() => {
          server.emit({
            __typename: 'NoteCreated',
            note: makeNote({ text: 'after the reload', timestampSeconds: 30 }),
          });
        });
        await waitFor(() => expect(listed()).toContain('after the reload'));
      },
    );
  });

  describe('filters', () => {
    it('filter by category, status, confidence, and reveal suppressed, cancelled and deleted notes', async () => {
      const { user } = renderPanel([
        makeNote({
          text: 'audio ghost',
          category: 'AUDIO',
          status: 'GHOST',
          confidence: 0.9,
          timestampSeconds: 1,
        }),
        makeNote({
          text: 'pacing kept',
          category: 'PACING',
          status: 'FIRMED',
          confidence: 0.5,
          timestampSeconds: 2,
        }),
        makeNote({
          text: 'hidden by gate',
          category: 'AUDIO',
          status: 'SUPPRESSED',
          confidence: 0.2,
          timestampSeconds: 3,
        }),
        makeNote({ text: 'scratched', status: 'CANCELLED', timestampSeconds: 4 }),
        makeNote({ text: 'gone', deletedAt: '2026-12-01T00:00:00Z', timestampSeconds: 5 }),
      ]);
      await waitFor(() => expect(listed()).toEqual(['audio ghost', 'pacing kept']));
      await user.click(screen.getByText('Filters'));

      await user.click(screen.getByRole('checkbox', { name: 'Audio' }));
      expect(listed()).toEqual(['audio ghost']);
      await user.click(screen.getByRole('checkbox', { name: 'Show suppressed' }));
      expect(listed()).toEqual(['audio ghost', 'hidden by gate']);
      await user.click(screen.getByRole('checkbox', { name: 'Audio' }));
      await user.click(screen.getByRole('checkbox', { name: 'Show suppressed' }));

      await user.click(screen.getByRole('checkbox', { name: 'Kept' }));
      expect(listed()).toEqual(['pacing kept']);
      await user.click(screen.getByRole('checkbox', { name: 'Kept' }));

      await user.click(screen.getByRole('checkbox', { name: 'Show cancelled' }));
      await user.click(screen.getByRole('checkbox', { name: 'Show deleted' }));
      expect(listed()).toEqual(['audio ghost', 'pacing kept', 'scratched', 'gone']);
      expect(within(noteAt('0:05')).getByRole('button', { name: /Restore/ })).toBeInTheDocument();

      const minimum = screen.getByRole('spinbutton', { name: 'Minimum confidence (%)' });
      await user.clear(minimum);
      await user.type(minimum, '60');
      expect(listed()).toEqual(['audio ghost', 'scratched', 'gone']);

      await user.click(screen.getByRole('button', { name: 'Clear filters' }));
      expect(listed()).toEqual(['audio ghost', 'pacing kept']);
    });
  });

  describe('actions', () => {
    it('deletes with an Undo that restores the note', async () => {
      const { server, user } = renderPanel([
        makeNote({ text: 'keep me', timestampSeconds: 10 }),
        makeNote({ text: 'other', timestampSeconds: 20 }),
      ]);
      await waitFor(() => expect(listed()).toEqual(['keep me', 'other']));
      await user.click(within(noteAt('0:10')).getByRole('button', { name: /^Delete/ }));
      await waitFor(() => expect(listed()).toEqual(['other']));
      expect(server.callsOf('DeleteNote')).toHaveLength(1);

      const undo = await screen.findByRole('button', { name: 'Undo' });
      expect(screen.getByText(/Deleted the note at 0:10/)).toBeInTheDocument();
      await user.click(undo);
      await waitFor(() => expect(listed()).toEqual(['keep me', 'other']));
      expect(server.callsOf('RestoreNote')).toEqual([
        { name: 'RestoreNote', variables: { id: server.callsOf('DeleteNote')[0]?.variables.id } },
      ]);
      expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
    });

    it('withdraws Undo after eight seconds', async () => {
      vi.useFakeTimers({ shouldAdvanceTime: true });
      try {
        const { user } = renderPanel([makeNote({ text: 'bye', timestampSeconds: 10 })]);
        await waitFor(() => expect(listed()).toEqual(['bye']));
        await user.click(within(noteAt('0:10')).getByRole('button', { name: /^Delete/ }));
        await screen.findByRole('button', { name: 'Undo' });
        act(() => {
          vi.advanceTimersByTime(8_100);
        });
        expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
      } finally {
        vi.useRealTimers();
      }
    });

    it('keeps and resolves, sending the note’s version', async () => {
      const note = makeNote({ text: 'look', timestampSeconds: 10, version: 4 });
      const { server, user } = renderPanel([note]);
      await waitFor(() => expect(listed()).toEqual(['look']));
      await user.click(within(noteAt('0:10')).getByRole('button', { name: /^Keep/ }));
      await waitFor(() => expect(noteAt('0:10')).toHaveTextContent('Kept'));
      await user.click(within(noteAt('0:10')).getByRole('button', { name: /^Resolve/ }));
      await waitFor(() => expect(noteAt('0:10')).toHaveTextContent('Resolved'));
      expect(server.callsOf('UpdateNote').map((call) => call.variables.input)).toEqual([
        { id: note.id, version: 4, status: 'FIRMED' },
        { id: note.id, version: 5, status: 'RESOLVED' },
      ]);
    });

    it('edits inline: Enter saves, Escape cancels', async () => {
      const { server, user } = renderPanel([
        makeNote({ text: 'typo here', timestampSeconds: 10, category: 'GENERAL' }),
      ]);
      await waitFor(() => expect(listed()).toEqual(['typo here']));
      await user.click(within(noteAt('0:10')).getByRole('button', { name: /^Edit/ }));
      const text = screen.getByRole('textbox', { name: 'Text' });
      expect(text).toHaveFocus();
      await user.type(text, ' and there{Escape}');
      expect(listed()).toEqual(['typo here']);
      expect(server.callsOf('UpdateNote')).toHaveLength(0);

      await user.click(within(noteAt('0:10')).getByRole('button', { name: /^Edit/ }));
      await user.clear(screen.getByRole('textbox', { name: 'Text' }));
      await user.type(screen.getByRole('textbox', { name: 'Text' }), 'fixed');
      const editor = screen.getByRole('form', { name: 'Edit the note at 0:10' });
      await user.selectOptions(
        within(editor).getByRole('combobox', { name: 'Category' }),
        'Graphics',
      );
      await user.click(within(editor).getByRole('textbox', { name: 'Text' }));
      await user.keyboard('{Enter}');
      await waitFor(() => expect(listed()).toEqual(['fixed']));
      expect(noteAt('0:10')).toHaveTextContent('Graphics');
    });

    it('on a conflict shows the server’s message and the newer note, and keeps the draft', async () => {
      const note = makeNote({ text: 'before', timestampSeconds: 10, version: 1 });
      const { server, user } = renderPanel([note]);
      await waitFor(() => expect(listed()).toEqual(['before']));
      await user.click(within(noteAt('0:10')).getByRole('button', { name: /^Edit/ }));
      // Someone else changes the note; this page misses the event.
      server.publishes = false;
      server.notes.set(note.id, { ...note, text: 'their words', version: 2 });
      const text = screen.getByRole('textbox', { name: 'Text' });
      await user.clear(text);
      await user.type(text, 'my words{Enter}');

      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent('the note is at version 2, not 1; read it again and retry');
      expect(alert).toHaveTextContent('their words');
      expect(screen.getByRole('textbox', { name: 'Text' })).toHaveValue('my words');

      await user.click(screen.getByRole('button', { name: 'Save mine over it' }));
      await waitFor(() => expect(listed()).toEqual(['my words']));
      expect(server.callsOf('UpdateNote').at(-1)?.variables.input).toMatchObject({
        version: 2,
        text: 'my words',
      });
    });

    it('says when the note was deleted elsewhere, keeping the draft', async () => {
      const note = makeNote({ text: 'before', timestampSeconds: 10 });
      const { server, user } = renderPanel([note]);
      await waitFor(() => expect(listed()).toEqual(['before']));
      await user.click(within(noteAt('0:10')).getByRole('button', { name: /^Edit/ }));
      server.publishes = false;
      server.notes.set(note.id, { ...note, deletedAt: '2026-12-01T00:00:00Z', version: 2 });
      await user.type(screen.getByRole('textbox', { name: 'Text' }), ' plus{Enter}');
      expect(await screen.findByRole('alert')).toHaveTextContent('This note was deleted elsewhere');
      expect(screen.getByRole('textbox', { name: 'Text' })).toHaveValue('before plus');
    });

    it('keeps a long text clamped until “More”', async () => {
      const long = 'word '.repeat(100).trim();
      const { user } = renderPanel([makeNote({ text: long, timestampSeconds: 10 })]);
      const more = await screen.findByRole('button', { name: 'More' });
      expect(more).toHaveAttribute('aria-expanded', 'false');
      await user.click(more);
      expect(screen.getByRole('button', { name: 'Less' })).toHaveAttribute('aria-expanded', 'true');
    });
  });

  it('moves between notes with j and k, focus on the note’s time', async () => {
    const { user, onSeek } = renderPanel([
      makeNote({ text: 'one', timestampSeconds: 1 }),
      makeNote({ text: 'two', timestampSeconds: 2 }),
      makeNote({ text: 'three', timestampSeconds: 3 }),
    ]);
    await waitFor(() => expect(listed()).toEqual(['one', 'two', 'three']));
    screen.getByRole('button', { name: 'Play from 0:01' }).focus();
    await user.keyboard('j');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Play from 0:02' })).toHaveFocus(),
    );
    await user.keyboard('j');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Play from 0:03' })).toHaveFocus(),
    );
    await user.keyboard('k');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Play from 0:02' })).toHaveFocus(),
    );
    await user.keyboard('{Enter}');
    expect(onSeek).toHaveBeenCalledWith(2);
  });

  describe('typing a note', () => {
    it('creates it at the player’s position when typing started', async () => {
      const { server, user, currentTime } = renderPanel([], { currentTime: 75.4 });
      await screen.findByRole('heading', { name: 'No notes yet' });
      await user.type(screen.getByRole('textbox', { name: 'Note' }), 'Music too loud');
      expect(screen.getByRole('textbox', { name: 'Time' })).toHaveValue('1:15');
      currentTime.mockReturnValue(90);
      const form = screen.getByRole('form', { name: 'Add a note' });
      await user.selectOptions(within(form).getByRole('combobox', { name: 'Category' }), 'Audio');
      await user.click(screen.getByRole('button', { name: 'Add note' }));
      await waitFor(() => expect(listed()).toEqual(['Music too loud']));
      expect(server.callsOf('CreateNote')[0]?.variables.input).toEqual({
        videoId: 'video-1',
        text: 'Music too loud',
        category: 'AUDIO',
        timestampSeconds: 75,
      });
      expect(screen.getByRole('textbox', { name: 'Note' })).toHaveValue('');
      expect(screen.getByText('Note added at 1:15.')).toBeInTheDocument();
      expect(window.localStorage.length).toBe(0);
    });

    it('keeps the draft in localStorage and on a failed save', async () => {
      const { server, user } = renderPanel([], { currentTime: null });
      await screen.findByRole('heading', { name: 'No notes yet' });
      await user.type(screen.getByRole('textbox', { name: 'Note' }), 'Half a thought');
      expect(window.localStorage.getItem('lossy:draft:new-note:video-1')).toContain(
        'Half a thought',
      );
      // No position from the player: one must be typed.
      await user.click(screen.getByRole('button', { name: 'Add note' }));
      expect(await screen.findByRole('alert')).toHaveTextContent('Say where in the video');
      await user.type(screen.getByRole('textbox', { name: 'Time' }), '2:03');
      server.refuseNext.set('CreateNote', {
        code: 'BAD_USER_INPUT',
        message: '`text` is too long',
      });
      await user.click(screen.getByRole('button', { name: 'Add note' }));
      expect(await screen.findByRole('alert')).toHaveTextContent('`text` is too long');
      expect(screen.getByRole('textbox', { name: 'Note' })).toHaveValue('Half a thought');
      expect(window.localStorage.getItem('lossy:draft:new-note:video-1')).toContain('2:03');
    });
  });
});
