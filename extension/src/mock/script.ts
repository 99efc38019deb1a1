// The mock mode's script: a few notes to start with, then a note every few seconds, with an
// update and a deletion now and then, so every live path of the panel shows without a server.

import type { NoteCategory } from '@/gql/graphql';

import type { MockStore } from './backend';
import { MOCK_VIDEO } from './fakeWorker';

const LINES: [string, NoteCategory][] = [
  ['The cut to the wide shot comes a beat too early', 'EDITING'],
  ['Music drowns the dialogue here', 'AUDIO'],
  ['Skin tones look too warm in this shot', 'COLOR'],
  ['This section drags, tighten it', 'PACING'],
  ['Lower third overlaps the speaker’s face', 'GRAPHICS'],
  ['Check the claim about the release date', 'CONTENT'],
  ['Horizon is tilted', 'VISUAL'],
  ['Nice moment, keep it', 'GENERAL'],
];

export function seedNotes(store: MockStore, videoId = MOCK_VIDEO.id): void {
  store.createNote({
    videoId,
    text: 'Title card is on screen too long',
    timestampSeconds: 4,
    category: 'PACING',
    status: 'GHOST',
    confidence: 0.82,
  });
  store.createNote({
    videoId,
    text: 'Hum in the left channel',
    timestampSeconds: 31.5,
    category: 'AUDIO',
    status: 'GHOST',
    confidence: 0.64,
  });
  store.createNote({
    videoId,
    text: 'Fix the jump cut',
    timestampSeconds: 75,
    category: 'EDITING',
    status: 'FIRMED',
    confidence: 0.91,
  });
}

/** Starts the script; answers a function that stops it. */
export function startScript(
  store: MockStore,
  intervalMs = 4000,
  videoId = MOCK_VIDEO.id,
): () => void {
  let step = 0;
  const timer = setInterval(() => {
    step += 1;
    const live = store.notesOf(videoId).filter((note) => note.deletedAt === null);
    if (step % 5 === 3 && live.length > 0) {
      // An update from "elsewhere": the refinement job or another device.
      const note = live[step % live.length];
      if (note)
        store.updateNote({ id: note.id, version: note.version, text: `${note.text} (refined)` });
      return;
    }
    if (step % 5 === 0 && live.length > 3) {
      const note = live[0];
      if (note) store.deleteNote(note.id, 'mock script');
      return;
    }
    const [text, category] = LINES[step % LINES.length] ?? ['A note', 'GENERAL'];
    store.createNote({
      videoId,
      text,
      category,
      timestampSeconds: Math.round((step * 17.3) % 600),
      status: 'GHOST',
      confidence: 0.3 + ((step * 37) % 70) / 100,
    });
  }, intervalMs);
  return () => clearInterval(timer);
}
