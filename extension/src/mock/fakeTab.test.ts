import type { PageVideo, WorkerToContent } from '@/shared/messages';

import { MockStore } from './backend';
import { createFakeTab, installRuntime } from './fakeTab';

const VIDEO_ID = 'video-1';
const page: PageVideo = {
  url: 'http://127.0.0.1:5174/mock/',
  title: 'Lossy mock mode',
  durationSeconds: 600,
  pageInstanceId: '00000000-0000-4000-8000-000000000000',
};

function setup(identified = () => true) {
  const store = new MockStore();
  store.createNote({ videoId: VIDEO_ID, text: 'Late', timestampSeconds: 75, category: 'EDITING' });
  store.createNote({ videoId: VIDEO_ID, text: 'Early', timestampSeconds: 4, category: 'PACING' });
  store.createNote({ videoId: 'other', text: 'Elsewhere', timestampSeconds: 9 });
  const tab = createFakeTab({ store, videoId: VIDEO_ID, tabId: 7, identified });
  const heard: WorkerToContent[] = [];
  const senders: unknown[] = [];
  tab.runtime.onMessage.addListener((message, sender) => {
    heard.push(message as WorkerToContent);
    senders.push(sender);
  });
  return { store, tab, heard, senders };
}

const markerTexts = (heard: WorkerToContent[]) =>
  heard.flatMap((m) => (m.kind === 'page/markers' ? [m.markers.map((x) => x.text)] : []));

test('the page’s video report is answered with the video’s notes as markers, in time order', async () => {
  const { tab, heard, senders } = setup();
  await tab.runtime.sendMessage({ kind: 'page/video', video: page });
  await vi.waitFor(() => expect(markerTexts(heard)).toEqual([['Early', 'Late']]));
  expect(tab.video).toEqual(page);
  // As from the extension itself: the content script checks the sender's id.
  expect(senders[0]).toEqual({ id: tab.runtime.id, tab: { id: 7 } });
});

test('every change of the notes sends the markers again; deleted notes drop out', async () => {
  const { store, tab, heard } = setup();
  await tab.runtime.sendMessage({ kind: 'page/video', video: page });
  const created = store.createNote({ videoId: VIDEO_ID, text: 'Middle', timestampSeconds: 30 });
  await vi.waitFor(() => expect(markerTexts(heard).at(-1)).toEqual(['Early', 'Middle', 'Late']));
  store.deleteNote(created.id, 'test');
  await vi.waitFor(() => expect(markerTexts(heard).at(-1)).toEqual(['Early', 'Late']));
});

test('no markers before the page reports a video, nor while the worker has none identified', async () => {
  let identified = false;
  const { store, tab, heard } = setup(() => identified);
  store.createNote({ videoId: VIDEO_ID, text: 'Before', timestampSeconds: 1 });
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(heard).toEqual([]);
  await tab.runtime.sendMessage({ kind: 'page/video', video: page });
  await vi.waitFor(() => expect(markerTexts(heard)).toEqual([[]]));
  identified = true;
  tab.refresh();
  await vi.waitFor(() => expect(markerTexts(heard).at(-1)).toEqual(['Before', 'Early', 'Late']));
});

test('seeks reach the page; the playhead is the page’s answer, or none', async () => {
  const { tab, heard } = setup();
  expect(tab.playhead()).toEqual({ seconds: null, playing: false });
  tab.runtime.onMessage.addListener((message, _sender, respond) => {
    if ((message as WorkerToContent).kind === 'page/playhead') {
      respond({ seconds: 12.5, playing: true });
    }
  });
  expect(tab.playhead()).toEqual({ seconds: 12.5, playing: true });
  tab.seek(42);
  await vi.waitFor(() => expect(heard).toContainEqual({ kind: 'page/seek', seconds: 42 }));
});

test('clicks on markers are recorded and announced', async () => {
  const { tab } = setup();
  const changed = vi.fn();
  const stop = tab.onChange(changed);
  await tab.runtime.sendMessage({ kind: 'page/marker-clicked', noteId: 'n1' });
  expect(tab.clicked).toEqual(['n1']);
  expect(changed).toHaveBeenCalledTimes(1);
  stop();
  await tab.runtime.sendMessage({ kind: 'page/marker-clicked', noteId: 'n2' });
  expect(changed).toHaveBeenCalledTimes(1);
});

test('the shim gives the page a chrome.runtime, keeping what chrome already had', () => {
  const scope = globalThis as { chrome?: Record<string, unknown> };
  const before = scope.chrome;
  try {
    scope.chrome = { loadTimes: 'kept' };
    const { tab } = setup();
    installRuntime(tab.runtime);
    expect(scope.chrome.runtime).toBe(tab.runtime);
    expect(scope.chrome.loadTimes).toBe('kept');
  } finally {
    scope.chrome = before;
  }
});
