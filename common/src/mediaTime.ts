// Positions in a video, as reviewers read and type them, written the way players show them:
// "m:ss" under an hour, "h:mm:ss" from an hour on. Durations, note times, markers.

/** `5` → "0:05", `75.9` → "1:15", `3725` → "1:02:05". Negative or non-finite values read as
 * zero. */
export function formatMediaTime(seconds: number): string {
  const whole = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * What a reviewer typed as a position: "75", "1:15", "01:15.5", "1:02:05". Null when it is
 * not a position (seconds and minutes past 59 are refused where a larger unit precedes them).
 */
export function parseMediaTime(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+(:\d{1,2}){0,2}(\.\d+)?$/.test(trimmed)) return null;
  const parts = trimmed.split(':').map(Number);
  const [first = 0, ...rest] = parts;
  if (rest.some((part) => part >= 60)) return null;
  return [first, ...rest].reduce((total, part) => total * 60 + part, 0);
}
