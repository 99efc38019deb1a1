// The voice settings this computer keeps for itself (never sent to the Lossy server): the
// endpoint's API key, the consent to download the on-device model, and that model's download
// and load progress as the capture reports it. And the endpoint's host access, shown beside
// the endpoint's address in the server's settings.

import { useEffect, useId, useState } from 'react';

import type { TranscriptionMode } from '@/gql/graphql';

import { modelDownloadSize, type DeviceStore, type DeviceVoiceSettings } from './device';

/** The browser's access to an endpoint's origin, as the panel last learned it. */
export type AccessState =
  | { kind: 'checking' }
  | { kind: 'granted' }
  /** Not granted, and not asked in this panel yet. */
  | { kind: 'missing' }
  | { kind: 'asking' }
  | { kind: 'refused' }
  | { kind: 'failed'; message: string };

export function EndpointAccess({
  origin,
  state,
  onRequest,
}: {
  origin: string;
  state: AccessState;
  /** Called from the button's click: the permission request needs that user gesture. */
  onRequest: () => void;
}) {
  const allow = (
    <button type="button" className="button" onClick={onRequest}>
      Allow access to {origin}
    </button>
  );
  switch (state.kind) {
    case 'checking':
    case 'asking':
      return (
        <p className="hint" role="status">
          {state.kind === 'asking'
            ? `Asking the browser for access to ${origin}…`
            : `Checking the browser’s access to ${origin}…`}
        </p>
      );
    case 'granted':
      return (
        <p className="hint" role="status" data-access="granted">
          Access granted: Lossy may read the answers of {origin}.
        </p>
      );
    case 'missing':
      return (
        <div className="notice" data-access="missing">
          <p>
            Lossy has no access to {origin} yet. Without it the transcriber cannot read the
            endpoint’s answers, unless the endpoint allows other origins (CORS).
          </p>
          {allow}
        </div>
      );
    case 'refused':
    case 'failed':
      return (
        <div className="notice notice-error" role="alert" data-access="refused">
          <p>
            {state.kind === 'refused'
              ? `Access to ${origin} was refused.`
              : `The browser could not give access to ${origin}: ${state.message}.`}{' '}
            The transcriber will fail to read the endpoint’s answers unless the endpoint allows
            other origins (CORS headers).
          </p>
          {allow}
        </div>
      );
  }
}

function useDeviceSettings(store: DeviceStore): DeviceVoiceSettings | null {
  const [held, setHeld] = useState<DeviceVoiceSettings | null>(null);
  useEffect(() => {
    let live = true;
    const read = () => {
      void store.read().then((next) => {
        if (live) setHeld(next);
      });
    };
    const stop = store.onChange(read);
    read();
    return () => {
      live = false;
      stop();
    };
  }, [store]);
  return held;
}

function ApiKey({ store, saved }: { store: DeviceStore; saved: string | null }) {
  const [text, setText] = useState('');
  const [said, setSaid] = useState('');
  const id = useId();
  const hintId = useId();
  return (
    <form
      className="field"
      aria-label="Endpoint API key"
      onSubmit={(event) => {
        event.preventDefault();
        const key = text.trim();
        if (!key) return;
        void store.write({ apiKey: key }).then(
          () => {
            setText('');
            setSaid('Key saved on this computer.');
          },
          (reason: unknown) => setSaid(`The key was not saved: ${String(reason)}`),
        );
      }}
    >
      <label htmlFor={id}>API key for the endpoint</label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={text}
        placeholder={saved ? 'A key is saved (type to replace it)' : 'None'}
        aria-describedby={hintId}
        onChange={(event) => {
          setText(event.target.value);
          setSaid('');
        }}
      />
      <p className="hint" id={hintId}>
        Kept on this computer only: sent to your endpoint with each utterance, never to the Lossy
        server. Leave it empty for an endpoint that needs no key.
      </p>
      <div className="settings-actions">
        <button type="submit" className="button" disabled={text.trim() === ''}>
          Save key
        </button>
        {saved && (
          <button
            type="button"
            className="button subtle"
            onClick={() => {
              void store.write({ apiKey: null }).then(() => setSaid('Key removed.'));
            }}
          >
            Remove key
          </button>
        )}
        <span role="status">{said || (saved ? 'A key is saved.' : 'No key saved.')}</span>
      </div>
    </form>
  );
}

function DownloadConsent({
  store,
  allowed,
  model,
}: {
  store: DeviceStore;
  allowed: boolean;
  model: string;
}) {
  const size = modelDownloadSize(model);
  return (
    <div className="field" role="group" aria-label="Speech model download">
      <p>
        Download the speech model{size ? ` (${size})` : ''} from Hugging Face once; after that it
        works offline.
      </p>
      <p className="hint" role="status" data-consent={allowed ? 'agreed' : 'not-agreed'}>
        {allowed
          ? 'You agreed: the model is downloaded the first time it is needed.'
          : 'Not agreed: on this computer, speech is not transcribed until you agree (or the model is already here).'}
      </p>
      <div className="settings-actions">
        {allowed ? (
          <button
            type="button"
            className="button subtle"
            onClick={() => void store.write({ downloadAllowed: false })}
          >
            Withdraw consent
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            onClick={() => void store.write({ downloadAllowed: true })}
          >
            Agree to the download
          </button>
        )}
      </div>
      {allowed && (
        <p className="hint">
          Withdrawing stops any further download; a model already downloaded stays usable.
        </p>
      )}
    </div>
  );
}

export function ModelProgress({ progress }: { progress: number }) {
  const id = useId();
  const percent = Math.round(Math.min(1, Math.max(0, progress)) * 100);
  return (
    <div className="field voice-progress">
      <label htmlFor={id}>Downloading and loading the speech model</label>
      <progress id={id} max={100} value={percent} aria-valuetext={`${percent}%`} />
      <span className="hint">{percent}%</span>
    </div>
  );
}

export function DeviceSettings({
  store,
  mode,
  model,
  modelProgress,
}: {
  store: DeviceStore;
  /** The transcription mode as the form shows it now (saved or not). */
  mode: TranscriptionMode;
  model: string;
  /** The capture's report of the on-device model's download or load, 0..1, or null. */
  modelProgress: number | null;
}) {
  const held = useDeviceSettings(store);
  const headingId = useId();
  return (
    <section className="settings settings-device" aria-labelledby={headingId}>
      <h2 id={headingId}>On this computer only</h2>
      <p className="hint">Kept in this browser; never sent to the Lossy server.</p>
      {held === null ? (
        <p role="status">Loading…</p>
      ) : mode === 'ENDPOINT' ? (
        <ApiKey store={store} saved={held.apiKey} />
      ) : (
        <DownloadConsent store={store} allowed={held.downloadAllowed} model={model} />
      )}
      {modelProgress !== null && <ModelProgress progress={modelProgress} />}
    </section>
  );
}
