// The service worker: the one socket, the tokens, the outbox, the pages' videos. Listeners
// are registered at the top level, synchronously (Manifest V3 wakes the worker for them);
// each waits for `ready`, which loads what the worker keeps in storage.

import {
  hasKind,
  type ContentToWorker,
  type ExtensionState,
  type PageVideo,
  type PlayheadAnswer,
  type WorkerToContent,
  type WorkerToPanel,
} from '@/shared/messages';

import { ManifestFollower } from './adapters/follow';
import { AuthSession, REFRESH_ALARM } from './auth/session';
import { CaptureHost } from './capture/host';
import { FeaturesChangedDocument, MeDocument, text } from './operations';
import { Outbox } from './outbox/outbox';
import { OutboxStore, type TelemetryEvent } from './outbox/store';
import { Panels, type PanelRequest } from './panels';
import { DEFAULT_SERVER, loadServer, normalizeServer, saveServer, socketUrl } from './settings';
import { Socket } from './socket/socket';
import { telemetryEvent } from './telemetry';
import { identityDrift, localIdentity } from './videos/identity';
import { VideoTracker } from './videos/tracker';
import { parseWindows, reconcile, type OpenWindow } from './videos/windows';
import { capturePort, ScriptedCapture } from './voice/capture';
import { VoiceDriver, type PersistedVoice } from './voice/driver';
import type { TabTarget } from './voice/target';
import type { UtteranceBook } from './voice/utterances';

const VERSION = chrome.runtime.getManifest().version;
const FEATURES_KEY = 'features';
/** Wakes a sleeping worker to reconnect and drain (alarms go down to 30 s). */
const WAKE_ALARM = 'lossy-wake';
/** The tabs' pages, for a worker that restarts while they stay open (session storage). */
const PAGES_KEY = 'pages';
/** Which tab each window shows, for a worker that restarts while an extension page is the
 * active tab of a window (session storage). */
const WINDOWS_KEY = 'windows';
/** The voice loop's state for a restarted worker (session storage), and its utterances until
 * their transcripts are in the outbox (local storage: the offscreen document keeps their
 * audio across a browser restart, so their place in the video must outlive it too). */
const VOICE_KEY = 'voice';
const UTTERANCES_KEY = 'voiceUtterances';
/** This device's own voice settings (local storage; never sent to the Lossy server): the
 * hosted endpoint's API key, and the reviewer's consent to download the on-device model. */
const VOICE_API_KEY = 'voiceApiKey';
const VOICE_DOWNLOAD_KEY = 'voiceModelDownloadAllowed';
/** Development builds' test hooks (ignored by a release build, which has no manifest `key`):
 * a scripted capture without a microphone, and the fixture transcriber's answers. */
const TEST_CAPTURE_KEY = 'voiceTestCapture';
const TEST_TRANSCRIBER_KEY = 'voiceTestTranscriber';
const DEVELOPMENT = 'key' in chrome.runtime.getManifest();
const PUSH_TO_TALK = 'push-to-talk';

let server = DEFAULT_SERVER;
let features: Record<string, boolean> = {};
let email: string | null = null;
let stopFeatures: (() => void) | null = null;

const auth = new AuthSession(() => server, authChanged);

/** The adapter manifest in use: the server's (followed after each connection), the embedded
 * one, or the generic adapter alone when the server's is one the extension cannot read. */
const adapters = new ManifestFollower({
  server: () => server,
  enabled: () => features.server_platform_adapters === true,
  track: (name, level, properties) => track(name, level, properties),
});

const socket = new Socket({
  token: async (fresh) => {
    if (fresh) await auth.refresh();
    return auth.token();
  },
  connected: (handshake, wasRetry) => void onConnected(handshake, wasRetry),
  closed: (code) => {
    track(code === 4403 ? 'socket.refused' : 'socket.closed', 'WARN', { code: code ?? null });
    voice.disconnected();
  },
  changed: pushState,
});
socket.version = VERSION;

// Constructed first and synchronously: its `onMessage` listener must be in place when a
// message from the offscreen document wakes the worker.
const captureHost = new CaptureHost();
const scriptedCapture = new ScriptedCapture();
let scriptedOn: Promise<boolean> | null = null;

