import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';

import { SettingsFieldsFragmentDoc } from '@/gql/graphql';

import { FIELDS, SECTIONS, SETTING_NAMES } from './fields';
import {
  CHANGED_ELSEWHERE,
  describeMs,
  diffSettings,
  editedValues,
  fieldErrorOf,
  initialState,
  isDirty,
  parseDraft,
  parseInput,
  rebase,
  settingsReducer,
  toFormValues,
  type SettingsFormState,
} from './settingsForm';
import { settingsAt } from './testSettings';

describe('the field table', () => {
  it('places every setting the page asks the server for in exactly one section', () => {
    const definition = SettingsFieldsFragmentDoc.definitions[0];
    const asked =
      definition?.kind === Kind.FRAGMENT_DEFINITION
        ? definition.selectionSet.selections.flatMap((s) =>
            s.kind === Kind.FIELD ? [s.name.value] : [],
          )
        : [];
    const editable = asked.filter((name) => !['version', 'updatedAt'].includes(name));
    expect([...editable].sort()).toEqual([...SETTING_NAMES].sort());
    const placed = SECTIONS.flatMap((section) => section.fields);
    expect([...placed].sort()).toEqual([...SETTING_NAMES].sort());
  });
});

describe('parseInput', () => {
  it('reads whole numbers, allowing spaces between digits', () => {
    expect(parseInput(FIELDS.cooldownMs, ' 10 000 ')).toEqual({ ok: true, value: 10000 });
    expect(parseInput(FIELDS.cooldownMs, '-5')).toEqual({ ok: true, value: -5 });
  });

  it('refuses what is not a whole number, but not what is out of range', () => {
    expect(parseInput(FIELDS.cooldownMs, '')).toEqual({ ok: false, message: 'Enter a number.' });
    expect(parseInput(FIELDS.cooldownMs, '1.5')).toEqual({
      ok: false,
      message: 'Enter a whole number.',
    });
    expect(parseInput(FIELDS.cooldownMs, '12a').ok).toBe(false);
    // Out of range is the server's to say.
    expect(parseInput(FIELDS.cooldownMs, '999999')).toEqual({ ok: true, value: 999999 });
    // Beyond a GraphQL Int is a type error.
    expect(parseInput(FIELDS.cooldownMs, '99999999999').ok).toBe(false);
  });

  it('reads decimals with a point or a comma', () => {
    expect(parseInput(FIELDS.minConfidence, '0.45')).toEqual({ ok: true, value: 0.45 });
    expect(parseInput(FIELDS.minConfidence, '0,45')).toEqual({ ok: true, value: 0.45 });
    expect(parseInput(FIELDS.minConfidence, '.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseInput(FIELDS.minConfidence, '1.5')).toEqual({ ok: true, value: 1.5 });
    expect(parseInput(FIELDS.minConfidence, 'high').ok).toBe(false);
  });

  it('reads text: an empty endpoint means none, an empty model is left to the server', () => {
    expect(parseInput(FIELDS.transcriptionEndpoint, '  https://stt.example/v1 ')).toEqual({
      ok: true,
      value: 'https://stt.example/v1',
    });
    expect(parseInput(FIELDS.transcriptionEndpoint, ' ')).toEqual({ ok: true, value: null });
    expect(parseInput(FIELDS.transcriptionModel, '')).toEqual({ ok: true, value: '' });
    expect(parseInput(FIELDS.transcriptionModel, 'whisper small')).toEqual({
      ok: true,
      value: 'whisper small',
    });
  });

  it('reads a choice only among its options', () => {
    expect(parseInput(FIELDS.transcriptionMode, 'ENDPOINT')).toEqual({
      ok: true,
      value: 'ENDPOINT',
    });
    expect(parseInput(FIELDS.transcriptionMode, 'CLOUD').ok).toBe(false);
  });

  it('reads checkboxes as booleans', () => {
    expect(parseInput(FIELDS.autoPauseVideo, false)).toEqual({ ok: true, value: false });
  });
});

describe('diffSettings', () => {
  const stored = settingsAt(4);

  it('finds nothing in an untouched form', () => {
    const diff = diffSettings(toFormValues(stored), stored);
    expect(diff).toEqual({ changes: {}, errors: {} });
    expect(isDirty(diff)).toBe(false);
  });

  it('sends only the changed settings, as their types', () => {
    const values = {
      ...toFormValues(stored),
      cooldownMs: '750',
      autoPauseVideo: false,
      minConfidence: '0.30',
    };
    const diff = diffSettings(values, stored);
    // "0.30" is the stored 0.3: not a change.
    expect(diff.changes).toEqual({ cooldownMs: 750, autoPauseVideo: false });
    expect(isDirty(diff)).toBe(true);
  });

  it('clears a stored endpoint with null and sends a new mode as its enum value', () => {
    const withEndpoint = settingsAt(4, {
      transcriptionMode: 'ENDPOINT',
      transcriptionEndpoint: 'https://stt.example/v1',
    });
    const values = {
      ...toFormValues(withEndpoint),
      transcriptionMode: 'ON_DEVICE',
      transcriptionEndpoint: '',
    };
    expect(diffSettings(values, withEndpoint).changes).toEqual({
      transcriptionMode: 'ON_DEVICE',
      transcriptionEndpoint: null,
    });
  });

  it('reports inputs that cannot be read and counts them as unsaved', () => {
    const diff = diffSettings({ ...toFormValues(stored), maxRestarts: 'three' }, stored);
    expect(diff.changes).toEqual({});
    expect(Object.keys(diff.errors)).toEqual(['maxRestarts']);
    expect(isDirty(diff)).toBe(true);
  });

  it('keeps in a draft only what differs, as typed', () => {
    const values = { ...toFormValues(stored), cooldownMs: '750', preRollMs: ' 500' };
    expect(editedValues(values, stored)).toEqual({ cooldownMs: '750' });
  });
});

describe('parseDraft', () => {
  it('keeps known settings of the right shape and nothing else', () => {
    expect(
      parseDraft({ cooldownMs: '750', autoPauseVideo: false, bogus: '1', maxRestarts: 4 }),
    ).toEqual({
      cooldownMs: '750',
      autoPauseVideo: false,
    });
    expect(parseDraft([])).toBeNull();
    expect(parseDraft({})).toBeNull();
    expect(parseDraft('x')).toBeNull();
  });
});

describe('fieldErrorOf', () => {
  it('maps BAD_USER_INPUT about a setting to its field', () => {
    const message = 'cooldownMs must be between 0 and 10000 (got 999999)';
    expect(fieldErrorOf({ code: 'BAD_USER_INPUT', field: 'cooldownMs', message })).toEqual({
      field: 'cooldownMs',
      message,
    });
  });

  it('leaves other errors to the form', () => {
    expect(fieldErrorOf({ code: 'CONFLICT', field: null, message: 'x' })).toBeNull();
    expect(
      fieldErrorOf({ code: 'BAD_USER_INPUT', field: 'clientPreferences', message: 'x' }),
    ).toBeNull();
    expect(fieldErrorOf({ code: 'BAD_USER_INPUT', field: null, message: 'x' })).toBeNull();
  });
});

describe('rebase', () => {
  it('takes newer values where the user typed nothing and keeps their edits', () => {
    const base = settingsAt(1);
    const newer = settingsAt(2, { preRollMs: 300, cooldownMs: 600, minSpeechMs: 100 });
    const values = { ...toFormValues(base), cooldownMs: '700', minSpeechMs: '100' };
    const { values: next, overlaps } = rebase(values, base, newer);
    expect(next.preRollMs).toBe('300');
    expect(next.cooldownMs).toBe('700');
    // Both changed it to the same value: nothing to report.
    expect(next.minSpeechMs).toBe('100');
    expect(overlaps).toEqual({ cooldownMs: '600' });
  });
});

describe('describeMs', () => {
  it('reads long durations in bigger units', () => {
    expect(describeMs(500, 'en')).toBeNull();
    expect(describeMs(1500, 'en')).toBe('1.5 seconds');
    expect(describeMs(180000, 'en')).toBe('3 minutes');
    expect(describeMs(3600000, 'en')).toBe('1 hour');
  });
});

describe('settingsReducer', () => {
  const clean = (version = 1): SettingsFormState => initialState(settingsAt(version), null);
  const edit = (state: SettingsFormState, value: string) =>
    settingsReducer(state, { type: 'edit', name: 'cooldownMs', value });

  it('adopts a change from elsewhere when the form is clean, and says so', () => {
    const next = settingsReducer(clean(), {
      type: 'remote',
      settings: settingsAt(2, { cooldownMs: 900 }),
    });
    expect(next.values.cooldownMs).toBe('900');
    expect(next.stored.version).toBe(2);
    expect(next.announcement).toBe(CHANGED_ELSEWHERE);
    expect(next.newer).toBeNull();
  });

  it('holds a change from elsewhere while the form has unsaved edits', () => {
    const newer = settingsAt(2, { preRollMs: 300 });
    const next = settingsReducer(edit(clean(), '700'), { type: 'remote', settings: newer });
    expect(next.values.cooldownMs).toBe('700');
    expect(next.values.preRollMs).toBe('500');
    expect(next.newer).toBe(newer);
    expect(next.stored.version).toBe(1);
  });

  it('ignores its own save coming back on the subscription', () => {
    const saved = settingsReducer(settingsReducer(edit(clean(), '700'), { type: 'saving' }), {
      type: 'saved',
      settings: settingsAt(2, { cooldownMs: 700 }),
    });
    expect(saved.announcement).toBe('Saved');
    const echoed = settingsReducer(saved, {
      type: 'remote',
      settings: settingsAt(2, { cooldownMs: 700 }),
    });
    expect(echoed).toBe(saved);
  });

  it('drops an echo that arrives before the save answers', () => {
    const saving = settingsReducer(edit(clean(), '700'), { type: 'saving' });
    const echo = settingsAt(2, { cooldownMs: 700 });
    const held = settingsReducer(saving, { type: 'remote', settings: echo });
    const saved = settingsReducer(held, { type: 'saved', settings: echo });
    expect(saved.newer).toBeNull();
    expect(saved.announcement).toBe('Saved');
  });

  it('keeps the typed value and the server message after BAD_USER_INPUT', () => {
    const message = 'cooldownMs must be between 0 and 10000 (got 999999)';
    const failed = settingsReducer(settingsReducer(edit(clean(), '999999'), { type: 'saving' }), {
      type: 'failed',
      error: { code: 'BAD_USER_INPUT', field: 'cooldownMs', message },
    });
    expect(failed.values.cooldownMs).toBe('999999');
    expect(failed.serverError).toEqual({ field: 'cooldownMs', message });
    expect(failed.formError).toBeNull();
    // Editing the field clears the server's message about it.
    expect(edit(failed, '9999').serverError).toBeNull();
  });

  it('after a conflict, loads the newer values and keeps the edits', () => {
    const failed = settingsReducer(settingsReducer(edit(clean(), '700'), { type: 'saving' }), {
      type: 'failed',
      error: { code: 'CONFLICT', field: null, message: 'settings changed since version 1' },
    });
    expect(failed.conflict).toBe(true);
    const loaded = settingsReducer(failed, {
      type: 'takeNewer',
      settings: settingsAt(3, { cooldownMs: 600, preRollMs: 300 }),
    });
    expect(loaded.conflict).toBe(false);
    expect(loaded.stored.version).toBe(3);
    expect(loaded.values.cooldownMs).toBe('700');
    expect(loaded.values.preRollMs).toBe('300');
    expect(loaded.overlaps).toEqual({ cooldownMs: '600' });
    expect(diffSettings(loaded.values, loaded.stored).changes).toEqual({ cooldownMs: 700 });
  });

  it('restores a draft over the loaded settings', () => {
    const state = initialState(settingsAt(1), { cooldownMs: '800' });
    expect(state.values.cooldownMs).toBe('800');
    expect(state.restored).toBe(true);
    expect(initialState(settingsAt(1), { cooldownMs: '500' }).restored).toBe(false);
  });

  it('discards edits and takes any newer settings held back', () => {
    const held = settingsReducer(edit(clean(), '700'), {
      type: 'remote',
      settings: settingsAt(2, { preRollMs: 300 }),
    });
    const discarded = settingsReducer(held, { type: 'discard' });
    expect(discarded.values.cooldownMs).toBe('500');
    expect(discarded.values.preRollMs).toBe('300');
    expect(discarded.stored.version).toBe(2);
  });
});
