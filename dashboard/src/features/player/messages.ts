// The postMessage protocols of the YouTube and Vimeo embedded players, spoken directly: the
// page's Content-Security-Policy allows no third-party script, so neither the IFrame API nor
// player.js can be loaded. Reading a message is pure; the components check the sender's
// origin and window before they call these.

/** What a player told us, in one shape for both players. */
export interface PlayerReport {
  ready?: boolean;
  /** Seconds into the video. */
  currentTime?: number;
  playing?: boolean;
  playbackRate?: number;
}

function asObject(data: unknown): Record<string, unknown> | null {
  let value = data;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** YouTube player states (`playerState`, `onStateChange`): 1 is playing. */
const YOUTUBE_PLAYING = 1;

/**
 * A message from YouTube's player: `onReady`, `infoDelivery` / `initialDelivery` (with
 * `info.currentTime`, `info.playerState`, `info.playbackRate`) or `onStateChange`. Null for
 * anything else.
 */
export function parseYouTubeMessage(data: unknown): PlayerReport | null {
  const message = asObject(data);
  if (!message || typeof message.event !== 'string') return null;
  switch (message.event) {
    case 'onReady':
      return { ready: true };
    case 'onStateChange': {
      const state = finite(message.info);
      return state === undefined ? null : { ready: true, playing: state === YOUTUBE_PLAYING };
    }
    case 'infoDelivery':
    case 'initialDelivery': {
      const info = asObject(message.info);
      if (!info) return null;
      const report: PlayerReport = { ready: true };
      const currentTime = finite(info.currentTime);
      if (currentTime !== undefined) report.currentTime = currentTime;
      const state = finite(info.playerState);
      if (state !== undefined) report.playing = state === YOUTUBE_PLAYING;
      const rate = finite(info.playbackRate);
      if (rate !== undefined && rate > 0) report.playbackRate = rate;
      return report;
    }
    default:
      return null;
  }
}

/** Asks YouTube's player to send its state (it answers with `infoDelivery` from then on). */
export function youtubeListening(id: number): string {
  return JSON.stringify({ event: 'listening', id, channel: 'widget' });
}

/** A command to YouTube's player, such as `seekTo` with `[seconds, true]`. */
export function youtubeCommand(func: string, args: unknown[], id: number): string {
  return JSON.stringify({ event: 'command', func, args, id, channel: 'widget' });
}

/**
 * A message from Vimeo's player: `ready`, `timeupdate` / `playProgress` (with
 * `data.seconds`), `play`, `pause`, `ended`, or the answer to `getCurrentTime`.
 */
export function parseVimeoMessage(data: unknown): PlayerReport | null {
  const message = asObject(data);
  if (!message) return null;
  if (message.method === 'getCurrentTime') {
    const currentTime = finite(message.value);
    return currentTime === undefined ? null : { currentTime };
  }
  switch (message.event) {
    case 'ready':
      return { ready: true };
    case 'timeupdate':
    case 'playProgress': {
      const seconds = finite(asObject(message.data)?.seconds);
      return seconds === undefined ? null : { ready: true, currentTime: seconds };
    }
    case 'play':
    case 'playing':
      return { ready: true, playing: true };
    case 'pause':
    case 'ended':
      return { ready: true, playing: false };
    case 'seeked': {
      const seconds = finite(asObject(message.data)?.seconds);
      return seconds === undefined ? { ready: true } : { ready: true, currentTime: seconds };
    }
    default:
      return null;
  }
}

/** A method call to Vimeo's player, as player.js posts it. */
export function vimeoCommand(method: string, value?: unknown): { method: string; value?: unknown } {
  return value === undefined ? { method } : { method, value };
}

/** The player's position as last reported, moved on by the wall clock while it plays (the
 * players report a few times a second at most). */
export interface PlaybackClock {
  time: number;
  /** `Date.now()`-style milliseconds when `time` was reported. */
  at: number;
  playing: boolean;
  rate: number;
}

export const STOPPED_CLOCK: PlaybackClock = { time: 0, at: 0, playing: false, rate: 1 };

/** The clock after a report received at `now`. */
export function reportClock(
  clock: PlaybackClock,
  report: PlayerReport,
  now: number,
): PlaybackClock {
  const next = { ...clock };
  if (report.currentTime !== undefined) {
    next.time = report.currentTime;
    next.at = now;
  } else if (
    (report.playing !== undefined && report.playing !== clock.playing) ||
    (report.playbackRate !== undefined && report.playbackRate !== clock.rate)
  ) {
    // The state or the speed changed without a position: carry the extrapolated one forward.
    next.time = clockTime(clock, now);
    next.at = now;
  }
  if (report.playing !== undefined) next.playing = report.playing;
  if (report.playbackRate !== undefined) next.rate = report.playbackRate;
  return next;
}

/** Where the player is at `now`. */
export function clockTime(clock: PlaybackClock, now: number): number {
  if (!clock.playing) return clock.time;
  return clock.time + (Math.max(0, now - clock.at) / 1000) * clock.rate;
}
