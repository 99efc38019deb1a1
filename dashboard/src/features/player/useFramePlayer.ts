import { useCallback, useEffect, useRef, type RefObject } from 'react';

import { clockTime, reportClock, STOPPED_CLOCK, type PlayerReport } from './messages';

/**
 * Listens to an embedded player's messages: only those posted by `frame`'s window from one
 * of `origins`, read by `parse`. Keeps the playback clock they report. `onReport` hears each
 * report (the YouTube player stops its "listening" calls at the first one).
 */
export function useFramePlayer({
  frame,
  origins,
  parse,
  onReport,
}: {
  frame: RefObject<HTMLIFrameElement | null>;
  origins: readonly string[];
  parse: (data: unknown) => PlayerReport | null;
  onReport?: (report: PlayerReport) => void;
}) {
  const clock = useRef(STOPPED_CLOCK);
  const onReportRef = useRef(onReport);
  useEffect(() => {
    onReportRef.current = onReport;
  }, [onReport]);

  useEffect(() => {
    function onMessage(event: MessageEvent) {
      const window = frame.current?.contentWindow;
      if (!window || event.source !== window || !origins.includes(event.origin)) return;
      const report = parse(event.data);
      if (!report) return;
      clock.current = reportClock(clock.current, report, Date.now());
      onReportRef.current?.(report);
    }
    window.addEventListener('message', onMessage);
    return () => {
      window.removeEventListener('message', onMessage);
    };
  }, [frame, origins, parse]);

  const currentTime = useCallback(() => clockTime(clock.current, Date.now()), []);
  /** After a seek the player reports the new position; until then, assume it got there. */
  const moved = useCallback((seconds: number) => {
    clock.current = { ...clock.current, time: seconds, at: Date.now() };
  }, []);
  return { currentTime, moved };
}
