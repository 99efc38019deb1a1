// The toolbar popup: the server's address, the sign-in and connection states, the voice
// loop's state, and the way to the side panel.

import { useId, useState } from 'react';

import { connectionLabel } from '@/ui/connection';
import { parseServerUrl } from '@/ui/serverUrl';
import { useClient, useSnapshot } from '@/ui/useClient';
import { useConnectionView } from '@/ui/useConnection';
import type { ExtensionState } from '@/shared/messages';

import { VoiceStatus } from './VoiceStatus';

export function Popup({ openSidePanel }: { openSidePanel: () => void }) {
  const { state, port } = useSnapshot();
  return (
    <main className="popup">
      <h1>Lossy</h1>
      {state === null ? (
        <p role="status">
          {port === 'lost' ? 'Lossy is not answering; it restarts on its own.' : 'Loading…'}
        </p>
      ) : (
        <Loaded state={state} />
      )}
      <button type="button" className="button primary" onClick={openSidePanel}>
        Open the side panel
      </button>
    </main>
  );
}

function Loaded({ state }: { state: ExtensionState }) {
  const client = useClient();
  const view = useConnectionView(state);
  return (
    <>
      <ServerForm
        key={state.server}
        server={state.server}
        onSave={(server) => client.send({ kind: 'server/set', server })}
      />
      {state.auth.kind === 'signed-in' ? (
        <>
          <p>Signed in{state.auth.email ? ` as ${state.auth.email}` : ''}.</p>
          <p role="status" data-connection={view.kind}>
            {connectionLabel(view)}
          </p>
          {state.voice && <VoiceStatus voice={state.voice} connection={state.connection} />}
        </>
      ) : (
        <div>
          <p>
            {state.auth.reason === 'revoked'
              ? 'This browser was disconnected from your Lossy account.'
              : state.auth.reason === 'refresh-failed'
                ? 'Your sign-in has expired.'
                : 'Not signed in.'}
          </p>
          <button type="button" className="button" onClick={() => client.send({ kind: 'sign-in' })}>
            Sign in
          </button>
        </div>
      )}
    </>
  );
}

function ServerForm({ server, onSave }: { server: string; onSave: (server: string) => void }) {
  const [text, setText] = useState(server);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const errorId = useId();
  return (
    <form
      className="server-form"
      // Our own check explains more than the browser's "enter a URL".
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = parseServerUrl(text);
        if (!parsed.ok) {
          setError(parsed.message);
          return;
        }
        setError(null);
        setText(parsed.origin);
        if (parsed.origin !== server) onSave(parsed.origin);
      }}
    >
      <label htmlFor={id}>Server</label>
      <div className="new-note-row">
        <input
          id={id}
          type="url"
          value={text}
          aria-invalid={error !== null}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="button">
          Save
        </button>
      </div>
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
