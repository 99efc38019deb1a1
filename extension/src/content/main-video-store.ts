// The page's current main video, shared by the features: the main-video feature sets it, the
// others read it and follow its changes.

type Listener = (video: HTMLVideoElement | null) => void;

class MainVideoStore {
  private video: HTMLVideoElement | null = null;
  private readonly listeners = new Set<Listener>();

  get(): HTMLVideoElement | null {
    // A video removed from the document is no longer the page's.
    return this.video?.isConnected ? this.video : null;
  }

  set(video: HTMLVideoElement | null): void {
    if (video === this.video) return;
    this.video = video;
    for (const listener of [...this.listeners]) {
      try {
        listener(video);
      } catch (error) {
        console.error('[lossy] a main video listener failed', error);
      }
    }
  }

  /** Calls `listener` on every change until `signal` aborts. */
  subscribe(listener: Listener, signal: AbortSignal): void {
    this.listeners.add(listener);
    signal.addEventListener('abort', () => this.listeners.delete(listener));
  }
}

export const mainVideo = new MainVideoStore();
