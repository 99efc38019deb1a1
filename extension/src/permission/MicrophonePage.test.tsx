import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import type { MicrophoneApi } from './microphone';
import { MicrophonePage } from './MicrophonePage';

function domError(name: string): Error {
  const error = new Error(name);
  error.name = name;
  return error;
}

class FakeStatus extends EventTarget {
  constructor(public state: PermissionState) {
    super();
  }
  set(state: PermissionState) {
    this.state = state;
    this.dispatchEvent(new Event('change'));
  }
}

function fakeApi(state: PermissionState | null, answer: () => Promise<MediaStream>) {
  const status = state === null ? null : new FakeStatus(state);
  const getUserMedia = vi.fn(answer);
  const api: MicrophoneApi = {
    getUserMedia,
    permission: () => Promise.resolve(status as unknown as PermissionStatus | null),
  };
  return { api, status, getUserMedia };
}

function stream() {
  const stop = vi.fn();
  return { stop, stream: { getTracks: () => [{ stop }] } as unknown as MediaStream };
}

describe('MicrophonePage', () => {
  it('explains where the audio goes, and asks only when the reviewer presses the button', async () => {
    const { stop, stream: granted } = stream();
    const { api, getUserMedia } = fakeApi('prompt', () => Promise.resolve(granted));
    render(<MicrophonePage api={api} />);
    expect(screen.getByText(/goes only to the\s+transcriber/)).toBeInTheDocument();
    const allow = await screen.findByRole('button', { name: 'Allow the microphone' });
    expect(getUserMedia).not.toHaveBeenCalled();
    await userEvent.click(allow);
    expect(getUserMedia).toHaveBeenCalledTimes(1);
    const outcome = await screen.findByRole('heading', { name: 'The microphone is allowed' });
    // The stream was only for the permission: let go at once.
    expect(stop).toHaveBeenCalled();
    expect(outcome).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Close this tab' })).toBeInTheDocument();
  });

  it('works from the keyboard', async () => {
    const { stream: granted } = stream();
    const { api } = fakeApi('prompt', () => Promise.resolve(granted));
    render(<MicrophonePage api={api} />);
    await screen.findByRole('button', { name: 'Allow the microphone' });
    await userEvent.tab();
    expect(screen.getByRole('button', { name: 'Allow the microphone' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: 'The microphone is allowed' })).toHaveFocus();
  });

  it('shows an earlier grant without asking again', async () => {
    const { api, getUserMedia } = fakeApi('granted', () => Promise.reject(domError('x')));
    render(<MicrophonePage api={api} />);
    expect(
      await screen.findByRole('heading', { name: 'The microphone is allowed' }),
    ).toBeInTheDocument();
    expect(getUserMedia).not.toHaveBeenCalled();
  });

  it('a refusal says how to allow it in Chrome, and offers to try again', async () => {
    const { api } = fakeApi('prompt', () => Promise.reject(domError('NotAllowedError')));
    const openSettings = vi.fn();
    render(<MicrophonePage api={api} openSettings={openSettings} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Allow the microphone' }));
    expect(
      await screen.findByRole('heading', { name: 'The microphone is blocked for Lossy' }),
    ).toHaveFocus();
    expect(screen.getByText(/set\s+Microphone to Allow/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: "Open Chrome's settings for Lossy" }));
    expect(openSettings).toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('follows a change made in Chrome while the page is open', async () => {
    const { api, status } = fakeApi('denied', () => Promise.reject(domError('NotAllowedError')));
    render(<MicrophonePage api={api} />);
    await screen.findByRole('heading', { name: 'The microphone is blocked for Lossy' });
    act(() => status?.set('granted'));
    expect(
      await screen.findByRole('heading', { name: 'The microphone is allowed' }),
    ).toBeInTheDocument();
  });

  it('no microphone is its own state, with what to do', async () => {
    const { api } = fakeApi(null, () => Promise.reject(domError('NotFoundError')));
    render(<MicrophonePage api={api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Allow the microphone' }));
    expect(await screen.findByRole('heading', { name: 'No microphone' })).toHaveFocus();
    expect(screen.getByText(/Connect a microphone/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
