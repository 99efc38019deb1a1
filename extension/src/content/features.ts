// A small feature manager in refined-github's style: each feature runs in its own try/catch
// with its own AbortSignal; on a single-page navigation all are aborted (their listeners,
// observers and timers go with the signal) and run again. One broken feature never breaks the
// page or the other features.

export interface Feature {
  name: string;
  init(signal: AbortSignal): void | Promise<void>;
}

export interface FeatureManager {
  /** Aborts every feature and runs them all again (a navigation). */
  restart(): void;
  /** Aborts every feature for good (the extension is gone). */
  stop(): void;
}

type Log = (message: string, error: unknown) => void;

const defaultLog: Log = (message, error) => {
  console.error(message, error);
};

export function startFeatures(features: readonly Feature[], log: Log = defaultLog): FeatureManager {
  let controller: AbortController | null = null;
  let stopped = false;

  const fail = (feature: Feature, error: unknown) => {
    log(`[lossy] feature ${feature.name} failed`, error);
  };

  const abort = () => {
    try {
      controller?.abort();
    } catch (error) {
      // An abort listener threw; the others have run regardless.
      log('[lossy] stopping features failed', error);
    }
  };

  const run = () => {
    abort();
    if (stopped) return;
    const current = new AbortController();
    controller = current;
    for (const feature of features) {
      try {
        const result = feature.init(current.signal);
        if (result instanceof Promise) result.catch((error: unknown) => fail(feature, error));
      } catch (error) {
        fail(feature, error);
      }
    }
  };

  run();
  return {
    restart: run,
    stop: () => {
      stopped = true;
      abort();
    },
  };
}
