import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  type Ref,
  type RefObject,
} from 'react';

import type { PlayerHandle } from './handle';
import { clockTime, reportClock, STOPPED_CLOCK, type PlayerReport } from './messages';

/**
 * An embedded player driven over `postMessage` (YouTube, Vimeo): posts commands to the
 * iframe at `src`, listens only to messages posted by that iframe's window from one of
 * `origins` (read by `parse`), keeps the playback clock they report, and offers the page the
 * `PlayerHandle` (seeking posts `seekMessage`). `onReport` hears each report, and may answer
 * through `post`.
 */
export function useFramePlayer<Message>({
  ref,
  src,
  origins,
  parse,
  seekMessage,
  onReport,
}: {
  ref: Ref<PlayerHandle>;
  src: string;
  origins: readonly string[];
  parse: (data: unknown) => PlayerReport | null;
  seekMessage: (seconds: number) => Message;
  onReport?: (report: PlayerReport, post: (message: Message) => void) => void;
}): { frame: RefObject<HTMLIFrameElement | null>; post: (message: Message) => void } {
  const frame = useRef<HTMLIFrameElement>(null);
  const target = useMemo(() => new URL(src).origin, [src]);
  const clock = useRef(STOPPED_CLOCK);
  const onReportRef = useRef(onReport);
  useEffect(() => {
    onReportRef.current = onReport;
  }, [onReport]);

  const post = useCallback(
    (message: Message) => {
      frame.current?.contentWindow?.postMessage(message, target);
    },
    [target],
  );

  useEffect(() => {
    function onMessage(event: MessageEvent) {
      const window = frame.current?.contentWindow;
      if (!window || event.source !== window || !origins.includes(event.origin)) return;
      const report = parse(event.data);
      if (!report) return;
      clock.current = reportClock(clock.current, report, Date.now());
      onReportRef.current?.(report, post);
    }
    window.addEventListener('message', onMessage);
    return () => {
      window.removeEventListener('message', onMessage);
    };
  }, [origins, parse, post]);

  useImperativeHandle(
    ref,
    () => ({
      seek(seconds) {
        post(seekMessage(seconds));
        // The player reports the new position soon; until then, assume it got there.
        clock.current = { ...clock.current, time: seconds, at: Date.now() };
      },
      currentTime: () => clockTime(clock.current, Date.now()),
    }),
    [post, seekMessage],
  );

  return { frame, post };
}
