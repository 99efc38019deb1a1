import { describe, expect, it } from 'vitest';

import { platformName, videoSiteName } from './vocabulary';

describe('platform names', () => {
  it('names known platforms, a generic page "Web", and shows an unknown id as it is', () => {
    expect(platformName('frameio')).toBe('Frame.io');
    expect(platformName('generic')).toBe('Web');
    expect(platformName('newtube')).toBe('newtube');
  });

  it('names one video’s site by its platform, or a generic page by its host', () => {
    expect(videoSiteName('youtube', 'https://www.youtube.com/watch?v=a')).toBe('YouTube');
    expect(videoSiteName('generic', 'http://127.0.0.1:8080/clip.mp4')).toBe('127.0.0.1:8080');
    expect(videoSiteName('generic', 'not a url')).toBe('Web');
  });
});
