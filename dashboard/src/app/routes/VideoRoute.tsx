import { useCallback, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@lossy/common/ui';

import { NotesPanel } from '@/features/notes/NotesPanel';
import { useVideoNotes } from '@/features/notes/useVideoNotes';
import type { PlayerHandle } from '@/features/player/handle';
import { Player, type PlayerVideo } from '@/features/player/Player';
import { playerKind } from '@/features/player/playerKind';
import { useVideo } from '@/features/player/useVideo';
import { VideoHeader } from '@/features/player/VideoHeader';

import './video.css';

/** `/videos/:videoId`: the video's player beside its notes. */
export function VideoRoute() {
  const { videoId = '' } = useParams();
  const state = useVideo(videoId);
  switch (state.kind) {
    case 'loading':
      return <LoadingState label="Loading the video" />;
    case 'not-found':
      return (
        <EmptyState title="This video isn't in your library">
          <p>
            It may belong to another account, or the link may be mistyped.{' '}
            <Link to="/">Back to the library</Link>.
          </p>
        </EmptyState>
      );
    case 'failed':
      return (
        <ErrorState
          title="The video could not be loaded"
          message={state.error.message}
          onRetry={state.retry}
        />
      );
    case 'ready':
      return <VideoPage key={state.video.id} video={state.video} />;
  }
}

/** The player and the notes meet here: features do not import each other. */
function VideoPage({ video }: { video: PlayerVideo }) {
  const player = useRef<PlayerHandle>(null);
  const notes = useVideoNotes(video.id);
  const onSeek = useCallback((seconds: number) => {
    player.current?.seek(seconds);
  }, []);
  const currentTime = useCallback(() => player.current?.currentTime() ?? null, []);
  return (
    <div className="video-page">
      <VideoHeader video={video} noteCount={notes.summary?.totalCount ?? null} />
      <div className="video-layout">
        <div className="video-player-column">
          <Player ref={player} video={video} />
        </div>
        <NotesPanel
          videoId={video.id}
          notes={notes}
          onSeek={onSeek}
          currentTime={currentTime}
          opensExternally={playerKind(video) === 'external'}
        />
      </div>
    </div>
  );
}
