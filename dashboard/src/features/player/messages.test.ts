import {
  clockTime,
  parseVimeoMessage,
  parseYouTubeMessage,
  reportClock,
  STOPPED_CLOCK,
  vimeoCommand,
  youtubeCommand,
  youtubeListening,
} from './messages';

describe('YouTube messages', () => {
  it('reads infoDelivery’s position, state and rate', () => {
    const data = JSON.stringify({
      event: 'infoDelivery',
      info: { currentTime: 12.5, playerState: 1, playbackRate: 1.5, volume: 100 },
      id: 1,
      channel: 'widget',
    });
    expect(parseYouTubeMessage(data)).toEqual({
      ready: true,
      currentTime: 12.5,
      playing: true,
      playbackRate: 1.5,
    });
  });

  it('reads a paused state and ready', () => {
    expect(parseYouTubeMessage('{"event":"infoDelivery","info":{"playerState":2}}')).toEqual({
      ready: true,
      playing: false,
    });
    expect(parseYouTubeMessage('{"event":"onReady","info":null}')).toEqual({ ready: true });
    expect(parseYouTubeMessage('{"event":"onStateChange","info":1}')).toEqual({
      ready: true,
      playing: true,
    });
  });

  it('ignores what is not a player message', () => {
    expect(parseYouTubeMessage('not json')).toBeNull();
    expect(parseYouTubeMessage({ event: 'somethingElse' })).toBeNull();
    expect(parseYouTubeMessage(42)).toBeNull();
    expect(parseYouTubeMessage('{"event":"infoDelivery","info":"x"}')).toBeNull();
    expect(parseYouTubeMessage('{"event":"infoDelivery","info":{"currentTime":"12"}}')).toEqual({
      ready: true,
    });
  });

  it('writes listening and commands as the IFrame API does', () => {
    expect(JSON.parse(youtubeListening(3))).toEqual({
      event: 'listening',
      id: 3,
      channel: 'widget',
    });
    expect(JSON.parse(youtubeCommand('seekTo', [42, true], 3))).toEqual({
      event: 'command',
      func: 'seekTo',
      args: [42, true],
      id: 3,
      channel: 'widget',
    });
  });
});

describe('Vimeo messages', () => {
  it('reads timeupdate as an object or a JSON string', () => {
    const message = { event: 'timeupdate', data: { seconds: 7.25, percent: 0.1, duration: 70 } };
    expect(parseVimeoMessage(message)).toEqual({ ready: true, currentTime: 7.25 });
    expect(parseVimeoMessage(JSON.stringify(message))).toEqual({ ready: true, currentTime: 7.25 });
  });

  it('reads ready, play, pause and getCurrentTime answers', () => {
    expect(parseVimeoMessage({ event: 'ready', player_id: 'x' })).toEqual({ ready: true });
    expect(parseVimeoMessage({ event: 'play' })).toEqual({ ready: true, playing: true });
    expect(parseVimeoMessage({ event: 'pause' })).toEqual({ ready: true, playing: false });
    expect(parseVimeoMessage({ method: 'getCurrentTime', value: 3 })).toEqual({ currentTime: 3 });
  });

  it('ignores what is not a player message', () => {
    expect(parseVimeoMessage({ event: 'timeupdate', data: {} })).toBeNull();
    expect(parseVimeoMessage({ method: 'getVolume', value: 1 })).toBeNull();
    expect(parseVimeoMessage('{')).toBeNull();
    expect(parseVimeoMessage(null)).toBeNull();
  });

  it('writes method calls as player.js does', () => {
    expect(vimeoCommand('setCurrentTime', 12)).toEqual({ method: 'setCurrentTime', value: 12 });
    expect(vimeoCommand('addEventListener', 'timeupdate')).toEqual({
      method: 'addEventListener',
      value: 'timeupdate',
    });
    expect(vimeoCommand('getCurrentTime')).toEqual({ method: 'getCurrentTime' });
  });
});

describe('PlaybackClock', () => {
  it('moves on with the wall clock while playing, at the playback rate', () => {
    let clock = reportClock(STOPPED_CLOCK, { currentTime: 10, playing: true }, 1_000);
    expect(clockTime(clock, 3_000)).toBe(12);
    clock = reportClock(clock, { playbackRate: 2 }, 3_000);
    expect(clockTime(clock, 4_000)).toBe(14);
  });

  it('stands still while paused', () => {
    let clock = reportClock(STOPPED_CLOCK, { currentTime: 10, playing: true }, 0);
    clock = reportClock(clock, { playing: false }, 1_500);
    expect(clockTime(clock, 60_000)).toBe(11.5);
  });

  it('takes a reported position as it is', () => {
    let clock = reportClock(STOPPED_CLOCK, { currentTime: 10, playing: true }, 0);
    clock = reportClock(clock, { currentTime: 4 }, 5_000);
    expect(clockTime(clock, 5_000)).toBe(4);
  });
});
