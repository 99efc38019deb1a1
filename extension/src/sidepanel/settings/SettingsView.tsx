// The server's settings, read with `settings` and followed with `settingsChanged`; a save is
// an `updateSettings` outbox write of the fields changed. None of them is kept in
// chrome.storage: the server is the record. A refused value (BAD_USER_INPUT) is shown beside
// its field with the server's message. Saving a transcription endpoint asks the browser for
// access to its origin (in the save's user gesture). Below the form, what this computer keeps
// for itself (DeviceSettings: the API key, the model download consent).

import { useEffect, useId, useRef, useState } from 'react';
import { print } from 'graphql';

import type {
  PanelSettingsChangedSubscription,
  PanelSettingsFragment,
  PanelSettingsQuery,
  TranscriptionMode,
} from '@/gql/graphql';
import type { PanelClient } from '@/ui/client';
import { useSnapshot } from '@/ui/useClient';

import { ErrorState, LoadingState } from '@lossy/common/ui';
import { PanelSettingsChangedDocument, PanelSettingsDocument } from './operations';
import { DeviceSettings, EndpointAccess, type AccessState } from './DeviceSettings';
import { deviceStore, hostAccess, type DeviceStore, type HostAccess } from './device';
import {
  draftOf,
  endpointOrigin,
  isFieldName,
  readDraft,
  type Draft,
  type FieldName,
} from './form';

const SETTINGS_QUERY = print(PanelSettingsDocument);
const SETTINGS_STREAM = print(PanelSettingsChangedDocument);

