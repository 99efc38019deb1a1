// The settings form without React: reading what was typed, comparing it with the stored
// settings, mapping the server's errors to fields, and what happens when settings change
// elsewhere. The page is a thin shell around `settingsReducer`.

import type { SettingsFieldsFragment, UpdateSettingsInput } from '@/gql/graphql';
import type { ServerError } from '@/lib/graphql/errors';

import { FIELDS, isSettingName, SETTING_NAMES, type FieldSpec, type SettingName } from './fields';

export type Settings = SettingsFieldsFragment;
/** What the inputs hold: text exactly as typed, booleans for checkboxes. */
export type FormValues = Record<SettingName, string | boolean>;
export type SettingsChanges = Pick<UpdateSettingsInput, SettingName>;
type SettingValue = Settings[SettingName];
/** What an input can mean, whatever the field (text settings are strings or null). */
type InputValue = number | boolean | string | null;

export type Parsed = { ok: true; value: InputValue } | { ok: false; message: string };

/** GraphQL `Int` is 32-bit; a longer number is a type error, not a range question. */
const INT_MAX = 2_147_483_647;

export function toFormValue(value: InputValue): string | boolean {
  if (typeof value === 'boolean') return value;
  if (value === null) return '';
  return String(value);
}

export function toFormValues(settings: Settings): FormValues {
  const values = {} as FormValues;
  for (const name of SETTING_NAMES) values[name] = toFormValue(settings[name]);
  return values;
}

/**
 * Reads one input. Only what cannot be the field's type is refused here ("abc" for a number);
 * whether a number is in range is the server's call.
 */
export function parseInput(spec: FieldSpec, raw: string | boolean): Parsed {
  if (spec.kind === 'boolean') {
    return typeof raw === 'boolean'
      ? { ok: true, value: raw }
      : { ok: false, message: 'Tick or untick the box.' };
  }
  if (typeof raw === 'boolean') return { ok: false, message: 'Enter a value.' };
  // Spaces people put in long numbers ("10 000"), including no-break and thin spaces.
  const text = spec.kind === 'text' ? raw : raw.replace(/[\s\u00a0\u202f]/g, '');
  switch (spec.kind) {
    case 'integer': {
      if (text === '') return { ok: false, message: 'Enter a number.' };
      if (!/^[+-]?\d+$/.test(text)) {
        return /^[+-]?(\d+[.,]\d*|[.,]\d+)$/.test(text)
          ? { ok: false, message: 'Enter a whole number.' }
          : { ok: false, message: 'Enter a number, using digits only.' };
      }
      const value = Number(text);
      if (Math.abs(value) > INT_MAX) return { ok: false, message: 'Enter a smaller number.' };
      return { ok: true, value };
    }
    case 'decimal': {
      if (text === '') return { ok: false, message: 'Enter a number.' };
      // A decimal comma is read as a point ("0,5"), as many keyboards type it.
      const normal = text.includes('.') ? text : text.replace(',', '.');
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(normal)) {
        return { ok: false, message: 'Enter a number, like 0.5.' };
      }
      return { ok: true, value: Number(normal) };
    }
    case 'choice': {
      const known = spec.options?.some(([value]) => value === raw) ?? false;
      return known
        ? { ok: true, value: raw }
        : { ok: false, message: 'Choose one of the options.' };
    }
    case 'text': {
      // Spaces inside text are kept; only the ends are trimmed.
      const trimmed = raw.trim();
      return { ok: true, value: trimmed === '' && spec.nullable ? null : trimmed };
    }
  }
}

/** Whether what the input holds means `value` ("0.50" means 0.5; "abc" means nothing). */
export function holds(name: SettingName, raw: string | boolean, value: SettingValue): boolean {
  if (raw === toFormValue(value)) return true;
  const parsed = parseInput(FIELDS[name], raw);
  return parsed.ok && parsed.value === value;
}

export interface SettingsDiff {
  /** Only the settings whose value changed, ready for `updateSettings`. */
  changes: SettingsChanges;
  /** Inputs that cannot be read as their type, with what to do. */
  errors: Partial<Record<SettingName, string>>;
}

