// How the page names a platform (PROTOCOL.md section 9 lists the ids).

const NAMES: Record<string, string> = {
  youtube: 'YouTube',
  vimeo: 'Vimeo',
  frameio: 'Frame.io',
  iconik: 'iconik',
  wipster: 'Wipster',
  tiktok: 'TikTok',
};

/** "YouTube", "Frame.io"…; a generic page is named by its host ("cdn.example.com"). */
export function platformName(platform: string, url: string): string {
  const name = NAMES[platform];
  if (name) return name;
  try {
    return new URL(url).host || platform;
  } catch {
    return platform;
  }
}
