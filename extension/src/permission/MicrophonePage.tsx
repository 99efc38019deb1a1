// The microphone page (`microphone.html`): why Lossy needs the microphone, one button that
// asks for it, and what to do when it is refused or missing. An offscreen document cannot
// show Chrome's prompt, so the permission is asked here, on a page the reviewer sees.

import { useEffect, useRef, useState } from 'react';

import {
  askForMicrophone,
  browserMicrophone,
  fromPermission,
  type MicrophoneApi,
  type MicrophoneState,
} from './microphone';

export interface MicrophonePageProps {
  api?: MicrophoneApi;
  /** Opens Chrome's settings for this extension's site permissions. */
  openSettings?: () => void;
  closePage?: () => void;
}

function openExtensionSettings(): void {
  const site = encodeURIComponent(`chrome-extension://${chrome.runtime.id}`);
  void chrome.tabs.create({ url: `chrome://settings/content/siteDetails?site=${site}` });
}

export function MicrophonePage({
  api = browserMicrophone,
  openSettings = openExtensionSettings,
  closePage = () => window.close(),
}: MicrophonePageProps) {
  const [state, setState] = useState<MicrophoneState>({ kind: 'checking' });
  const outcome = useRef<HTMLHeadingElement>(null);
  const asked = useRef(false);

  useEffect(() => {
    let status: PermissionStatus | null = null;
    let live = true;
    const follow = () => {
      // Chrome's own answer (or a change in its settings) while the page is open.
      if (status && live) setState(fromPermission(status.state));
    };
    void api.permission().then((found) => {
      if (!live) return;
      status = found;
      setState(found ? fromPermission(found.state) : { kind: 'prompt' });
      found?.addEventListener('change', follow);
    });
    return () => {
      live = false;
      status?.removeEventListener('change', follow);
    };
  }, [api]);

  useEffect(() => {
    // After an answer the reviewer asked for, the outcome is read out and takes the focus.
    if (asked.current && state.kind !== 'asking') outcome.current?.focus();
  }, [state]);

  const ask = async () => {
    asked.current = true;
    setState({ kind: 'asking' });
    setState(await askForMicrophone(api));
  };

  return (
    <main className="microphone-page">
      <h1>Lossy needs your microphone</h1>
      <section aria-labelledby="why">
        <h2 id="why">Why</h2>
        <p>
          With voice review on, you talk while you watch: when you start speaking the video pauses,
          and what you said becomes a note at the second you began.
        </p>
        <p>
          Speech is detected on this computer. The audio of what you say goes only to the
          transcriber chosen in Lossy&apos;s settings: on this computer, or the transcription
          endpoint you set there. It is sent nowhere else, and Lossy listens only while voice review
          is on.
        </p>
      </section>
      <section aria-labelledby="outcome" className="microphone-outcome">
        <Outcome
          state={state}
          headingRef={outcome}
          onAsk={() => void ask()}
          onOpenSettings={openSettings}
          onClose={closePage}
        />
      </section>
    </main>
  );
}

function Outcome({
  state,
  headingRef,
  onAsk,
  onOpenSettings,
  onClose,
}: {
  state: MicrophoneState;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  onAsk: () => void;
  onOpenSettings: () => void;
  onClose: () => void;
}) {
  const heading = (text: string) => (
    <h2 id="outcome" ref={headingRef} tabIndex={-1}>
      {text}
    </h2>
  );
  switch (state.kind) {
    case 'checking':
      return (
        <>
          {heading('Microphone')}
          <p role="status">Checking the microphone permission…</p>
        </>
      );
    case 'prompt':
      return (
        <>
          {heading('Allow the microphone')}
          <p>Chrome will ask once. Choose Allow.</p>
          <button type="button" className="button primary" onClick={onAsk}>
            Allow the microphone
          </button>
        </>
      );
    case 'asking':
      return (
        <>
          {heading('Allow the microphone')}
          <p role="status">Waiting for your answer in Chrome&apos;s prompt…</p>
        </>
      );
    case 'granted':
      return (
        <div className="notice microphone-granted">
          {heading('The microphone is allowed')}
          <p>
            You can close this tab and turn voice review on in Lossy&apos;s side panel. To take the
            permission back later, use Chrome&apos;s settings for Lossy.
          </p>
          <button type="button" className="button" onClick={onClose}>
            Close this tab
          </button>
        </div>
      );
    case 'denied':
      return (
        <div className="notice notice-error">
          {heading('The microphone is blocked for Lossy')}
          <p>
            Chrome will not ask again. To allow it, open Chrome&apos;s settings for Lossy, set
            Microphone to Allow, then come back and press Try again.
          </p>
          <div className="microphone-actions">
            <button type="button" className="button primary" onClick={onOpenSettings}>
              Open Chrome&apos;s settings for Lossy
            </button>
            <button type="button" className="button" onClick={onAsk}>
              Try again
            </button>
          </div>
        </div>
      );
    case 'missing':
      return (
        <div className="notice notice-error">
          {heading('No microphone')}
          <p>{state.message}</p>
          <p>Connect a microphone (or choose one in Chrome&apos;s settings), then try again.</p>
          <button type="button" className="button primary" onClick={onAsk}>
            Try again
          </button>
        </div>
      );
    case 'error':
      return (
        <div className="notice notice-error">
          {heading('The microphone could not be opened')}
          <p>{state.message}</p>
          <button type="button" className="button primary" onClick={onAsk}>
            Try again
          </button>
        </div>
      );
  }
}
