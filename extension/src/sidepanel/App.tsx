// The side panel: which state to show, from the worker's `ExtensionState`.

import { ErrorState, LoadingState } from '@lossy/common/ui';
import { useState } from 'react';

import { useClient, useSnapshot } from '@/ui/useClient';
import { useConnectionView } from '@/ui/useConnection';
import type { ExtensionState } from '@/shared/messages';

import { NotesView } from './notes/NotesView';
import { SettingsView } from './settings/SettingsView';
import { ConnectionBanner, NoVideo, SignedOut, TakenBanner } from './states';
import { VoiceControls } from './voice/VoiceControls';

export function App() {
  const { state, port } = useSnapshot();
  const client = useClient();
  if (state === null) {
    return port === 'lost' ? (
      <ErrorState
        title="Lossy is not answering"
        message="The extension’s background stopped. It starts again on its own; if this stays, reload the extension."
      />
    ) : (
      <LoadingState label="Loading Lossy" />
    );
  }
  if (state.auth.kind === 'signed-out') {
    return (
      <main className="panel">
        <SignedOut
          reason={state.auth.reason}
          detail={state.auth.message ?? null}
          server={state.server}
          onSignIn={() => client.send({ kind: 'sign-in' })}
        />
      </main>
    );
  }
  return <SignedIn state={state} />;
}

function SignedIn({ state }: { state: ExtensionState }) {
  const client = useClient();
  const view = useConnectionView(state);
  const [tab, setTab] = useState<'notes' | 'settings'>('notes');
  const connected = state.connection === 'connected';
  return (
    <main className="panel">
      <header className="panel-header">
        <h1>{state.video?.title ?? 'Lossy'}</h1>
        <nav aria-label="Panel">
          <button
            type="button"
            className="tab"
            aria-pressed={tab === 'notes'}
            onClick={() => setTab('notes')}
          >
            Notes
          </button>
          <button
            type="button"
            className="tab"
            aria-pressed={tab === 'settings'}
            onClick={() => setTab('settings')}
          >
            Settings
          </button>
        </nav>
      </header>
      <ConnectionBanner view={view} />
      {state.storageError && (
        <div className="notice notice-error" role="alert">
          <p>
            This browser refused to keep a change for sending ({state.storageError}). Free some disk
            space; nothing already waiting is lost.
          </p>
        </div>
      )}
      {state.context === 'taken' && state.video && (
        <TakenBanner onTakeOver={() => client.send({ kind: 'context/take-over' })} />
      )}
      {tab === 'notes' && state.voice && (state.video || state.voice.on) && (
        <VoiceControls voice={state.voice} client={client} readOnly={state.context === 'taken'} />
      )}
      {tab === 'settings' ? (
        <SettingsView client={client} connected={connected} />
      ) : state.video ? (
        <NotesView
          key={state.video.id}
          client={client}
          videoId={state.video.id}
          streaming={state.features.server_notes_channel !== false}
          connected={connected}
          readOnly={state.context === 'taken'}
        />
      ) : (
        <NoVideo />
      )}
    </main>
  );
}
