// This computer's own voice settings, kept in `chrome.storage.local` and never sent to the
// Lossy server: the endpoint's API key and the consent to download the on-device model. The
// worker reads them at each capture start and follows their changes (src/background/main.ts),
// so a change here reaches a running capture at once. And the browser's host access to the
// transcription endpoint's origin (`optional_host_permissions`): without it, an endpoint that
// sends no CORS headers has its answers withheld from the offscreen document.

import { DEVICE_VOICE_KEYS } from '@/shared/messages';

export interface DeviceVoiceSettings {
  apiKey: string | null;
  downloadAllowed: boolean;
}

export interface DeviceStore {
  read(): Promise<DeviceVoiceSettings>;
  /** `apiKey: null` removes the key. */
  write(change: Partial<DeviceVoiceSettings>): Promise<void>;
  /** Calls `listener` after every change, made here or elsewhere; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

function readValues(values: Record<string, unknown>): DeviceVoiceSettings {
  const apiKey = values[DEVICE_VOICE_KEYS.apiKey];
  return {
    apiKey: typeof apiKey === 'string' && apiKey !== '' ? apiKey : null,
    downloadAllowed: values[DEVICE_VOICE_KEYS.downloadAllowed] === true,
  };
}

/** The extension's API as far as this page has it: none in the mock mode (a web page). */
function extensionApi(): { storage?: { local?: unknown }; permissions?: unknown } | undefined {
  return (globalThis as { chrome?: { storage?: { local?: unknown }; permissions?: unknown } })
    .chrome;
}

/** The extension's local storage. */
function chromeStore(): DeviceStore {
  const keys = [DEVICE_VOICE_KEYS.apiKey, DEVICE_VOICE_KEYS.downloadAllowed];
  return {
    read: async () => readValues(await chrome.storage.local.get(keys)),
    async write(change) {
      const set: Record<string, unknown> = {};
      if (change.apiKey !== undefined) {
        if (change.apiKey === null) await chrome.storage.local.remove(DEVICE_VOICE_KEYS.apiKey);
        else set[DEVICE_VOICE_KEYS.apiKey] = change.apiKey;
      }
      if (change.downloadAllowed !== undefined) {
        set[DEVICE_VOICE_KEYS.downloadAllowed] = change.downloadAllowed;
      }
      if (Object.keys(set).length > 0) await chrome.storage.local.set(set);
    },
    onChange(listener) {
      const heard = (changes: Record<string, unknown>, area: string) => {
        if (area === 'local' && keys.some((key) => key in changes)) listener();
      };
      const events = chrome.storage.onChanged;
      events.addListener(heard);
      return () => events.removeListener(heard);
    },
  };
}

/** For the mock mode, which runs as a plain web page: kept for the page's life. */
export function memoryStore(initial: Partial<DeviceVoiceSettings> = {}): DeviceStore {
  let held: DeviceVoiceSettings = { apiKey: null, downloadAllowed: false, ...initial };
  const listeners = new Set<() => void>();
  return {
    read: () => Promise.resolve(held),
    write(change) {
      held = { ...held, ...change };
      for (const listener of [...listeners]) listener();
      return Promise.resolve();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function deviceStore(): DeviceStore {
  return extensionApi()?.storage?.local !== undefined ? chromeStore() : memoryStore();
}

/** The browser's permission to read answers from an origin (`http://host:port`). */
export interface HostAccess {
  has(origin: string): Promise<boolean>;
  /** Asks the reviewer (or answers at once when granted already). Chrome takes it only in a
   * user gesture: call it straight from a click or a form's submit, before any `await`. */
  request(origin: string): Promise<boolean>;
}

export function hostAccess(): HostAccess | null {
  if (extensionApi()?.permissions === undefined) return null;
  const pattern = (origin: string) => ({ origins: [`${origin}/*`] });
  return {
    has: (origin) => chrome.permissions.contains(pattern(origin)),
    request: (origin) => chrome.permissions.request(pattern(origin)),
  };
}

/**
 * About how much the on-device model downloads once, by `transcriptionModel` (as
 * src/transcription/on-device.ts maps it to the model hub): 8-bit weights on WebAssembly,
 * a full-precision encoder and a 4-bit decoder on WebGPU, so a range. Null for a model named
 * by its hub id, whose size this extension does not know.
 */
export function modelDownloadSize(model: string): string | null {
  const match = /^(?:whisper-)?(tiny|base|small)(?:\.en)?$/.exec(model.trim());
  switch (match?.[1]) {
    case 'tiny':
      return 'about 40–60 MB';
    case 'base':
      return 'about 80–150 MB';
    case 'small':
      return 'about 250–450 MB';
    default:
      return null;
  }
}