async function localValues(keys: string[]): Promise<Record<string, unknown>> {
  return chrome.storage.local.get(keys);
}

const voice = new VoiceDriver({
  socket,
  capture: capturePort(captureHost, scriptedCapture, () => {
    scriptedOn ??= DEVELOPMENT
      ? localValues([TEST_CAPTURE_KEY]).then((values) => values[TEST_CAPTURE_KEY] === true)
      : Promise.resolve(false);
    return scriptedOn;
  }),
  addWrite: async (write) => {
    await ready;
    if (!outbox) throw new Error('the outbox is not available');
    await outbox.add(write);
  },
  sendToTab: (tabId, message) => sendToTab(tabId, message),
  tabTarget: (windowId) => tabTarget(tracker.tabOf(windowId), windowId),
  // Whichever window shows the tab, or none: a listened tab in the background follows its
  // own navigation too.
  tabVideo: (tabId) => tracker.videoOf(tabId),
  features: () => features,
  connection: () => socket.connection,
  store: {
    load: async () => ({
      state: (await chrome.storage.session.get(VOICE_KEY))[VOICE_KEY],
      utterances: (await localValues([UTTERANCES_KEY]))[UTTERANCES_KEY],
    }),
    saveState: (state: PersistedVoice) => chrome.storage.session.set({ [VOICE_KEY]: state }),
    saveUtterances: (book: UtteranceBook) => chrome.storage.local.set({ [UTTERANCES_KEY]: book }),
  },
  deviceVoice: async () => {
    const values = await localValues([VOICE_API_KEY, VOICE_DOWNLOAD_KEY, TEST_TRANSCRIBER_KEY]);
    const apiKey = values[VOICE_API_KEY];
    const fixture = values[TEST_TRANSCRIBER_KEY];
    return {
      apiKey: typeof apiKey === 'string' && apiKey ? apiKey : null,
      downloadAllowed: values[VOICE_DOWNLOAD_KEY] === true,
      fixture: DEVELOPMENT && typeof fixture === 'string' ? fixture : null,
    };
  },
  changed: pushState,
  level: (level) => panels.broadcast({ kind: 'voice/level', level }),
  badge: (badge) => {
    void chrome.action.setBadgeText({ text: badge.text });
    void chrome.action.setBadgeBackgroundColor({ color: badge.color });
    void chrome.action.setTitle({ title: badge.title });
  },
  track: (name, level, properties) => void track(name, level, properties),
});

/** A tab's video as the panels of `windowId` see it, for the voice loop. */
function tabTarget(tabId: number | null, windowId: number | null): TabTarget | null {
  if (tabId === null) return null;
  const { video, context } = tracker.state(windowId);
  const page = tracker.pages()[tabId];
  if (!video || video.tabId !== tabId || !page) return null;
  return {
    tabId,
    videoId: video.id,
    pageInstanceId: page.pageInstanceId,
    durationSeconds: page.durationSeconds,
    context,
  };
}

const tracker = new VideoTracker({
  socket,
  sendToTab: (tabId, message) => void sendToTab(tabId, message),
  changed: () => {
    pushState();
    // A tab's video or the video context changed: voice may follow it.
    voice.follow();
  },
  deviceId: () => (auth.state.kind === 'signed-in' ? auth.state.deviceId : null),
  feature: (name) => features[name] === true,
  error: (name, message) => track(name, 'ERROR', { message }),
  checkIdentity: (url, detected) => {
    const manifest = adapters.load;
    void localIdentity(manifest, url).then((local) => {
      const drift = identityDrift(url, local, detected, {
        serverAdaptersOn: features.server_platform_adapters !== false,
        localFallback: manifest.kind === 'generic-fallback',
      });
      if (drift) track('platforms.identity_mismatch', 'WARN', { ...drift });
    });
  },
});

let outbox: Outbox | null = null;

const panels = new Panels(socket, handlePanel, state);

