import { act, render, screen } from '@testing-library/react';
import { createRef } from 'react';
import { Client, makeResult, Provider } from 'urql';
import { filter, map, pipe } from 'wonka';
import { vi } from 'vitest';

import type { PlayerHandle } from './handle';
import { Player, type PlayerVideo } from './Player';

const base: PlayerVideo = {
  id: 'v1',
  platform: 'youtube',
  externalId: 'abc',
  canonicalUrl: 'https://www.youtube.com/watch?v=abc',
  embedUrl: 'https://www.youtube.com/embed/abc',
  lastUrl: 'https://www.youtube.com/watch?v=abc',
  title: 'Cut 3',
  durationSeconds: 120,
};

function renderPlayer(video: PlayerVideo, client?: Client) {
  const ref = createRef<PlayerHandle>();
  const player = <Player ref={ref} video={video} />;
  render(client ? <Provider value={client}>{player}</Provider> : player);
  return ref;
}

function post(
  frame: HTMLIFrameElement,
  origin: string,
  data: unknown,
  source: unknown = frame.contentWindow,
) {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window }));
  });
}

describe('Player', () => {
  it('drives YouTube over postMessage, trusting only its frame and origin', () => {
    const ref = renderPlayer(base);
    const frame = screen.getByTitle<HTMLIFrameElement>('YouTube player: Cut 3');
    const url = new URL(frame.src);
    expect(url.searchParams.get('enablejsapi')).toBe('1');
    expect(url.searchParams.get('origin')).toBe(window.location.origin);
    const sent = vi.spyOn(frame.contentWindow as Window, 'postMessage');

    frame.dispatchEvent(new Event('load'));
    expect(JSON.parse(sent.mock.calls[0]?.[0] as string)).toMatchObject({ event: 'listening' });
    expect(sent.mock.calls[0]?.[1]).toBe('https://www.youtube.com');

    const info = JSON.stringify({
      event: 'infoDelivery',
      info: { currentTime: 33, playerState: 2 },
    });
    post(frame, 'https://evil.test', info);
    post(frame, 'https://www.youtube.com', info, window);
    expect(ref.current?.currentTime()).toBe(0);
    post(frame, 'https://www.youtube.com', info);
    expect(ref.current?.currentTime()).toBe(33);

    ref.current?.seek(61);
    expect(JSON.parse(sent.mock.calls.at(-1)?.[0] as string)).toMatchObject({
      event: 'command',
      func: 'seekTo',
      args: [61, true],
    });
    expect(ref.current?.currentTime()).toBe(61);
  });

  it('drives Vimeo over postMessage', () => {
    const ref = renderPlayer({
      ...base,
      platform: 'vimeo',
      canonicalUrl: 'https://vimeo.com/1',
      embedUrl: 'https://player.vimeo.com/video/1',
    });
    const frame = screen.getByTitle<HTMLIFrameElement>('Vimeo player: Cut 3');
    const sent = vi.spyOn(frame.contentWindow as Window, 'postMessage');
    post(frame, 'https://player.vimeo.com', { event: 'ready' });
    expect(sent).toHaveBeenCalledWith(
      { method: 'addEventListener', value: 'timeupdate' },
      'https://player.vimeo.com',
    );
    post(frame, 'https://player.vimeo.com', { event: 'timeupdate', data: { seconds: 9.5 } });
    expect(ref.current?.currentTime()).toBe(9.5);
    ref.current?.seek(20);
    expect(sent).toHaveBeenLastCalledWith(
      { method: 'setCurrentTime', value: 20 },
      'https://player.vimeo.com',
    );
  });

  it('plays a media file in a <video> and seeks it', () => {
    const ref = renderPlayer({
      ...base,
      platform: 'generic',
      canonicalUrl: 'http://127.0.0.1:9/clip.mp4',
      embedUrl: 'http://127.0.0.1:9/clip.mp4',
    });
    const video = screen.getByLabelText<HTMLVideoElement>('127.0.0.1:9 player: Cut 3');
    expect(video.tagName).toBe('VIDEO');
    ref.current?.seek(12);
    expect(video.currentTime).toBe(12);
    expect(ref.current?.currentTime()).toBe(12);
  });

  it('sends other platforms to their site, opening the deep link on seek', async () => {
    const asked = vi.fn();
    const client = new Client({
      url: 'http://lossy.test/graphql',
      exchanges: [
        () => (operations) =>
          pipe(
            operations,
            filter((op) => op.kind === 'query'),
            map((op) => {
              asked(op.variables);
              return makeResult(op, {
                data: { video: { id: 'v1', deepLink: 'https://app.frame.io/player/x?t=42' } },
              });
            }),
          ),
      ],
    });
    const tab = { opener: {}, location: { href: 'about:blank' }, close: vi.fn() };
    const open = vi.spyOn(window, 'open').mockReturnValue(tab as unknown as Window);
    const ref = renderPlayer(
      {
        ...base,
        platform: 'frameio',
        canonicalUrl: 'https://app.frame.io/player/x',
        embedUrl: 'https://app.frame.io/player/x',
      },
      client,
    );
    expect(
      screen.getByRole('heading', { name: 'This platform can’t be embedded here' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Open on Frame.io/ })).toHaveAttribute(
      'href',
      'https://app.frame.io/player/x',
    );
    expect(ref.current?.currentTime()).toBeNull();
    await act(async () => {
      ref.current?.seek(42);
      await Promise.resolve();
    });
    expect(asked).toHaveBeenCalledWith({ id: 'v1', seconds: 42 });
    expect(open).toHaveBeenCalledTimes(1);
    expect(tab.opener).toBeNull();
    expect(tab.location.href).toBe('https://app.frame.io/player/x?t=42');
    open.mockRestore();
  });
});
