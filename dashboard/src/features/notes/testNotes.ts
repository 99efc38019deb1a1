// Notes for tests: every field filled, any of them overridable.

import type { Note } from './note';

let counter = 0;

export function makeNote(overrides: Partial<Note> = {}): Note {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    videoId: 'video-1',
    text: `Note ${counter}`,
    category: 'GENERAL',
    confidence: 0.9,
    timestampSeconds: counter,
    status: 'GHOST',
    version: 1,
    createdAt: '2026-12-01T10:00:00Z',
    deletedAt: null,
    quality: null,
    ...overrides,
  };
}
