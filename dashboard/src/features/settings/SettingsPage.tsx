import { useCallback, useEffect, useId, useMemo, useReducer, type SyntheticEvent } from 'react';
import { useClient, useMutation, useQuery, useSubscription } from 'urql';
import { readDraft, writeDraft } from '@lossy/common/drafts';
import { ErrorState, LoadingState } from '@lossy/common/ui';

import { serverError } from '@/lib/graphql/errors';
import { useOnConnected } from '@/lib/graphql/provider';

import { SettingsChangedDocument, SettingsDocument, UpdateSettingsDocument } from './api';
import { FIELDS, SECTIONS, type FieldSpec, type SettingName } from './fields';
import {
  CHANGED_ELSEWHERE,
  describeMs,
  diffSettings,
  editedValues,
  initialState,
  isDirty,
  parseDraft,
  parseInput,
  settingsReducer,
  type Settings,
} from './settingsForm';
import './settings.css';

export function SettingsPage() {
  const [result, reexecute] = useQuery({ query: SettingsDocument });
  const retry = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);
  // `settingsChanged` has no replay: what changed while the socket was down is read again.
  useOnConnected(retry);

  let body;
  if (result.data) {
    body = (
      <SettingsForm latest={result.data.settings} draftKey={`settings.${result.data.me.id}`} />
    );
  } else if (result.error) {
    body = (
      <ErrorState
        title="Your settings could not be loaded"
        message={serverError(result.error).message}
        onRetry={retry}
      />
    );
  } else {
    body = <LoadingState label="Loading your settings" />;
  }
  return (
    <>
      <h1>Settings</h1>
      {body}
    </>
  );
}

/**
 * The form. `latest` is the settings query's answer: the form starts from it, and takes later
 * answers (a refetch) like any change from elsewhere, never over unsaved edits.
 */
export function SettingsForm({ latest, draftKey }: { latest: Settings; draftKey: string }) {
  const [state, dispatch] = useReducer(settingsReducer, null, () =>
    initialState(latest, readDraft(draftKey, parseDraft)),
  );
  useEffect(() => {
    dispatch({ type: 'remote', settings: latest });
  }, [latest]);
  const [changed] = useSubscription({ query: SettingsChangedDocument });
  useEffect(() => {
    if (changed.data) dispatch({ type: 'remote', settings: changed.data.settingsChanged });
  }, [changed.data]);

  const [, updateSettings] = useMutation(UpdateSettingsDocument);
  const client = useClient();
  const formId = useId();
  const inputId = (name: SettingName) => `${formId}-${name}`;

  const diff = useMemo(
    () => diffSettings(state.values, state.stored),
    [state.values, state.stored],
  );
  const dirty = isDirty(diff);

  // What was typed survives a reload or an expired session (sign in again, come back).
  useEffect(() => {
    writeDraft(draftKey, dirty ? editedValues(state.values, state.stored) : null);
  }, [draftKey, dirty, state.values, state.stored]);

  const focusField = (name: SettingName) => {
    document.getElementById(inputId(name))?.focus();
  };

  const save = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (state.saving) return;
    const firstInvalid = orderedNames().find((name) => diff.errors[name] !== undefined);
    if (firstInvalid) {
      dispatch({ type: 'check' });
      focusField(firstInvalid);
      return;
    }
    if (Object.keys(diff.changes).length === 0) return;
    dispatch({ type: 'saving' });
    const answer = await updateSettings({
      input: { ...diff.changes, expectedVersion: state.stored.version },
    });
    if (answer.data) {
      dispatch({ type: 'saved', settings: answer.data.updateSettings });
      return;
    }
    const error = answer.error
      ? serverError(answer.error)
      : { code: 'INTERNAL', message: 'Saving failed. Try again.', field: null };
    dispatch({ type: 'failed', error });
    if (error.code === 'BAD_USER_INPUT' && error.field && Object.hasOwn(FIELDS, error.field)) {
      focusField(error.field as SettingName);
    }
  };

  const takeNewer = async () => {
    if (state.newer) {
      dispatch({ type: 'takeNewer', settings: state.newer });
      return;
    }
    const answer = await client
      .query(SettingsDocument, {}, { requestPolicy: 'network-only' })
      .toPromise();
    if (answer.data) dispatch({ type: 'takeNewer', settings: answer.data.settings });
    else if (answer.error) dispatch({ type: 'failed', error: serverError(answer.error) });
  };

  const errorOf = (name: SettingName): string | null => {
    if (state.serverError?.field === name) return state.serverError.message;
    return state.checked ? (diff.errors[name] ?? null) : null;
  };
  const problems = orderedNames().filter((name) => errorOf(name) !== null);
  const showNewer = state.newer !== null && !state.saving && !state.conflict;

  return (
    <form className="settings-form" onSubmit={(event) => void save(event)} noValidate>
      <p className="hint">
        These settings apply to every device you use Lossy on. Changes take effect in the extension
        as soon as they are saved.
      </p>
      {state.restored && (
        <p className="notice">
          Unsaved changes from your last visit were restored. Save them, or discard them below.
        </p>
      )}
      {SECTIONS.map((section) => (
        <section
          key={section.title}
          className="card settings-section"
          aria-labelledby={`${formId}-${section.title}`}
        >
          <h2 id={`${formId}-${section.title}`}>{section.title}</h2>
          <p className="hint">{section.description}</p>
          {section.fields.map((name) => (
            <SettingField
              key={name}
              id={inputId(name)}
              spec={FIELDS[name]}
              value={state.values[name]}
              error={errorOf(name)}
              overlap={state.overlaps[name] ?? null}
              onChange={(value) => dispatch({ type: 'edit', name, value })}
            />
          ))}
        </section>
      ))}

      <div className="settings-actions">
        {state.conflict && (
          <div className="notice notice-error" role="alert">
            <p>
              Not saved: these settings were changed on another device since you opened them. Load
              the newer values first; your changes stay in the form.
            </p>
            <button type="button" className="button" onClick={() => void takeNewer()}>
              Load the newer values
            </button>
          </div>
        )}
        {showNewer && (
          <div className="notice">
            <p role="status">
              {CHANGED_ELSEWHERE} while you were editing. Load them to keep both: your unsaved
              changes stay in the form.
            </p>
            <button type="button" className="button" onClick={() => void takeNewer()}>
              Load the newer values
            </button>
          </div>
        )}
        {state.formError && (
          <p className="notice notice-error" role="alert">
            Not saved: {state.formError}
          </p>
        )}
        {problems.length > 0 && (
          <p className="field-error" role="alert">
            Not saved:{' '}
            {problems.length === 1
              ? `check “${FIELDS[problems[0] as SettingName].label}”.`
              : `check the ${problems.length} settings marked above.`}
          </p>
        )}
        <div className="settings-buttons">
          <button type="submit" className="button primary" aria-disabled={state.saving}>
            {state.saving ? 'Saving…' : 'Save changes'}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => dispatch({ type: 'discard' })}
            disabled={!dirty && !state.newer}
          >
            Discard changes
          </button>
          <p className="settings-status" role="status">
            {state.announcement || (dirty ? 'Unsaved changes' : '')}
          </p>
        </div>
      </div>
    </form>
  );
}

