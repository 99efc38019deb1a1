import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GraphQLError } from 'graphql';
import { CombinedError, Provider, type Client } from 'urql';
import { fromValue, makeSubject, never, type Subject } from 'wonka';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { SettingsPage } from './SettingsPage';
import { CHANGED_ELSEWHERE, type Settings } from './settingsForm';
import { settingsAt } from './testSettings';

// urql's documented way to test components: a client whose execute* methods return wonka
// sources. Queries answer at once; the subscription is a subject the test pushes into.

interface Rig {
  client: Client;
  executeMutation: ReturnType<typeof vi.fn>;
  changed: Subject<{ data: { settingsChanged: Settings } }>;
}

function rig(mutationAnswer: () => unknown = () => never): Rig {
  const changed = makeSubject<{ data: { settingsChanged: Settings } }>();
  const executeMutation = vi.fn(mutationAnswer);
  const client = {
    executeQuery: vi.fn(() =>
      fromValue({
        data: { me: { id: 'user-1' }, settings: settingsAt(1) },
        stale: false,
        hasNext: false,
      }),
    ),
    executeMutation,
    executeSubscription: vi.fn(() => changed.source),
  } as unknown as Client;
  return { client, executeMutation, changed };
}

function renderPage({ client }: Rig) {
  return render(
    <Provider value={client}>
      <SettingsPage />
    </Provider>,
  );
}

function statusText(): string {
  return screen
    .getAllByRole('status')
    .map((element) => element.textContent)
    .join(' | ');
}

afterEach(() => {
  window.localStorage.clear();
});

describe('SettingsPage', () => {
  it('shows the server’s BAD_USER_INPUT message beside its field and keeps what was typed', async () => {
    const message = 'cooldownMs must be between 0 and 10000 (got 999999)';
    const test = rig(() =>
      fromValue({
        error: new CombinedError({
          graphQLErrors: [
            new GraphQLError(message, {
              extensions: { code: 'BAD_USER_INPUT', field: 'cooldownMs' },
            }),
          ],
        }),
        stale: false,
        hasNext: false,
      }),
    );
    renderPage(test);
    const user = userEvent.setup();

    const cooldown = await screen.findByLabelText(/Quiet time after a note/);
    expect(cooldown).toHaveValue('500');
    await user.clear(cooldown);
    await user.type(cooldown, '999999');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(test.executeMutation).toHaveBeenCalledTimes(1);
    expect(test.executeMutation).toHaveBeenCalledWith(
      expect.objectContaining({ variables: { input: { cooldownMs: 999999, expectedVersion: 1 } } }),
      expect.anything(),
    );

    await waitFor(() => expect(cooldown).toHaveAttribute('aria-invalid', 'true'));
    expect(cooldown).toHaveValue('999999');
    expect(cooldown).toHaveAccessibleDescription(expect.stringContaining(message));
    expect(cooldown).toHaveFocus();
    // Only that field: its neighbour is untouched.
    expect(screen.getByLabelText(/Join speech resumed within/)).not.toHaveAttribute('aria-invalid');
  });

  it('adopts a change from another device while the form is clean, and announces it', async () => {
    const test = rig();
    renderPage(test);
    const cooldown = await screen.findByLabelText(/Quiet time after a note/);

    act(() => {
      test.changed.next({ data: { settingsChanged: settingsAt(2, { cooldownMs: 900 }) } });
    });

    expect(cooldown).toHaveValue('900');
    expect(statusText()).toContain(CHANGED_ELSEWHERE);
    expect(screen.queryByRole('button', { name: 'Load the newer values' })).toBeNull();
  });

  it('holds a change from another device while the form has edits, until asked', async () => {
    const test = rig();
    renderPage(test);
    const user = userEvent.setup();
    const cooldown = await screen.findByLabelText(/Quiet time after a note/);
    const preRoll = screen.getByLabelText(/Audio kept from before speech/);
    await user.clear(cooldown);
    await user.type(cooldown, '700');

    act(() => {
      test.changed.next({ data: { settingsChanged: settingsAt(2, { preRollMs: 300 }) } });
    });

    // Nothing the user typed moves; the newer values wait behind a notice.
    expect(cooldown).toHaveValue('700');
    expect(preRoll).toHaveValue('500');
    const load = screen.getByRole('button', { name: 'Load the newer values' });
    expect(statusText()).toMatch(/changed on another device while you were editing/);

    await user.click(load);
    expect(preRoll).toHaveValue('300');
    expect(cooldown).toHaveValue('700');
    expect(screen.queryByRole('button', { name: 'Load the newer values' })).toBeNull();
  });

  it('says "Saved" after a successful save and sends the new version next time', async () => {
    const test = rig(() =>
      fromValue({
        data: { updateSettings: settingsAt(2, { autoPauseVideo: false }) },
        stale: false,
        hasNext: false,
      }),
    );
    renderPage(test);
    const user = userEvent.setup();
    const pause = await screen.findByRole('checkbox', { name: 'Pause the video while I speak' });
    await user.click(pause);
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(statusText()).toContain('Saved'));
    expect(pause).not.toBeChecked();
    const actions = screen.getByRole('button', { name: 'Save changes' }).closest('div');
    expect(
      within(actions as HTMLElement).getByRole('button', { name: 'Discard changes' }),
    ).toBeDisabled();
  });
});
