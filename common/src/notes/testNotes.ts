// Notes for the tests of this folder: every field merging and filtering read, any overridable.

import type { FilterableNote } from './filter';

export interface TestNote extends FilterableNote {
  readonly text: string;
}

let counter = 0;

export function makeNote(overrides: Partial<TestNote> = {}): TestNote {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    text: `Note ${counter}`,
    category: 'GENERAL',
    confidence: 0.9,
    timestampSeconds: counter,
    status: 'GHOST',
    version: 1,
    deletedAt: null,
    ...overrides,
  };
}
