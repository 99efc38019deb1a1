import { useCallback, useId, useMemo, useState, type SyntheticEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { EmptyState, LoadingState } from '@lossy/common/ui';

import { RelativeTime } from '@/components/RelativeTime';
import type { AdminFlagFieldsFragment } from '@/gql/graphql';
import { serverError } from '@/lib/graphql/errors';

import { AdminError } from '../shared/AdminError';
import { errorText } from '../shared/format';
import { UserPicker, type PickedUser } from '../shared/UserPicker';
import { useDebounced } from '../shared/useDebounced';
import {
  FeatureFlagPreviewDocument,
  FeatureFlagsDocument,
  SetFeatureFlagDocument,
  SetFeatureFlagOverrideDocument,
} from './api';
import {
  changesOf,
  draftOf,
  explainAnswer,
  parseRollout,
  previewSummary,
  REASON_NAMES,
  type FlagDraft,
} from './flagForm';
import './flags.css';

type Flag = AdminFlagFieldsFragment;

const onOff = (on: boolean) => (on ? 'On' : 'Off');

/** `/admin/flags`: each flag, its rollout and overrides; changes previewed before saving. */
export function FlagsPage() {
  const [result, reexecute] = useQuery({ query: FeatureFlagsDocument });
  const retry = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);

  let body;
  if (result.data) {
    const flags = result.data.featureFlags;
    body =
      flags.length === 0 ? (
        <EmptyState title="No feature flags">
          <p>The server defines no flag.</p>
        </EmptyState>
      ) : (
        flags.map((flag) => <FlagCard key={flag.name} flag={flag} />)
      );
  } else if (result.error) {
    body = <AdminError what="the feature flags" error={result.error} onRetry={retry} />;
  } else {
    body = <LoadingState label="Loading the feature flags" />;
  }
  return (
    <section aria-labelledby="flags-heading">
      <h2 id="flags-heading">Flags</h2>
      <p className="hint">
        A user&apos;s answer is their override if they have one; else on when their bucket (0–99) is
        below the rollout; else the default. Saving reaches open sockets at once.
      </p>
      {body}
    </section>
  );
}

function FlagCard({ flag }: { flag: Flag }) {
  const headingId = useId();
  const [editing, setEditing] = useState(false);
  return (
    <section className="card flag-card" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <code>{flag.name}</code>
      </h3>
      {flag.description && <p>{flag.description}</p>}
      <dl className="flag-facts">
        <dt>Default</dt>
        <dd>{onOff(flag.defaultEnabled)}</dd>
        <dt>Rollout</dt>
        <dd>{flag.rolloutPercent} %</dd>
        <dt>Updated</dt>
        <dd>
          <RelativeTime iso={flag.updatedAt} />
        </dd>
      </dl>
      <button
        type="button"
        className="button"
        aria-expanded={editing}
        onClick={() => {
          setEditing(!editing);
        }}
      >
        {editing ? 'Close editor' : 'Edit'} <span className="visually-hidden">{flag.name}</span>
      </button>
      {editing && <FlagEditor flag={flag} />}
      <Overrides flag={flag} />
    </section>
  );
}

function FlagEditor({ flag }: { flag: Flag }) {
  const id = useId();
  const [draft, setDraft] = useState<FlagDraft>(() => draftOf(flag));
  const [explainFor, setExplainFor] = useState<PickedUser | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<{ text: string; field: string | null } | null>(null);
  const [{ fetching: saving }, setFeatureFlag] = useMutation(SetFeatureFlagDocument);

  const rollout = parseRollout(draft.rolloutText);
  const rolloutValue = rollout.ok ? rollout.value : null;
  const changes = changesOf(flag, draft);
  const previewInput = useMemo(
    () =>
      rolloutValue === null
        ? null
        : {
            name: flag.name,
            defaultEnabled: draft.defaultEnabled,
            rolloutPercent: rolloutValue,
            ...(explainFor ? { userId: explainFor.id } : {}),
          },
    [flag.name, draft.defaultEnabled, rolloutValue, explainFor],
  );
  const settledInput = useDebounced(previewInput, 300);

  const save = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(null);
    setSaveError(null);
    if (!rollout.ok) {
      document.getElementById(`${id}-rollout`)?.focus();
      return;
    }
    if (!changes) return;
    const answer = await setFeatureFlag({ input: changes });
    if (answer.data) {
      const after = answer.data.setFeatureFlag;
      setSaved(
        `Saved: default ${onOff(after.defaultEnabled).toLowerCase()}, rollout ${after.rolloutPercent} %.`,
      );
      setDraft(draftOf(after));
    } else if (answer.error) {
      setSaveError({ text: errorText(answer.error), field: serverError(answer.error).field });
    }
  };

  const rolloutError = !rollout.ok
    ? rollout.error
    : saveError?.field === 'rolloutPercent'
      ? saveError.text
      : null;

  return (
    <form
      className="flag-editor"
      aria-label={`Edit ${flag.name}`}
      onSubmit={(e) => void save(e)}
      noValidate
    >
      <div className="admin-filters">
        <label className="flag-toggle">
          <input
            type="checkbox"
            checked={draft.defaultEnabled}
            onChange={(event) => {
              setDraft({ ...draft, defaultEnabled: event.target.checked });
            }}
          />{' '}
          On by default
        </label>
        <div className="field">
          <label htmlFor={`${id}-rollout`}>Rollout (%)</label>
          <input
            id={`${id}-rollout`}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={1}
            value={draft.rolloutText}
            aria-invalid={rolloutError ? true : undefined}
            aria-describedby={rolloutError ? `${id}-rollout-error` : undefined}
            onChange={(event) => {
              setDraft({ ...draft, rolloutText: event.target.value });
            }}
          />
          {rolloutError && (
            <span className="field-error" id={`${id}-rollout-error`}>
              {rolloutError}
            </span>
          )}
        </div>
        <UserPicker label="Explain for a user" onChange={setExplainFor} />
      </div>
      {settledInput && <FlagPreview input={settledInput} />}
      <div className="flag-actions">
        <button type="submit" className="button primary" disabled={saving || !changes}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        {!changes && rollout.ok && <span className="hint">No change to save.</span>}
      </div>
      {saved && (
        <p className="notice admin-result" role="status">
          {saved}
        </p>
      )}
      {saveError && (
        <p className="notice notice-error admin-result" role="alert">
          Not saved: {saveError.text}
        </p>
      )}
    </form>
  );
}

