import { platformName } from './platforms';

describe('platformName', () => {
  it('names known platforms', () => {
    expect(platformName('youtube', 'https://www.youtube.com/watch?v=a')).toBe('YouTube');
    expect(platformName('frameio', 'https://app.frame.io/player/1')).toBe('Frame.io');
  });

  it('names a generic page by its host', () => {
    expect(platformName('generic', 'http://127.0.0.1:8080/clip.mp4')).toBe('127.0.0.1:8080');
    expect(platformName('generic', 'not a url')).toBe('generic');
  });
});
