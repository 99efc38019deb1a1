// Telling a single-page navigation from the page merely touching its URL: pure.

/**
 * What identifies the page for the content script: the URL without its fragment, unless the
 * fragment is a route (`#/assets/…`, `#!/…`, hash-routed apps such as Iconik's previous one).
 * A media fragment or an anchor (`#t=30`, `#comments`) is the same page.
 */
export function pageKey(href: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  const routed = url.hash.startsWith('#/') || url.hash.startsWith('#!');
  if (!routed) url.hash = '';
  // An empty `#` leaves a bare "#" in href.
  return url.href.endsWith('#') ? url.href.slice(0, -1) : url.href;
}

/**
 * Several signals report one navigation (the Navigation API, popstate, YouTube's
 * `yt-navigate-finish`, polling): only the first that sees a new page key counts.
 */
export class NavigationDetector {
  private key: string;

  constructor(href: string) {
    this.key = pageKey(href);
  }

  /** True when `href` is another page than the one last seen. */
  changed(href: string): boolean {
    const key = pageKey(href);
    if (key === this.key) return false;
    this.key = key;
    return true;
  }
}
