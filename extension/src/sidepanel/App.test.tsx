import { act, screen, waitFor, within } from '@testing-library/react';

import { MOCK_VIDEO } from '@/mock/fakeWorker';

import { renderPanel } from './test/renderPanel';

function noteTexts(): string[] {
  const list = screen.queryByRole('region', { name: /notes in video order/i });
  if (!list) return [];
  return within(list)
    .queryAllByRole('article')
    .map((article) => article.querySelector('.note-text')?.textContent ?? '');
}

describe('side panel notes', () => {
  it('lists the notes in time order, then follows them live, merged by version', async () => {
    const { note, store } = renderPanel();
    const late = note('Late note', 90);
    note('Early note', 5);
    await waitFor(() => expect(noteTexts()).toEqual(['Early note', 'Late note']));

    // Events reach the panel asynchronously, like a port's messages; waitFor wraps them in act.
    note('Middle note', 30);
    await waitFor(() => expect(noteTexts()).toEqual(['Early note', 'Middle note', 'Late note']));

    store.updateNote({ id: late.id, version: 1, text: 'Late note, refined' });
    await screen.findByText('Late note, refined');
    expect(screen.queryByText('Late note')).toBeNull();
  });

  it('shows time, category, confidence and status of each note', async () => {
    const { note } = renderPanel();
    note('Hum in the left channel', 31.5, { category: 'AUDIO', confidence: 0.64 });
    const article = await screen.findByRole('article', { name: 'Note at 0:31' });
    expect(within(article).getByRole('button', { name: 'Play from 0:31' })).toBeInTheDocument();
    expect(article).toHaveTextContent('Audio');
    expect(article).toHaveTextContent('64%');
    expect(article).toHaveTextContent('New');
  });

  it('filters by category and by status', async () => {
    const { note, user } = renderPanel();
    note('Sound', 1, { category: 'AUDIO' });
    note('Cut', 2, { category: 'EDITING', status: 'RESOLVED' });
    await waitFor(() => expect(noteTexts()).toEqual(['Sound', 'Cut']));

    await user.click(screen.getByText(/^Filters/));
    await user.click(screen.getByRole('button', { name: 'Editing' }));
    expect(noteTexts()).toEqual(['Cut']);
    await user.click(screen.getByRole('button', { name: 'Editing' }));
    await user.click(screen.getByRole('button', { name: 'New' }));
    expect(noteTexts()).toEqual(['Sound']);
    await user.click(screen.getByRole('button', { name: 'Resolved' }));
    expect(noteTexts()).toEqual(['Sound', 'Cut']);
  });

  it('deletes a note through the outbox and undoes it with restoreNote', async () => {
    const { note, user, store, worker } = renderPanel();
    const held = note('Keep me after all', 10);
    await screen.findByText('Keep me after all');

    await user.click(screen.getByRole('button', { name: 'Delete the note at 0:10' }));
    await waitFor(() => expect(noteTexts()).toEqual([]));
    await waitFor(() => expect(store.notes.get(held.id)?.deletedAt).not.toBeNull());

    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await screen.findByText('Keep me after all');
    await waitFor(() => expect(store.notes.get(held.id)?.deletedAt).toBeNull());
    expect(worker.outbox).toHaveLength(0);
  });

  it('types a note at the playhead: waiting until the server publishes it', async () => {
    const { user, worker, store } = renderPanel();
    await screen.findByText(/No notes on this video yet/);
    act(() => worker.setState({ connection: 'offline' }));

    await user.type(screen.getByLabelText('Note at the current time'), 'Too dark here{Enter}');
    const waiting = await screen.findByRole('list', { name: 'Notes waiting to be sent' });
    expect(waiting).toHaveTextContent('0:12 — Too dark here');
    await screen.findByText('Offline, 1 waiting');

    act(() => worker.setState({ connection: 'connected' }));
    await waitFor(() => expect(noteTexts()).toEqual(['Too dark here']));
    expect(screen.queryByRole('list', { name: 'Notes waiting to be sent' })).toBeNull();
    const [created] = store.notesOf(MOCK_VIDEO.id);
    expect(created?.timestampSeconds).toBe(12.5);
  });

  it('shows a refused edit beside its note with the server’s message and the newer note', async () => {
    const { note, user, worker, store } = renderPanel();
    const held = note('Original words', 20);
    await screen.findByText('Original words');
    act(() => worker.setState({ connection: 'offline' }));

    await user.click(screen.getByRole('button', { name: 'Edit the note at 0:20' }));
    const text = screen.getByLabelText('Text');
    await user.clear(text);
    await user.type(text, 'My words{Enter}');
    // Meanwhile another device changes the note: the queued edit is now stale.
    store.updateNote({ id: held.id, version: 1, text: 'Their words' });

    act(() => worker.setState({ connection: 'connected' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The note changed meanwhile');
    // The refusal can arrive before the newer note's event: the panel shows it when it comes.
    await waitFor(() => expect(alert).toHaveTextContent('“Their words”'));
    await user.click(within(alert).getByRole('button', { name: 'Edit again the note at 0:20' }));
    expect(screen.getByLabelText('Text')).toHaveValue('My words');
  });

  it('moves with j / k, edits with e, seeks with Enter and deletes with Delete', async () => {
    const { note, user, worker } = renderPanel();
    note('First', 1);
    note('Second', 2);
    note('Third', 3);
    await waitFor(() => expect(noteTexts()).toHaveLength(3));

    screen.getByRole('button', { name: 'Play from 0:01' }).focus();
    await user.keyboard('j');
    expect(screen.getByRole('button', { name: 'Play from 0:02' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('button', { name: 'Play from 0:03' })).toHaveFocus();
    await user.keyboard('k');
    expect(screen.getByRole('button', { name: 'Play from 0:02' })).toHaveFocus();

    await user.keyboard('{Enter}');
    await waitFor(() => expect(worker.received).toContainEqual({ kind: 'seek', seconds: 2 }));

    await user.keyboard('e');
    const text = screen.getByLabelText('Text');
    expect(text).toHaveFocus();
    // Typing in the editor is never taken for a shortcut.
    await user.keyboard('jk');
    expect(text).toHaveValue('Secondjk');
    await user.keyboard('{Escape}');
    expect(screen.getByRole('button', { name: 'Play from 0:02' })).toHaveFocus();

    await user.keyboard('{Delete}');
    await waitFor(() => expect(noteTexts()).toEqual(['First', 'Third']));
    expect(screen.getByRole('button', { name: 'Play from 0:03' })).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Undo' })).toBeInTheDocument();
  });

  it('reads the list again every few seconds when the notes channel is off, and says so', async () => {
    const { note, worker } = renderPanel();
    act(() =>
      worker.setState({ features: { ...worker.getState().features, server_notes_channel: false } }),
    );
    await screen.findByText(/Live updates are off/);
    note('Polled', 4);
    await waitFor(() => expect(noteTexts()).toEqual(['Polled']), { timeout: 7000 });
  }, 10_000);
});

describe('side panel states', () => {
  it('offers to take over when another tab owns the video', async () => {
    const { user, worker } = renderPanel({ scenario: 'taken' });
    const banner = await screen.findByRole('region', { name: 'Video taken by another tab' });
    expect(screen.queryByLabelText('Note at the current time')).toBeNull();
    await user.click(within(banner).getByRole('button', { name: 'Take over' }));
    await waitFor(() =>
      expect(screen.queryByRole('region', { name: 'Video taken by another tab' })).toBeNull(),
    );
    expect(worker.received).toContainEqual({ kind: 'context/take-over' });
  });

  it('says offline with the number of writes waiting', async () => {
    const { worker } = renderPanel({ scenario: 'offline' });
    worker.enqueue({ kind: 'restoreNote', key: 'a', id: 'x' });
    worker.enqueue({ kind: 'restoreNote', key: 'b', id: 'y' });
    expect(await screen.findByText('Offline, 2 waiting')).toBeInTheDocument();
  });

  it('says when this browser was disconnected from the account, with Sign in', async () => {
    const { user, worker } = renderPanel({ scenario: 'revoked' });
    await screen.findByText(/This browser was disconnected from your Lossy account/);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(worker.received).toContainEqual({ kind: 'sign-in' }));
  });

  it('has an empty state when the tab has no video', async () => {
    renderPanel({ scenario: 'no-video' });
    expect(
      await screen.findByRole('heading', { name: 'No video in this tab' }),
    ).toBeInTheDocument();
  });

  it('is loading until the worker answers, and an error when it stops answering', async () => {
    const { worker } = renderPanel();
    expect(screen.getByRole('status')).toHaveTextContent('Loading Lossy…');
    await screen.findByRole('region', { name: 'Notes' }).catch(() => null);
    act(() => worker.crash());
    // The state already known stays; the port comes back on its own.
    await screen.findByRole('heading', { name: MOCK_VIDEO.title });
  });
});