/** The form compared with the stored settings. */
export function diffSettings(values: FormValues, stored: Settings): SettingsDiff {
  const changes: Record<string, InputValue> = {};
  const errors: Partial<Record<SettingName, string>> = {};
  for (const name of SETTING_NAMES) {
    const raw = values[name];
    if (raw === toFormValue(stored[name])) continue;
    const parsed = parseInput(FIELDS[name], raw);
    if (!parsed.ok) errors[name] = parsed.message;
    else if (parsed.value !== stored[name]) changes[name] = parsed.value;
  }
  return { changes, errors };
}

export function isDirty(diff: SettingsDiff): boolean {
  return Object.keys(diff.changes).length > 0 || Object.keys(diff.errors).length > 0;
}

/** The inputs that differ from `stored`, as typed: what a draft keeps. */
export function editedValues(values: FormValues, stored: Settings): Partial<FormValues> {
  const edited: Partial<FormValues> = {};
  for (const name of SETTING_NAMES) {
    if (!holds(name, values[name], stored[name])) edited[name] = values[name];
  }
  return edited;
}

/** A stored draft, if it still looks like one (it may come from an older version of the app). */
export function parseDraft(stored: unknown): Partial<FormValues> | null {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return null;
  const draft: Partial<FormValues> = {};
  for (const [name, value] of Object.entries(stored)) {
    if (isSettingName(name) && (typeof value === 'string' || typeof value === 'boolean')) {
      draft[name] = value;
    }
  }
  return Object.keys(draft).length > 0 ? draft : null;
}

export interface FieldError {
  field: SettingName;
  message: string;
}

/** The server's `BAD_USER_INPUT` about one of the page's fields; anything else is not. */
export function fieldErrorOf(error: ServerError): FieldError | null {
  if (error.code !== 'BAD_USER_INPUT' || error.field === null || !isSettingName(error.field)) {
    return null;
  }
  return { field: error.field, message: error.message };
}

export interface Rebased {
  values: FormValues;
  /** Inputs the user changed that were also changed elsewhere: the other value, as text. */
  overlaps: Partial<Record<SettingName, string>>;
}

/**
 * Moves the form from `base` to `newer` settings: inputs the user did not change take the
 * newer values; the user's changes stay. Where both changed the same setting the user's value
 * stays and the overlap is reported, so nothing is replaced or dropped silently.
 */
export function rebase(values: FormValues, base: Settings, newer: Settings): Rebased {
  const next = {} as FormValues;
  const overlaps: Partial<Record<SettingName, string>> = {};
  for (const name of SETTING_NAMES) {
    const raw = values[name];
    if (holds(name, raw, base[name]) || holds(name, raw, newer[name])) {
      next[name] = toFormValue(newer[name]);
      continue;
    }
    next[name] = raw;
    if (newer[name] !== base[name]) overlaps[name] = String(toFormValue(newer[name]));
  }
  return { values: next, overlaps };
}

/** "3 minutes" for 180000: helps read long millisecond values. Null below one second. */
export function describeMs(ms: number, locale?: string): string | null {
  if (!Number.isFinite(ms) || Math.abs(ms) < 1000) return null;
  const [unit, size] =
    Math.abs(ms) >= 3_600_000
      ? (['hour', 3_600_000] as const)
      : Math.abs(ms) >= 60_000
        ? (['minute', 60_000] as const)
        : (['second', 1000] as const);
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'long',
    maximumFractionDigits: 2,
  }).format(ms / size);
}

// ---- The form's state ----

