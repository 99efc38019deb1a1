// The mock mode's page: the side panel and the popup side by side, both connected to one
// fake worker (as both would be to the real one), with controls for the scripted state.

import { StrictMode, useState, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';

import { Popup } from '@/popup/Popup';
import { App } from '@/sidepanel/App';
import { createPanelClient } from '@/ui/client';
import { ClientContext } from '@/ui/useClient';
import '@/ui/styles.css';

import {
  createFakeWorker,
  MOCK_VIDEO,
  SCENARIOS,
  type FakeWorker,
  type Scenario,
} from './fakeWorker';
import { seedNotes, startScript } from './script';
import './mock.css';

const started = Date.now();
const worker = createFakeWorker({ playhead: () => ((Date.now() - started) / 1000) % 600 });
seedNotes(worker.backend.store);
let stopScript: (() => void) | null = startScript(worker.backend.store);

const panelClient = createPanelClient(worker.connect);
const popupClient = createPanelClient(worker.connect);

function setScenario(scenario: Scenario) {
  worker.setScenario(scenario);
  if (scenario === 'offline') {
    // Offline with writes waiting, as after a few minutes on a train.
    const note = worker.backend.store.notesOf(MOCK_VIDEO.id)[0];
    worker.enqueue({
      kind: 'createNote',
      key: crypto.randomUUID(),
      input: { videoId: MOCK_VIDEO.id, text: 'Typed while offline', timestampSeconds: 42 },
    });
    if (note) {
      worker.enqueue({
        kind: 'updateNote',
        key: crypto.randomUUID(),
        input: { id: note.id, version: note.version, status: 'RESOLVED' },
      });
    }
  }
}

function Controls({ worker }: { worker: FakeWorker }) {
  const state = useSyncExternalStore(panelClient.onSnapshot, () => worker.getState());
  const [scripted, setScripted] = useState(true);
  return (
    <section className="mock-controls" aria-label="Mock controls">
      <h1>Lossy mock mode</h1>
      <p className="hint">
        A fake worker and an in-page GraphQL backend made from schema.graphql. Nothing leaves this
        page.
      </p>
      <fieldset>
        <legend>Scenario</legend>
        {SCENARIOS.map((scenario) => (
          <button
            key={scenario}
            type="button"
            className="button"
            onClick={() => setScenario(scenario)}
          >
            {scenario}
          </button>
        ))}
      </fieldset>
      <fieldset>
        <legend>Connection</legend>
        {(['connected', 'connecting', 'reconnecting', 'offline'] as const).map((connection) => (
          <button
            key={connection}
            type="button"
            className="button"
            aria-pressed={state.connection === connection}
            onClick={() => worker.setState({ connection })}
          >
            {connection}
          </button>
        ))}
      </fieldset>
      <fieldset>
        <legend>Server</legend>
        <label className="radio">
          <input
            type="checkbox"
            checked={state.features.server_notes_channel !== false}
            onChange={(event) =>
              worker.setState({
                features: { ...state.features, server_notes_channel: event.target.checked },
              })
            }
          />
          server_notes_channel (live notes)
        </label>
        <label className="radio">
          <input
            type="checkbox"
            checked={scripted}
            onChange={(event) => {
              stopScript?.();
              stopScript = event.target.checked ? startScript(worker.backend.store) : null;
              setScripted(event.target.checked);
            }}
          />
          Scripted note events (every 4 s)
        </label>
        <button type="button" className="button" onClick={() => worker.crash()}>
          Stop the worker (ports close and reconnect)
        </button>
      </fieldset>
      <p className="hint">Outbox: {worker.outbox.length} waiting.</p>
    </section>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <div className="mock-layout">
        <Controls worker={worker} />
        <div className="mock-frame mock-sidepanel" aria-label="Side panel">
          <ClientContext value={panelClient}>
            <App />
          </ClientContext>
        </div>
        <div className="mock-frame mock-popup" aria-label="Popup">
          <ClientContext value={popupClient}>
            <Popup
              openSidePanel={() =>
                document.querySelector<HTMLElement>('.mock-sidepanel button')?.focus()
              }
            />
          </ClientContext>
        </div>
      </div>
    </StrictMode>,
  );
}
