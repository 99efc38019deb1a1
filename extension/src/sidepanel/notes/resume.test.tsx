// The panel's notes from their list's offset, and across a dropped socket and a restarted
// worker: the stream starts after the offset the list was read at and resumes after the last
// offset applied (PROTOCOL.md section 6.1), so what was missed arrives and the list is not read
// again; with an offset the server no longer keeps, the list is read again and followed from
// its own offset, with no error shown.

import { act, screen, waitFor, within } from '@testing-library/react';

import { createMockBackend, MockStore } from '@/mock/backend';
import { MOCK_VIDEO } from '@/mock/fakeWorker';
import type { GraphqlOperation } from '@/shared/messages';

import { renderPanel } from '../test/renderPanel';

function noteTexts(): string[] {
  const list = screen.queryByRole('region', { name: /notes in video order/i });
  if (!list) return [];
  return within(list)
    .queryAllByRole('article')
    .map((article) => article.querySelector('.note-text')?.textContent ?? '');
}

/** Operation names and their `since`, as `Name` or `Name since=…`. */
function described(operations: readonly GraphqlOperation[]): string[] {
  return operations.map((operation) => {
    const name = /(?:query|subscription|mutation) (\w+)/.exec(operation.query)?.[1] ?? '?';
    const since = operation.variables?.since;
    return typeof since === 'string' ? `${name} since=${since}` : name;
  });
}

const lastOffset = (store: MockStore) => store.events.at(-1)?.offset;

describe('side panel notes when the connection comes back', () => {
  it('resume after the last offset applied: the missed notes appear, the list is not read again', async () => {
    const { note, store, worker } = renderPanel();
    const edited = note('Before the drop', 5);
    await waitFor(() => expect(noteTexts()).toEqual(['Before the drop']));
    const doomed = note('Deleted while away', 8);
    await waitFor(() => expect(noteTexts()).toHaveLength(2));
    const applied = lastOffset(store);

    act(() => worker.setState({ connection: 'reconnecting' }));
    const sentBefore = worker.sent.length;
    note('Made while away', 20);
    store.updateNote({ id: edited.id, version: 1, text: 'Edited while away' });
    store.deleteNote(doomed.id, null);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(noteTexts()).toEqual(['Before the drop', 'Deleted while away']);

    act(() => worker.setState({ connection: 'connected' }));
    await waitFor(() => expect(noteTexts()).toEqual(['Edited while away', 'Made while away']));
    expect(described(worker.sent.slice(sentBefore))).toEqual([`PanelNoteEvents since=${applied}`]);

    // And live from there.
    note('Live again', 30);
    await waitFor(() => expect(noteTexts()).toContain('Live again'));
  });

  it('resume on a new worker after the last offset the panel applied', async () => {
    const { note, store, worker } = renderPanel();
    note('Listed', 1);
    await waitFor(() => expect(noteTexts()).toEqual(['Listed']));
    note('Before the worker stopped', 5);
    await waitFor(() => expect(noteTexts()).toEqual(['Listed', 'Before the worker stopped']));
    const applied = lastOffset(store);
    const sentBefore = worker.sent.length;

    act(() => worker.crash());
    note('Made while no worker ran', 15);
    await waitFor(() =>
      expect(noteTexts()).toEqual([
        'Listed',
        'Before the worker stopped',
        'Made while no worker ran',
      ]),
    );
    expect(described(worker.sent.slice(sentBefore))).toEqual([`PanelNoteEvents since=${applied}`]);
  });

  it("start the stream after the list's offset: a note made in between arrives once", async () => {
    const backend = createMockBackend();
    const { store } = backend;
    store.createNote({ videoId: MOCK_VIDEO.id, text: 'There before', timestampSeconds: 5 });
    // The note is made once the list has been read (its offset with it), before the panel's
    // stream reaches the server.
    const notesOf = store.notesOf.bind(store);
    let between: string | null = null;
    store.notesOf = (videoId) => {
      const listed = notesOf(videoId);
      if (between === null) {
        between = store.offset;
        queueMicrotask(() =>
          store.createNote({ videoId, text: 'Made in between', timestampSeconds: 9 }),
        );
      }
      return listed;
    };
    const { worker } = renderPanel({ backend });
    await waitFor(() => expect(noteTexts()).toEqual(['There before', 'Made in between']));
    expect(described(worker.sent)).toEqual(['PanelNotes', `PanelNoteEvents since=${between}`]);
  });

  it("resume from the list's offset when no event was applied yet: nothing is read again", async () => {
    const backend = createMockBackend();
    backend.store.createNote({ videoId: MOCK_VIDEO.id, text: 'There before', timestampSeconds: 5 });
    const listedAt = backend.store.offset;
    const { note, worker } = renderPanel({ backend });
    await waitFor(() => expect(noteTexts()).toEqual(['There before']));

    act(() => worker.setState({ connection: 'offline' }));
    const sentBefore = worker.sent.length;
    note('Made while away', 20);
    act(() => worker.setState({ connection: 'connected' }));
    await waitFor(() => expect(noteTexts()).toEqual(['There before', 'Made while away']));
    expect(described(worker.sent.slice(sentBefore))).toEqual([`PanelNoteEvents since=${listedAt}`]);
  });

  it('read the list again and follow from its offset when the offset is past retention, with no error', async () => {
    const { note, store, worker } = renderPanel();
    note('Listed', 1);
    await waitFor(() => expect(noteTexts()).toEqual(['Listed']));
    note('Before the drop', 5);
    await waitFor(() => expect(noteTexts()).toEqual(['Listed', 'Before the drop']));
    const applied = lastOffset(store);

    act(() => worker.setState({ connection: 'offline' }));
    const sentBefore = worker.sent.length;
    note('Made while away', 20);
    store.expireEvents();
    act(() => worker.setState({ connection: 'connected' }));
    await waitFor(() =>
      expect(noteTexts()).toEqual(['Listed', 'Before the drop', 'Made while away']),
    );
    expect(described(worker.sent.slice(sentBefore))).toEqual([
      `PanelNoteEvents since=${applied}`,
      'PanelNotes',
      `PanelNoteEvents since=${lastOffset(store)}`,
    ]);
    expect(screen.queryByRole('alert')).toBeNull();

    note('Live again', 30);
    await waitFor(() => expect(noteTexts()).toContain('Live again'));
  });
});
