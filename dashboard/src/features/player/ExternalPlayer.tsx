import { useImperativeHandle, useState, type Ref } from 'react';
import { useClient } from 'urql';

import { serverError } from '@/lib/graphql/errors';

import { DeepLinkDocument } from './api';
import type { PlayerHandle } from './handle';

/**
 * A platform whose player cannot be framed here (Frame.io, iconik, Wipster, TikTok, any web
 * page). Seeking opens the platform at that second in a new tab, from the server's
 * `deepLink(seconds)`.
 */
export function ExternalPlayer({
  videoId,
  url,
  platformName,
  ref,
}: {
  videoId: string;
  url: string;
  platformName: string;
  ref: Ref<PlayerHandle>;
}) {
  const client = useClient();
  const [error, setError] = useState<string | null>(null);

  useImperativeHandle(
    ref,
    () => ({
      seek(seconds) {
        setError(null);
        // Opened now, while the click still counts as the reader's gesture (a tab opened
        // after the query would be blocked), and pointed at the link once it arrives.
        const tab = window.open('about:blank', '_blank');
        if (tab) tab.opener = null;
        void client
          .query(DeepLinkDocument, { id: videoId, seconds }, { requestPolicy: 'network-only' })
          .toPromise()
          .then((answer) => {
            const link = answer.data?.video.deepLink;
            if (link) {
              if (tab) tab.location.href = link;
              else window.open(link, '_blank', 'noopener');
              return;
            }
            tab?.close();
            setError(
              answer.error
                ? serverError(answer.error).message
                : 'The server did not give a link to this moment.',
            );
          });
      },
      currentTime: () => null,
    }),
    [client, videoId],
  );

  return (
    <div className="player-external card">
      <h2>This platform can&rsquo;t be embedded here</h2>
      <p>
        {platformName} does not let other sites play its videos. Watch it on {platformName};
        choosing a note&rsquo;s time opens the video there, at that moment, in a new tab.
      </p>
      <a className="button primary" href={url} target="_blank" rel="noopener noreferrer">
        Open on {platformName}
        <span className="visually-hidden"> (opens in a new tab)</span>
      </a>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
