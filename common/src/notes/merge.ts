// A video's notes as the page knows them, merged from three sources that can arrive in any
// order: pages of `notes(...)`, `noteEvents` and the answers to our own mutations. Every
// change bumps a note's `version` (PROTOCOL.md section 9), so the rule is simple: a newer
// version replaces an older one, an older or equal one never overwrites a newer one.
//
// `NoteDeleted` carries no version. A deletion bumps the version too, so a note we hold at
// version v is marked deleted at v + 1: an answer or page at v or older that arrives after the
// event cannot bring it back, and `restoreNote` (published as `NoteUpdated` with a higher
// version) does.
//
// A deletion of a note we do not hold yet (its page has not loaded) leaves a tombstone: a page
// read before the deletion may still answer the note undeleted, so pages cannot bring it in
// undeleted; live sources (events, which arrive in order, answers and reads made after the
// event) can. The hook reads such a note once to learn its state.

/** What merging reads of a note; each app's fragment carries more, which is kept as it is. */
export interface MergeableNote {
  readonly id: string;
  readonly version: number;
  readonly timestampSeconds: number;
  readonly deletedAt: string | null;
}

/** One `noteEvents` event, as far as merging is concerned. */
export type NoteEvent<N extends MergeableNote> =
  | { readonly __typename: 'NoteCreated' | 'NoteUpdated'; readonly note: N }
  | { readonly __typename: 'NoteDeleted'; readonly noteId: string }
  | { readonly __typename: 'VideoSummaryUpdated'; readonly [field: string]: unknown };

export interface NoteSet<N extends MergeableNote> {
  readonly byId: ReadonlyMap<string, N>;
  /** The notes in video order: `timestampSeconds`, then `id`. */
  readonly sorted: readonly N[];
  /** Ids of notes deleted before the set held them. */
  readonly tombstones: ReadonlySet<string>;
}

/** Where notes come from: a `page` of `notes(...)` may be older than the events already
 * applied; `live` notes (events, mutation answers, reads after an event) are not. */
export type NoteSource = 'page' | 'live';

const EMPTY: NoteSet<MergeableNote> = { byId: new Map(), sorted: [], tombstones: new Set() };

/** The set with no notes: one shared instance, since no set is ever changed in place. */
export function emptyNotes<N extends MergeableNote>(): NoteSet<N> {
  return EMPTY as NoteSet<N>;
}

/** Video order, as the server pages: by time, then by id. */
export function compareNotes(a: MergeableNote, b: MergeableNote): number {
  if (a.timestampSeconds !== b.timestampSeconds) return a.timestampSeconds - b.timestampSeconds;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** Whether `incoming` should replace what the set holds for its id. */
function isNewer<N extends MergeableNote>(
  set: NoteSet<N>,
  incoming: N,
  source: NoteSource,
): boolean {
  const held = set.byId.get(incoming.id);
  if (held) return incoming.version > held.version;
  if (source === 'page' && set.tombstones.has(incoming.id)) return incoming.deletedAt !== null;
  return true;
}

function indexOf(sorted: readonly MergeableNote[], note: MergeableNote): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candidate = sorted[middle];
    if (!candidate) break;
    const order = compareNotes(candidate, note);
    if (order === 0) return middle;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** Adds or replaces notes by version; answers the same set when nothing changed. */
export function upsertNotes<N extends MergeableNote>(
  set: NoteSet<N>,
  notes: readonly N[],
  source: NoteSource = 'live',
): NoteSet<N> {
  const accepted = new Map<string, N>();
  for (const note of notes) {
    const pending = accepted.get(note.id);
    if (pending ? note.version > pending.version : isNewer(set, note, source)) {
      accepted.set(note.id, note);
    }
  }
  if (accepted.size === 0) return set;

  const byId = new Map<string, N>(set.byId);
  let tombstones = set.tombstones;
  // Replacements keep their place (a note's time never changes); new notes need a sort.
  const replaced = new Map<number, N>();
  let added = false;
  for (const note of accepted.values()) {
    const held = byId.get(note.id);
    byId.set(note.id, note);
    if (tombstones.has(note.id)) {
      const rest = new Set(tombstones);
      rest.delete(note.id);
      tombstones = rest;
    }
    const at = held ? indexOf(set.sorted, held) : -1;
    if (held && at >= 0 && held.timestampSeconds === note.timestampSeconds) {
      replaced.set(at, note);
    } else {
      added = true;
    }
  }
  const sorted = added
    ? [...byId.values()].sort(compareNotes)
    : set.sorted.map((note, index) => replaced.get(index) ?? note);
  return { byId, sorted, tombstones };
}

/** `NoteDeleted`: the note is marked deleted (see the file's comment for its version). */
export function markDeleted<N extends MergeableNote>(
  set: NoteSet<N>,
  noteId: string,
  deletedAt: string,
): NoteSet<N> {
  const held = set.byId.get(noteId);
  if (!held) {
    if (set.tombstones.has(noteId)) return set;
    return { ...set, tombstones: new Set(set.tombstones).add(noteId) };
  }
  if (held.deletedAt !== null) return set;
  return upsertNotes(set, [{ ...held, deletedAt, version: held.version + 1 }]);
}

/** One `noteEvents` event; `VideoSummaryUpdated` changes no note. `now` stamps deletions. */
export function applyEvent<N extends MergeableNote>(
  set: NoteSet<N>,
  event: NoteEvent<N>,
  now: string,
): NoteSet<N> {
  switch (event.__typename) {
    case 'NoteCreated':
    case 'NoteUpdated':
      return upsertNotes(set, [event.note]);
    case 'NoteDeleted':
      return markDeleted(set, event.noteId, now);
    case 'VideoSummaryUpdated':
      return set;
  }
}