/** The state as the panels of `windowId` see it (null: the focused window's). */
function state(windowId: number | null): ExtensionState {
  const authState: ExtensionState['auth'] =
    auth.state.kind === 'signed-in'
      ? { kind: 'signed-in', email, deviceId: auth.state.deviceId }
      : { kind: 'signed-out', reason: auth.state.reason, message: auth.state.message };
  return {
    server,
    auth: authState,
    connection: socket.connection,
    waiting: outbox?.waiting ?? 0,
    features,
    ...tracker.state(windowId),
    storageError: outbox?.storageError ?? null,
    voice: voice.view,
  };
}

let statePending = false;
/** Many changes in one turn make one message. */
function pushState(): void {
  if (statePending) return;
  statePending = true;
  queueMicrotask(() => {
    statePending = false;
    panels.broadcastState();
  });
}

/** Queues a telemetry event; answers whether it was (not with `server_telemetry` off). */
function track(
  name: string,
  level: TelemetryEvent['level'],
  properties: Record<string, unknown>,
): boolean {
  if (features.server_telemetry !== true || !outbox) return false;
  void outbox.addTelemetry([telemetryEvent(name, level, properties, VERSION)]);
  return true;
}

function authChanged(): void {
  if (auth.signedIn) {
    socket.start(socketUrl(server));
  } else {
    socket.stop();
    email = null;
  }
  pushState();
}

async function onConnected(handshake: unknown, wasRetry: boolean): Promise<void> {
  const flags = (handshake as { features?: unknown } | null)?.features;
  if (flags && typeof flags === 'object') await setFeatures(flags as Record<string, boolean>);
  track(wasRetry ? 'socket.reconnected' : 'socket.connected', 'INFO', {});
  stopFeatures ??= socket.subscribe(
    { query: text(FeaturesChangedDocument) },
    {
      next: (result) => {
        const changed = (result.data as { featuresChanged?: unknown } | null)?.featuresChanged;
        if (changed && typeof changed === 'object') {
          void setFeatures(changed as Record<string, boolean>);
        }
      },
      error: () => (stopFeatures = null),
      complete: () => (stopFeatures = null),
    },
  );
  tracker.start();
  if (wasRetry) tracker.reconnected();
  void voice.connected(handshake);
  void outbox?.drain();
  void adapters.check();
  const me = await socket.request({ query: text(MeDocument) }).catch(() => null);
  const address = (me?.data as { me?: { email?: string } } | null | undefined)?.me?.email;
  if (address) {
    email = address;
    pushState();
  }
}

async function setFeatures(next: Record<string, boolean>): Promise<void> {
  const channelBefore = features.server_notes_channel;
  const adaptersBefore = features.server_platform_adapters;
  features = { ...next };
  await chrome.storage.local.set({ [FEATURES_KEY]: features });
  if (channelBefore !== undefined && channelBefore !== features.server_notes_channel) {
    tracker.channelChanged();
  }
  if (adaptersBefore !== true && features.server_platform_adapters === true) {
    void adapters.check();
  }
  voice.featuresChanged();
  pushState();
}

async function sendToTab(tabId: number, message: WorkerToContent): Promise<unknown> {
  try {
    return await chrome.tabs.sendMessage(tabId, message);
  } catch {
    // The tab has no content script (yet, or any more): nothing to update there.
    return undefined;
  }
}