export interface SettingsFormState {
  /** The settings the form was loaded from or last saved: the base of the diff and the
   * `expectedVersion` of the next save. */
  stored: Settings;
  values: FormValues;
  /** Settings written elsewhere that the form has not taken (it had unsaved changes). */
  newer: Settings | null;
  /** The last save was refused because the settings changed elsewhere. */
  conflict: boolean;
  saving: boolean;
  /** A save was tried: inputs that cannot be read show their errors from then on. */
  checked: boolean;
  serverError: FieldError | null;
  /** An error of the whole form (network, permission, anything without a field). */
  formError: string | null;
  overlaps: Partial<Record<SettingName, string>>;
  /** Unsaved changes were restored from a draft when the page opened. */
  restored: boolean;
  /** What the status region says: "Saved", "Settings were changed on another device", … */
  announcement: string;
}

export type SettingsAction =
  | { type: 'edit'; name: SettingName; value: string | boolean }
  | { type: 'check' }
  | { type: 'saving' }
  | { type: 'saved'; settings: Settings }
  | { type: 'failed'; error: ServerError }
  | { type: 'remote'; settings: Settings }
  | { type: 'takeNewer'; settings: Settings }
  | { type: 'discard' };

export const CHANGED_ELSEWHERE = 'Settings were changed on another device';

export function initialState(
  stored: Settings,
  draft: Partial<FormValues> | null,
): SettingsFormState {
  const values = { ...toFormValues(stored), ...draft };
  return {
    stored,
    values,
    newer: null,
    conflict: false,
    saving: false,
    checked: false,
    serverError: null,
    formError: null,
    overlaps: {},
    restored: draft !== null && isDirty(diffSettings(values, stored)),
    announcement: '',
  };
}

export function settingsReducer(
  state: SettingsFormState,
  action: SettingsAction,
): SettingsFormState {
  switch (action.type) {
    case 'edit':
      return {
        ...state,
        values: { ...state.values, [action.name]: action.value },
        serverError: state.serverError?.field === action.name ? null : state.serverError,
        announcement: '',
      };
    case 'check':
      return { ...state, checked: true, announcement: '' };
    case 'saving':
      return { ...state, checked: true, saving: true, formError: null, announcement: '' };
    case 'saved': {
      // Inputs typed while the save was on its way stay; the saved ones now match.
      const { values } = rebase(state.values, state.stored, action.settings);
      const newer =
        state.newer && state.newer.version > action.settings.version ? state.newer : null;
      const saved: SettingsFormState = {
        ...state,
        stored: action.settings,
        values,
        newer: null,
        conflict: false,
        saving: false,
        checked: false,
        serverError: null,
        formError: null,
        overlaps: {},
        restored: false,
        announcement: 'Saved',
      };
      return newer ? settingsReducer(saved, { type: 'remote', settings: newer }) : saved;
    }
    case 'failed': {
      const fieldError = fieldErrorOf(action.error);
      return {
        ...state,
        saving: false,
        conflict: action.error.code === 'CONFLICT',
        serverError: fieldError,
        formError: fieldError || action.error.code === 'CONFLICT' ? null : action.error.message,
        announcement: '',
      };
    }
    case 'remote': {
      const known = Math.max(state.stored.version, state.newer?.version ?? 0);
      // Our own save comes back on `settingsChanged` too; older news is no news.
      if (action.settings.version <= known) return state;
      if (state.saving || isDirty(diffSettings(state.values, state.stored))) {
        return { ...state, newer: action.settings };
      }
      return {
        ...state,
        stored: action.settings,
        values: toFormValues(action.settings),
        newer: null,
        conflict: false,
        serverError: null,
        overlaps: {},
        announcement: CHANGED_ELSEWHERE,
      };
    }
    case 'takeNewer': {
      const { values, overlaps } = rebase(state.values, state.stored, action.settings);
      const kept = isDirty(diffSettings(values, action.settings));
      return {
        ...state,
        stored: action.settings,
        values,
        newer: null,
        conflict: false,
        overlaps,
        announcement: kept
          ? 'Loaded the newer settings. Your unsaved changes are kept: save to apply them.'
          : 'Loaded the newer settings.',
      };
    }
    case 'discard': {
      const stored = state.newer ?? state.stored;
      return {
        ...initialState(stored, null),
        announcement: 'Unsaved changes discarded',
      };
    }
  }
}