function FlagPreview({
  input,
}: {
  input: { name: string; defaultEnabled: boolean; rolloutPercent: number; userId?: string };
}) {
  const [result] = useQuery({
    query: FeatureFlagPreviewDocument,
    variables: { input },
    requestPolicy: 'network-only',
  });
  if (result.error && !result.data) {
    return (
      <p className="notice notice-error" role="alert">
        The preview failed: {errorText(result.error)}
      </p>
    );
  }
  if (!result.data) return <LoadingState label="Working out who would change" />;
  const preview = result.data.featureFlagPreview;
  return (
    <div className="flag-preview" aria-live="polite">
      <p>
        <strong>{previewSummary(preview)}</strong>
      </p>
      {preview.user && (
        <p>
          {preview.user.user.email}: {explainAnswer(preview.user, input.rolloutPercent)}
        </p>
      )}
      {preview.changes.length > 0 && (
        <div className="table-scroll flag-changes">
          <table className="admin-table">
            <caption>
              Users whose answer changes
              {preview.changedCount > preview.changes.length
                ? ` (first ${preview.changes.length} of ${preview.changedCount})`
                : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {preview.changes.map((change) => (
                <tr key={change.user.id}>
                  <th scope="row" className="wrap">
                    {change.user.email}
                  </th>
                  <td>{onOff(change.before)}</td>
                  <td>{onOff(change.after)}</td>
                  <td>{REASON_NAMES[change.reason]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Overrides({ flag }: { flag: Flag }) {
  const [, setOverride] = useMutation(SetFeatureFlagOverrideDocument);
  const [user, setUser] = useState<PickedUser | null>(null);
  const [enabled, setEnabled] = useState(true);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pickerKey, setPickerKey] = useState(0);

  const send = async (input: { userId: string; enabled: boolean | null }, who: string) => {
    setMessage(null);
    const answer = await setOverride({ input: { name: flag.name, ...input } });
    if (answer.data) {
      setMessage({
        ok: true,
        text:
          input.enabled === null
            ? `Override cleared for ${who}.`
            : `${who} now has the flag ${onOff(input.enabled).toLowerCase()}.`,
      });
      return true;
    }
    setMessage({
      ok: false,
      text: `The override was not changed: ${answer.error ? errorText(answer.error) : 'no answer'}`,
    });
    return false;
  };

  const add = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!user) {
      setMessage({ ok: false, text: 'Pick a user by their exact email first.' });
      return;
    }
    if (await send({ userId: user.id, enabled }, user.email)) {
      setPickerKey((k) => k + 1);
      setUser(null);
    }
  };

  return (
    <div className="flag-overrides">
      {flag.overrides.length === 0 ? (
        <p className="hint">No user overrides.</p>
      ) : (
        <table className="admin-table">
          <caption>Overrides of {flag.name}</caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Answer</th>
              <th scope="col">Clear</th>
            </tr>
          </thead>
          <tbody>
            {flag.overrides.map((override) => (
              <tr key={override.userId}>
                <th scope="row" className="wrap">
                  {override.email}
                </th>
                <td>{onOff(override.enabled)}</td>
                <td>
                  <button
                    type="button"
                    className="button subtle"
                    onClick={() =>
                      void send({ userId: override.userId, enabled: null }, override.email)
                    }
                  >
                    Clear <span className="visually-hidden">override of {override.email}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="admin-filters"
        aria-label={`Set an override of ${flag.name}`}
        onSubmit={(e) => void add(e)}
      >
        <UserPicker key={pickerKey} label="Override for" onChange={setUser} />
        <label className="field">
          <span>Answer</span>
          <select
            value={enabled ? 'on' : 'off'}
            onChange={(event) => {
              setEnabled(event.target.value === 'on');
            }}
          >
            <option value="on">On</option>
            <option value="off">Off</option>
          </select>
        </label>
        <div className="filter-actions">
          <button type="submit" className="button">
            Set override
          </button>
        </div>
      </form>
      {message && (
        <p
          className={message.ok ? 'notice admin-result' : 'notice notice-error admin-result'}
          role={message.ok ? 'status' : 'alert'}
        >
          {message.text}
        </p>
      )}
    </div>
  );
}