async function handlePanel(
  request: PanelRequest,
  reply: (message: WorkerToPanel) => void,
  windowId: number | null,
): Promise<void> {
  await ready;
  switch (request.kind) {
    case 'outbox/add':
      try {
        if (!outbox) throw new Error('the outbox is not available');
        await outbox.add(request.write);
      } catch (error) {
        // Not queued (storage full or broken): the panel keeps the user's text and says so;
        // the state's storageError says why.
        reply({
          kind: 'outbox/refused',
          write: request.write,
          code: 'STORAGE',
          message: error instanceof Error ? error.message : String(error),
        });
      }
      return;
    case 'context/take-over':
      await tracker.claim(tracker.tabOf(windowId), true);
      return;
    case 'seek': {
      const tabId = tracker.tabOf(windowId);
      if (tabId !== null) await sendToTab(tabId, { kind: 'page/seek', seconds: request.seconds });
      return;
    }
    case 'playhead': {
      const tabId = tracker.tabOf(windowId);
      const answer = tabId === null ? undefined : await sendToTab(tabId, { kind: 'page/playhead' });
      reply({
        kind: 'playhead',
        answer: (answer as PlayheadAnswer | undefined) ?? { seconds: null, playing: false },
      });
      return;
    }
    case 'sign-in':
      await auth.signIn(true);
      pushState();
      return;
    case 'voice/set':
      await voice.setOn(request.on, windowId);
      return;
    case 'voice/retry':
      await voice.retry(request.utteranceId);
      return;
    case 'server/set': {
      const next = normalizeServer(request.server);
      if (!next || next === server) {
        pushState();
        return;
      }
      await saveServer(next);
      server = next;
      // Tokens belong to the server that made them.
      socket.stop();
      await auth.signOut('never', null);
      await auth.signIn(false);
      return;
    }
  }
}

/**
 * Whether a tab shows one of the extension's own pages (the side panel or popup opened as a
 * tab): never a video, so the panels keep following the last page the reviewer was on.
 */
function isOwnPage(tab: chrome.tabs.Tab | undefined): boolean {
  // A tab just created (`tabs.create`) has an empty `url` until it commits: `pendingUrl` is
  // where it is going.
  const url = tab?.pendingUrl || tab?.url || '';
  return url.startsWith(chrome.runtime.getURL(''));
}

/** A window's panels follow its active tab, unless that is one of the extension's pages. */
async function activateTab(windowId: number, tabId: number): Promise<void> {
  const tab = await chrome.tabs.get(tabId).catch(() => undefined);
  if (!tab || isOwnPage(tab)) return;
  await tracker.activate(windowId, tabId);
  await saveWindows();
}

/** The reviewer moved to `windowId` (`WINDOW_ID_NONE`: to another application). */
async function focusWindow(windowId: number): Promise<void> {
  if (windowId === chrome.windows.WINDOW_ID_NONE) {
    await tracker.focus(null);
    return;
  }
  // The window's active tab first, in case its activation reached no worker.
  const [tab] = await chrome.tabs.query({ active: true, windowId });
  if (tab?.id !== undefined && !isOwnPage(tab)) await tracker.activate(windowId, tab.id);
  await tracker.focus(windowId);
  await saveWindows();
}

async function saveWindows(): Promise<void> {
  await chrome.storage.session.set({ [WINDOWS_KEY]: tracker.windowsView });
}

/** The open windows as a (re)started worker finds them, with what it kept before. */
async function restoreWindows(): Promise<void> {
  const stored = parseWindows((await chrome.storage.session.get(WINDOWS_KEY))[WINDOWS_KEY]);
  const all = await chrome.windows.getAll({ populate: true });
  const open: OpenWindow[] = all.flatMap((window) => {
    if (window.id === undefined) return [];
    const tabs = window.tabs ?? [];
    const active = tabs.find((tab) => tab.active);
    return [
      {
        windowId: window.id,
        activeTab: active?.id !== undefined && !isOwnPage(active) ? active.id : null,
        tabs: tabs.flatMap((tab) => (tab.id === undefined ? [] : [tab.id])),
      },
    ];
  });
  const focused =
    (await chrome.windows.getLastFocused().catch(() => undefined))?.id ??
    all.find((window) => window.focused)?.id ??
    null;
  await tracker.restoreWindows(reconcile(stored, open, focused));
  await saveWindows();
}