function orderedNames(): SettingName[] {
  return SECTIONS.flatMap((section) => section.fields);
}

function SettingField({
  id,
  spec,
  value,
  error,
  overlap,
  onChange,
}: {
  id: string;
  spec: FieldSpec;
  value: string | boolean;
  error: string | null;
  overlap: string | null;
  onChange: (value: string | boolean) => void;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const overlapId = `${id}-overlap`;
  const describedBy =
    [error ? errorId : null, overlap !== null ? overlapId : null, hintId]
      .filter(Boolean)
      .join(' ') || undefined;

  const hint = <Hint id={hintId} spec={spec} value={value} />;
  const errorText = error && (
    <p className="field-error" id={errorId}>
      {error}
    </p>
  );
  const overlapText = overlap !== null && (
    <p className="hint setting-overlap" id={overlapId}>
      Another device saved {overlap === '' ? 'an empty value' : overlap} here. Your value is kept:
      save to use it, or discard your changes to take the other.
    </p>
  );

  if (spec.kind === 'boolean') {
    return (
      <div className="setting setting-checkbox">
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          onChange={(event) => onChange(event.target.checked)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
        <label htmlFor={id}>{spec.label}</label>
        {errorText}
        {overlapText}
        {hint}
      </div>
    );
  }

  if (spec.kind === 'choice') {
    return (
      <fieldset
        className="setting setting-choice"
        role="radiogroup"
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
      >
        <legend>{spec.label}</legend>
        {spec.options?.map(([option, label], index) => (
          <label key={option} className="setting-option">
            <input
              id={index === 0 ? id : undefined}
              type="radio"
              name={id}
              value={option}
              checked={value === option}
              onChange={() => onChange(option)}
            />
            {label}
          </label>
        ))}
        {errorText}
        {overlapText}
        {hint}
      </fieldset>
    );
  }

  return (
    <div className="setting field">
      <label htmlFor={id}>
        <span className="setting-label">{spec.label}</span>
        {spec.unit && <span className="setting-unit"> ({spec.unit})</span>}
      </label>
      <input
        id={id}
        type="text"
        // Text, not type=number: the input keeps exactly what was typed (a number input
        // empties itself on "12a"), and the server's range message can be shown beside it.
        inputMode={
          spec.kind === 'integer' ? 'numeric' : spec.kind === 'decimal' ? 'decimal' : spec.inputMode
        }
        autoComplete="off"
        spellCheck={false}
        value={typeof value === 'string' ? value : ''}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      {errorText}
      {overlapText}
      {hint}
    </div>
  );
}

function Hint({ id, spec, value }: { id: string; spec: FieldSpec; value: string | boolean }) {
  let reading: string | null = null;
  if (spec.unit === 'milliseconds' && typeof value === 'string') {
    const parsed = parseInput(spec, value);
    if (parsed.ok && typeof parsed.value === 'number') reading = describeMs(parsed.value);
  }
  return (
    <p className="hint" id={id}>
      {reading && <span className="setting-reading">That is {reading}. </span>}
      {spec.hint}
    </p>
  );
}
