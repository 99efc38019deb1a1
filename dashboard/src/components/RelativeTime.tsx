import { exactTime, relativeTime } from '@/lib/time';

/** "5 minutes ago", with the exact instant as the element's title and machine-readable date. */
export function RelativeTime({ iso, now }: { iso: string; now?: number }) {
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {relativeTime(iso, now)}
    </time>
  );
}