async function init(): Promise<void> {
  server = await loadServer();
  const stored = (await chrome.storage.local.get(FEATURES_KEY))[FEATURES_KEY];
  if (stored && typeof stored === 'object') features = stored as Record<string, boolean>;
  try {
    const store = await OutboxStore.open();
    outbox = new Outbox({
      store,
      execute: (operation) => socket.execute(operation),
      connected: () => socket.connected,
      telemetryEnabled: () => features.server_telemetry === true,
      refused: (write, code, message, field) => {
        track('outbox.refused', 'WARN', { kind: write.kind, code });
        voice.refused(write, message);
        panels.broadcast(
          field === undefined
            ? { kind: 'outbox/refused', write, code, message }
            : { kind: 'outbox/refused', write, code, message, field },
        );
      },
      acknowledged: (write) => {
        voice.acknowledged(write.key);
        panels.broadcast({ kind: 'outbox/acked', key: write.key });
      },
      changed: pushState,
      refreshAuth: () => auth.refresh(),
    });
    await outbox.load();
  } catch (error) {
    console.error('[lossy] the outbox cannot open', error);
  }
  await auth.load();
  await adapters.restore();
  void chrome.alarms.create(WAKE_ALARM, { periodInMinutes: 0.5 });
  if (auth.signedIn) {
    socket.start(socketUrl(server));
  } else if (auth.state.kind === 'signed-out' && auth.state.reason === 'never') {
    // Signed in to the web app already? Then no click is needed.
    await auth.signIn(false);
  }
  await restoreWindows();
  pushState();
  void restorePages();
}

async function savePages(): Promise<void> {
  await chrome.storage.session.set({ [PAGES_KEY]: tracker.pages() });
}

/** Content scripts report their video once per change; a new worker asks the server again. */
async function restorePages(): Promise<void> {
  const stored = (await chrome.storage.session.get(PAGES_KEY))[PAGES_KEY] as
    Record<string, PageVideo | null> | undefined;
  const open = new Set((await chrome.tabs.query({})).map((tab) => tab.id));
  for (const [tabId, page] of Object.entries(stored ?? {})) {
    if (page && open.has(Number(tabId))) {
      void tracker.pageVideo(Number(tabId), page).catch(() => undefined);
    }
  }
}

const ready = init();

chrome.runtime.onConnect.addListener((port) => {
  void ready.then(() => panels.accept(port));
});

chrome.runtime.onMessage.addListener((message: unknown, sender) => {
  if (!hasKind(message) || sender.id !== chrome.runtime.id) return;
  const tabId = sender.tab?.id;
  if (tabId === undefined) return;
  const request = message as ContentToWorker;
  if (request.kind === 'page/playback') {
    voice.playback(tabId, request.sample);
    return;
  }
  if (request.kind === 'page/video') {
    void ready
      .then(async () => {
        await tracker.pageVideo(tabId, request.video);
        await savePages();
      })
      .catch((error: unknown) => {
        track('video.detect_failed', 'ERROR', { message: String(error) });
      });
  }
});

chrome.alarms.onAlarm.addListener((alarm) => {
  void ready.then(async () => {
    if (alarm.name === REFRESH_ALARM) await auth.token();
    if (alarm.name === WAKE_ALARM && auth.signedIn) {
      void outbox?.drain();
      // At most hourly (adapters/rules.ts), and only while the server is there to ask.
      if (socket.connected) void adapters.check();
    }
  });
});

chrome.tabs.onActivated.addListener(({ tabId, windowId }) => {
  void ready.then(() => activateTab(windowId, tabId));
});

chrome.windows.onFocusChanged.addListener((windowId) => {
  void ready.then(() => focusWindow(windowId));
});

chrome.tabs.onRemoved.addListener((tabId) => {
  void ready.then(async () => {
    await voice.tabClosed(tabId);
    tracker.tabClosed(tabId);
    await Promise.all([savePages(), saveWindows()]);
  });
});

chrome.windows.onRemoved.addListener((windowId) => {
  void ready.then(() => {
    tracker.windowClosed(windowId);
    return saveWindows();
  });
});

// Push-to-talk (manifest `commands`): Chrome reports presses only; the driver toggles.
chrome.commands.onCommand.addListener((command) => {
  if (command !== PUSH_TO_TALK) return;
  void ready.then(async () => {
    const window = await chrome.windows.getLastFocused().catch(() => undefined);
    await voice.pushToTalkPressed(window?.id ?? null);
  });
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local') return;
  if (
    VOICE_API_KEY in changes ||
    VOICE_DOWNLOAD_KEY in changes ||
    TEST_TRANSCRIBER_KEY in changes
  ) {
    void voice.deviceChanged();
  }
  if (TEST_CAPTURE_KEY in changes) scriptedOn = null;
});
