import { isMediaUrl, playerKind, vimeoEmbedUrl, youtubeEmbedUrl } from './playerKind';

const video = (platform: string, canonicalUrl: string, embedUrl = canonicalUrl) => ({
  platform,
  canonicalUrl,
  embedUrl,
});

describe('playerKind', () => {
  it('embeds YouTube and Vimeo from their player hosts', () => {
    expect(
      playerKind(
        video(
          'youtube',
          'https://www.youtube.com/watch?v=abc',
          'https://www.youtube.com/embed/abc',
        ),
      ),
    ).toBe('youtube');
    expect(
      playerKind(video('vimeo', 'https://vimeo.com/1', 'https://player.vimeo.com/video/1?h=ff')),
    ).toBe('vimeo');
  });

  it('does not frame an embed URL from another host, whatever the platform says', () => {
    expect(
      playerKind(video('youtube', 'https://www.youtube.com/watch?v=abc', 'https://evil.test/x')),
    ).toBe('external');
  });

  it('plays direct media files of the generic platform in a <video>', () => {
    expect(playerKind(video('generic', 'http://127.0.0.1:9000/clip.mp4'))).toBe('media');
    expect(playerKind(video('generic', 'https://cdn.test/a/B.WEBM'))).toBe('media');
    expect(playerKind(video('generic', 'https://cdn.test/song.mp3'))).toBe('media');
  });

  it('sends every other platform and page to its own site', () => {
    for (const platform of ['frameio', 'iconik', 'wipster', 'tiktok']) {
      expect(playerKind(video(platform, `https://${platform}.test/v/1.mp4`))).toBe('external');
    }
    expect(playerKind(video('generic', 'https://blog.test/post/video-review'))).toBe('external');
    expect(playerKind(video('generic', 'https://blog.test/clip.mp4.html'))).toBe('external');
  });
});

describe('isMediaUrl', () => {
  it('looks at the path, not the query', () => {
    expect(isMediaUrl('https://cdn.test/v.mov?token=1')).toBe(true);
    expect(isMediaUrl('https://cdn.test/watch?file=v.mp4')).toBe(false);
  });

  it('refuses what is not http(s) or not a URL', () => {
    expect(isMediaUrl('ftp://cdn.test/v.mp4')).toBe(false);
    expect(isMediaUrl('not a url.mp4')).toBe(false);
  });
});

describe('embed URLs', () => {
  it('turns on YouTube’s JS API for this page’s origin', () => {
    const url = new URL(
      youtubeEmbedUrl('https://www.youtube.com/embed/abc?start=3', 'https://lossy.test'),
    );
    expect(url.origin + url.pathname).toBe('https://www.youtube.com/embed/abc');
    expect(url.searchParams.get('enablejsapi')).toBe('1');
    expect(url.searchParams.get('origin')).toBe('https://lossy.test');
    expect(url.searchParams.get('start')).toBe('3');
  });

  it('keeps Vimeo’s unlisted hash', () => {
    expect(vimeoEmbedUrl('https://player.vimeo.com/video/1?h=ff')).toBe(
      'https://player.vimeo.com/video/1?h=ff',
    );
  });
});
