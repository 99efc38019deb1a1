// Which player a video gets on its page, and the URL each embedded player loads. Pure, so the
// choices are tested without a browser.

/** `youtube` and `vimeo` embed their own players; `media` is a direct file in a <video>;
 * `external` cannot be embedded (Frame.io, iconik, Wipster, TikTok, any other web page). */
export type PlayerKind = 'youtube' | 'vimeo' | 'media' | 'external';

/** What the page knows of a video that decides its player. */
export interface PlayableVideo {
  platform: string;
  canonicalUrl: string;
  embedUrl: string;
}

/** Extensions a browser plays in a <video> element (audio files included). */
const MEDIA_EXTENSIONS = ['.mp4', '.webm', '.mov', '.m4v', '.ogg', '.ogv', '.mp3', '.m4a', '.wav'];

/** Origins the embedded players post their messages from. */
export const YOUTUBE_ORIGINS = ['https://www.youtube.com', 'https://www.youtube-nocookie.com'];
export const VIMEO_ORIGINS = ['https://player.vimeo.com'];

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Whether `url` names a media file (by its path's extension) over http(s). */
export function isMediaUrl(url: string): boolean {
  const parsed = parseUrl(url);
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) return false;
  const path = parsed.pathname.toLowerCase();
  return MEDIA_EXTENSIONS.some((extension) => path.endsWith(extension));
}

function hasOrigin(url: string, origins: string[]): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && origins.includes(parsed.origin);
}

export function playerKind(video: PlayableVideo): PlayerKind {
  switch (video.platform) {
    case 'youtube':
      return hasOrigin(video.embedUrl, YOUTUBE_ORIGINS) ? 'youtube' : 'external';
    case 'vimeo':
      return hasOrigin(video.embedUrl, VIMEO_ORIGINS) ? 'vimeo' : 'external';
    case 'generic':
      return isMediaUrl(video.canonicalUrl) ? 'media' : 'external';
    default:
      return 'external';
  }
}

/**
 * YouTube's embed URL with the parameters its postMessage protocol needs: `enablejsapi=1`
 * (the player then answers "listening" and takes commands) and `origin` (the page it may
 * talk to). Parameters already there are kept.
 */
export function youtubeEmbedUrl(embedUrl: string, pageOrigin: string): string {
  const url = new URL(embedUrl);
  url.searchParams.set('enablejsapi', '1');
  url.searchParams.set('origin', pageOrigin);
  return url.toString();
}

/** Vimeo's player takes postMessage commands as it is; its `h` (unlisted hash) is kept. */
export function vimeoEmbedUrl(embedUrl: string): string {
  return new URL(embedUrl).toString();
}
