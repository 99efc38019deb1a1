// The mock mode's page: the side panel and the popup side by side, both connected to one
// fake worker (as both would be to the real one), with controls for the scripted state, and a
// page with a <video> on which the real content script runs against the same worker (through
// a `chrome.runtime` shim), so the scripted notes show as markers and clicking one seeks.

import { StrictMode, useState, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';

import { Popup } from '@/popup/Popup';
import { App } from '@/sidepanel/App';
import { createPanelClient, type Transport } from '@/ui/client';
import { ClientContext } from '@/ui/useClient';
import '@/ui/styles.css';

import { createMockBackend } from './backend';
import {
  createFakeWorker,
  MOCK_VIDEO,
  SCENARIOS,
  type FakeWorker,
  type Scenario,
} from './fakeWorker';
import { createFakeTab, installRuntime } from './fakeTab';
import { seedNotes, startScript } from './script';
import './mock.css';

/** Made by `npm run dev:mock` with ffmpeg (vite.mock.config.ts): 10 minutes of test pattern. */
const CLIP = '/mock/generated/clip.webm';

const backend = createMockBackend();
// The worker's tab: the content script's reports, and the markers it is sent.
const tab = createFakeTab({
  store: backend.store,
  videoId: MOCK_VIDEO.id,
  tabId: MOCK_VIDEO.tabId,
  identified: () => {
    const state = worker.getState();
    return state.auth.kind === 'signed-in' && state.video !== null;
  },
});
// The panel's playhead is the page's video's (no page video: none).
const worker = createFakeWorker({ backend, playhead: () => tab.playhead().seconds });
seedNotes(worker.backend.store);
let stopScript: (() => void) | null = startScript(worker.backend.store);

/** The panels' port, with their seeks sent to the page's video (as the real worker does). */
function connect(): Transport {
  const port = worker.connect();
  return {
    ...port,
    post(message) {
      if (message.kind === 'seek') tab.seek(message.seconds);
      else port.post(message);
    },
  };
}

const panelClient = createPanelClient(connect);
const popupClient = createPanelClient(connect);
// A scenario without a video or signed out: the page loses its markers, as with the worker.
panelClient.onSnapshot(() => tab.refresh());

installRuntime(tab.runtime);
// After the shim: the content script looks for `chrome.runtime` as it starts.
void import('@/content/main');

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

/** The page the content script runs on: a video, and what the worker heard from it. */
function MockPage() {
  const heard = useSyncExternalStore(tab.onChange, () => tab.video);
  const clicks = useSyncExternalStore(tab.onChange, () => tab.clicked.length);
  const [missing, setMissing] = useState(false);
  return (
    <section className="mock-frame mock-page" aria-labelledby="mock-page-title">
      <h2 id="mock-page-title">Page</h2>
      <video
        id="mock-video"
        src={CLIP}
        controls
        muted
        preload="auto"
        width={480}
        height={270}
        onError={() => setMissing(true)}
      />
      {missing ? (
        <p className="hint" role="status">
          No clip at {CLIP}: `npm run dev:mock` makes it with ffmpeg when ffmpeg is installed.
        </p>
      ) : null}
      <p className="hint">
        The real content script runs on this video against the fake worker.{' '}
        {heard
          ? `It reported “${heard.title ?? 'untitled'}”, ${String(Math.round(heard.durationSeconds ?? 0))} s.`
          : 'It has reported no video yet.'}{' '}
        Markers clicked: {clicks}.
      </p>
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
        <MockPage />
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
