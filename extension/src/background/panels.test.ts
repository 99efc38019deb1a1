// A panel's operations on the worker's socket: a `resume` stream is handed to the socket as a
// payload read at each send (after the last offset passed on to the panel), the panel hears
// when it was sent again, and a refusal carries the server's codes.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { panelPortName, type PanelToWorker, type WorkerToPanel } from '@/shared/messages';

import { Panels } from './panels';
import type { OperationPayload, OperationSink, Socket } from './socket/socket';

class FakePort {
  readonly name = panelPortName(1);
  readonly sender = { url: 'chrome-extension://lossy/sidepanel.html' };
  readonly posted: WorkerToPanel[] = [];
  private listener: ((message: unknown) => void) | null = null;
  onMessage = { addListener: (listener: (message: unknown) => void) => (this.listener = listener) };
  onDisconnect = { addListener: () => undefined };
  postMessage(message: WorkerToPanel) {
    this.posted.push(message);
  }
  disconnect() {}
  send(message: PanelToWorker) {
    this.listener?.(message);
  }
  /** What the worker sent about operations (not its state). */
  get about() {
    return this.posted.filter((message) => message.kind !== 'state');
  }
}

function rig() {
  const started: { payload: OperationPayload; sink: OperationSink }[] = [];
  const socket = {
    subscribe(payload: OperationPayload, sink: OperationSink) {
      started.push({ payload, sink });
      return () => undefined;
    },
  } as unknown as Socket;
  const panels = new Panels(
    socket,
    () => Promise.resolve(),
    () => ({}) as never,
  );
  const port = new FakePort();
  panels.accept(port as unknown as chrome.runtime.Port);
  return { started, port };
}

const read = (payload: OperationPayload | undefined) =>
  typeof payload === 'function' ? payload() : payload;

const STREAM = {
  query: 'subscription PanelNoteEvents($videoId: ID!, $since: String) { noteEvents { x } }',
  variables: { videoId: 'v1' },
};

beforeEach(() => {
  vi.stubGlobal('chrome', {
    runtime: { getURL: (path: string) => `chrome-extension://lossy/${path}` },
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a panel stream that resumes', () => {
  it('is sent again after the last offset the panel was given, and the panel hears so', () => {
    const { started, port } = rig();
    port.send({ kind: 'op/start', id: 'op-1', operation: STREAM, resume: true });
    const [stream] = started;
    expect(read(stream?.payload)).toEqual(STREAM);

    stream?.sink.next({ data: { noteEvents: { __typename: 'NoteCreated', offset: 'o-4' } } });
    stream?.sink.next({
      data: { noteEvents: { __typename: 'VideoSummaryUpdated', offset: 'o-5' } },
    });
    const again = { ...STREAM, variables: { videoId: 'v1', since: 'o-5' } };
    expect(read(stream?.payload)).toEqual(again);
    stream?.sink.resent?.(again);
    expect(port.about.at(-1)).toEqual({ kind: 'op/restarted', id: 'op-1', since: 'o-5' });
    expect(port.about.filter((message) => message.kind === 'op/next')).toHaveLength(2);
  });

  it('passes the server’s codes on when it refuses the offset', () => {
    const { started, port } = rig();
    port.send({ kind: 'op/start', id: 'op-1', operation: STREAM, resume: true });
    const errors = [{ message: 'too old', extensions: { code: 'EVENTS_EXPIRED' } }];
    started[0]?.sink.error('too old', errors);
    expect(port.about).toEqual([{ kind: 'op/error', id: 'op-1', message: 'too old', errors }]);
  });

  it('leaves any other operation as the panel sent it', () => {
    const { started, port } = rig();
    port.send({ kind: 'op/start', id: 'op-1', operation: STREAM });
    started[0]?.sink.next({ data: { noteEvents: { __typename: 'NoteCreated', offset: 'o-4' } } });
    expect(started[0]?.payload).toBe(STREAM);
  });
});