export function SettingsView({
  client,
  connected,
  device,
  access,
}: {
  client: PanelClient;
  connected: boolean;
  /** This computer's voice settings (default: the extension's local storage). */
  device?: DeviceStore;
  /** Host permissions (default: `chrome.permissions`; null where there are none). */
  access?: HostAccess | null;
}) {
  const [store] = useState(() => device ?? deviceStore());
  const [permissions] = useState(() => (access === undefined ? hostAccess() : access));
  const [accessOf, setAccessOf] = useState<Record<string, AccessState>>({});
  const modelProgress = useSnapshot().state?.voice?.modelProgress ?? null;
  const [settings, setSettings] = useState<PanelSettingsFragment | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Partial<Record<FieldName | 'form', string>>>({});
  const [saving, setSaving] = useState(false);
  /** The key of the save waiting in the outbox, to match its acknowledgement or refusal. */
  const savingKey = useRef<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!connected) return;
    let live = true;
    const accept = (next: PanelSettingsFragment) => {
      setSettings((held) => (held && held.version > next.version ? held : next));
    };
    const stop = client.subscribe(
      { query: SETTINGS_STREAM },
      {
        next(result) {
          const next = (result.data as PanelSettingsChangedSubscription | null | undefined)
            ?.settingsChanged;
          if (next) accept(next);
        },
      },
    );
    client
      .query({ query: SETTINGS_QUERY })
      .then((result) => {
        if (!live) return;
        const next = (result.data as PanelSettingsQuery | null | undefined)?.settings;
        if (next) {
          accept(next);
          setLoadError(null);
        } else setLoadError(result.errors?.[0]?.message ?? 'The server answered without settings.');
      })
      .catch((reason: unknown) => {
        if (live) setLoadError(reason instanceof Error ? reason.message : String(reason));
      });
    return () => {
      live = false;
      stop();
    };
  }, [client, connected]);

  useEffect(() => {
    const offRefused = client.onRefused((refusal) => {
      if (refusal.write.kind !== 'updateSettings') return;
      if (savingKey.current === refusal.write.key) {
        savingKey.current = null;
        setSaving(false);
      }
      const changed = Object.keys(refusal.write.input).filter((name) => name !== 'expectedVersion');
      const field = refusal.field ?? (changed.length === 1 ? changed[0] : undefined);
      setErrors(
        field !== undefined && isFieldName(field)
          ? { [field]: refusal.message }
          : { form: refusal.message },
      );
    });
    const offAcked = client.onAcked((key) => {
      if (savingKey.current !== key) return;
      savingKey.current = null;
      setSaving(false);
      setSaved(true);
    });
    return () => {
      offRefused();
      offAcked();
    };
  }, [client]);

  const savedOrigin =
    settings?.transcriptionMode === 'ENDPOINT' && settings.transcriptionEndpoint
      ? endpointOrigin(settings.transcriptionEndpoint)
      : null;
  useEffect(() => {
    if (!permissions || savedOrigin === null) return;
    let live = true;
    // What a request in this panel learned stands.
    const learn = (state: AccessState) => {
      if (live)
        setAccessOf((held) => (held[savedOrigin] ? held : { ...held, [savedOrigin]: state }));
    };
    permissions.has(savedOrigin).then(
      (granted) => learn(granted ? { kind: 'granted' } : { kind: 'missing' }),
      (reason: unknown) => learn({ kind: 'failed', message: String(reason) }),
    );
    return () => {
      live = false;
    };
  }, [permissions, savedOrigin]);

  /** Asks for the endpoint's origin. Called straight from a click or a submit: Chrome grants
   * a permission request only in a user gesture. */
  function requestAccess(origin: string) {
    if (!permissions) return;
    const learn = (state: AccessState) => setAccessOf((held) => ({ ...held, [origin]: state }));
    let asked: Promise<boolean>;
    try {
      asked = permissions.request(origin);
    } catch (reason) {
      learn({ kind: 'failed', message: reason instanceof Error ? reason.message : String(reason) });
      return;
    }
    learn({ kind: 'asking' });
    asked.then(
      (granted) => learn(granted ? { kind: 'granted' } : { kind: 'refused' }),
      (reason: unknown) =>
        learn({
          kind: 'failed',
          message: reason instanceof Error ? reason.message : String(reason),
        }),
    );
  }

  if (!settings) {
    if (loadError)
      return <ErrorState title="The settings could not be loaded" message={loadError} />;
    return <LoadingState label="Loading your settings" />;
  }
  const current = draft ?? draftOf(settings);
  const draftOrigin = endpointOrigin(current.transcriptionEndpoint);
  const draftAccess: AccessState | undefined =
    draftOrigin === null
      ? undefined
      : (accessOf[draftOrigin] ??
        (permissions && draftOrigin === savedOrigin ? { kind: 'checking' } : undefined));

  function change(name: FieldName, value: string | boolean) {
    setDraft({ ...current, [name]: value });
    setSaved(false);
    setErrors((held) =>
      Object.fromEntries(Object.entries(held).filter(([field]) => field !== name)),
    );
  }

  function save() {
    if (!settings) return;
    const read = readDraft(current, settings);
    if (read.errors) {
      setErrors(read.errors);
      return;
    }
    if (Object.keys(read.input).length === 0) return;
    const mode =
      (read.input.transcriptionMode as TranscriptionMode | undefined) ?? settings.transcriptionMode;
    const endpoint =
      'transcriptionEndpoint' in read.input
        ? (read.input.transcriptionEndpoint as string | null)
        : settings.transcriptionEndpoint;
    const origin = endpoint === null ? null : endpointOrigin(endpoint);
    if (
      mode === 'ENDPOINT' &&
      origin !== null &&
      ('transcriptionEndpoint' in read.input || 'transcriptionMode' in read.input)
    ) {
      // Before anything else: the save's user gesture lets the browser ask the reviewer.
      requestAccess(origin);
    }
    const key = crypto.randomUUID();
    try {
      client.write({ kind: 'updateSettings', key, input: read.input });
    } catch (reason) {
      setErrors({ form: reason instanceof Error ? reason.message : String(reason) });
      return;
    }
    setErrors({});
    savingKey.current = key;
    setSaving(true);
    setDraft(null);
  }

  return (
    <>
      <form
        className="settings"
        aria-label="Settings"
        // Our own check of the endpoint's address says more than the browser's.
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <p className="hint">Kept on the server: every device of yours uses them.</p>
        <NumberField
          name="minConfidence"
          label="Lowest confidence kept (0 to 1)"
          value={current.minConfidence}
          error={errors.minConfidence}
          onChange={change}
        />
        <NumberField
          name="cooldownMs"
          label="Quiet time after a note (milliseconds)"
          value={current.cooldownMs}
          error={errors.cooldownMs}
          onChange={change}
        />
        <NumberField
          name="autoResumeDelayMs"
          label="Resume the video after (milliseconds)"
          value={current.autoResumeDelayMs}
          error={errors.autoResumeDelayMs}
          onChange={change}
        />
        <div className="field field-check">
          <input
            id="autoPauseVideo"
            type="checkbox"
            checked={current.autoPauseVideo}
            onChange={(event) => change('autoPauseVideo', event.target.checked)}
          />
          <label htmlFor="autoPauseVideo">Pause the video while I speak</label>
        </div>
        <fieldset className="field">
          <legend>Transcription</legend>
          {(
            [
              ['ON_DEVICE', 'On this device'],
              ['ENDPOINT', 'At the configured endpoint'],
            ] as const satisfies readonly (readonly [TranscriptionMode, string])[]
          ).map(([value, label]) => (
            <label key={value} className="radio">
              <input
                type="radio"
                name="transcriptionMode"
                value={value}
                checked={current.transcriptionMode === value}
                onChange={() => change('transcriptionMode', value)}
              />
              {label}
            </label>
          ))}
          {errors.transcriptionMode && (
            <p className="field-error" role="alert">
              {errors.transcriptionMode}
            </p>
          )}
          {current.transcriptionMode === 'ENDPOINT' && (
            <TextField
              name="transcriptionEndpoint"
              label="Endpoint address (OpenAI-compatible, up to /v1)"
              hint="For example http://192.168.1.20:8000/v1: a faster-whisper or whisper.cpp server on your computer or network, or a hosted API."
              type="url"
              value={current.transcriptionEndpoint}
              error={errors.transcriptionEndpoint}
              onChange={change}
            />
          )}
          {current.transcriptionMode === 'ENDPOINT' && draftOrigin !== null && draftAccess && (
            <EndpointAccess
              origin={draftOrigin}
              state={draftAccess}
              onRequest={() => requestAccess(draftOrigin)}
            />
          )}
          <TextField
            name="transcriptionModel"
            label="Speech model"
            hint="On this device: whisper-base.en or whisper-tiny.en. At an endpoint: the name it expects."
            value={current.transcriptionModel}
            error={errors.transcriptionModel}
            onChange={change}
          />
        </fieldset>
        {errors.form && (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        )}
        <div className="settings-actions">
          <button type="submit" className="button primary">
            Save
          </button>
          {draft && (
            <button type="button" className="button subtle" onClick={() => setDraft(null)}>
              Discard changes
            </button>
          )}
          <span role="status">{saving ? 'Waiting to save…' : saved ? 'Saved.' : ''}</span>
        </div>
      </form>
      <DeviceSettings
        store={store}
        mode={current.transcriptionMode}
        model={current.transcriptionModel}
        modelProgress={modelProgress}
      />
    </>
  );
}

function TextField({
  name,
  label,
  hint,
  type = 'text',
  value,
  error,
  onChange,
}: {
  name: FieldName;
  label: string;
  hint: string;
  type?: 'text' | 'url';
  value: string;
  error: string | undefined;
  onChange: (name: FieldName, value: string) => void;
}) {
  const errorId = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        type={type}
        spellCheck={false}
        autoComplete="off"
        value={value}
        aria-invalid={error !== undefined}
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
        onChange={(event) => onChange(name, event.target.value)}
      />
      <p className="hint" id={hintId}>
        {hint}
      </p>
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function NumberField({
  name,
  label,
  value,
  error,
  onChange,
}: {
  name: FieldName;
  label: string;
  value: string;
  error: string | undefined;
  onChange: (name: FieldName, value: string) => void;
}) {
  const errorId = useId();
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        type="text"
        inputMode="decimal"
        value={value}
        aria-invalid={error !== undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => onChange(name, event.target.value)}
      />
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
