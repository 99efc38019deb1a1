import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { fakeServer, renderPage } from '../shared/testClient';
import { FlagsPage } from './FlagsPage';

const flag = {
  name: 'voice_v2',
  description: 'The new voice pipeline',
  defaultEnabled: false,
  rolloutPercent: 10,
  updatedAt: '2026-12-01T10:00:00Z',
  overrides: [{ userId: 'u-9', email: 'zed@x.test', enabled: true }],
};

const ada = { id: 'u-1', email: 'ada@x.test', name: 'Ada' };

function setup() {
  return fakeServer({
    AdminFeatureFlags: { data: { featureFlags: [flag] } },
    AdminFindUsers: { data: { users: { nodes: [ada] } } },
    AdminFeatureFlagPreview: (variables) => {
      const input = variables.input as { rolloutPercent: number; userId?: string };
      return {
        data: {
          featureFlagPreview: {
            name: 'voice_v2',
            usersConsidered: 50,
            changedCount: input.rolloutPercent === 10 ? 0 : 1,
            turningOn: input.rolloutPercent === 10 ? 0 : 1,
            turningOff: 0,
            changes:
              input.rolloutPercent === 10
                ? []
                : [
                    {
                      user: { id: 'u-1', email: 'ada@x.test' },
                      before: false,
                      after: true,
                      reason: 'ROLLOUT',
                    },
                  ],
            user: input.userId
              ? {
                  user: { id: 'u-1', email: 'ada@x.test' },
                  enabled: true,
                  reason: 'ROLLOUT',
                  bucket: 12,
                }
              : null,
          },
        },
      };
    },
    AdminSetFeatureFlag: { data: { setFeatureFlag: { ...flag, rolloutPercent: 25 } } },
  });
}

describe('FlagsPage', () => {
  it('shows each flag with its default, rollout and overrides', () => {
    renderPage(setup(), <FlagsPage />, '/admin/flags');
    const card = screen.getByRole('region', { name: 'voice_v2' });
    expect(within(card).getByText('10 %')).toBeInTheDocument();
    expect(within(card).getByRole('rowheader', { name: 'zed@x.test' })).toBeInTheDocument();
  });

  it('previews an edit, explains a user, refuses a rollout of 101, and saves', async () => {
    const user = userEvent.setup();
    const server = setup();
    renderPage(server, <FlagsPage />, '/admin/flags');
    await user.click(screen.getByRole('button', { name: 'Edit voice_v2' }));
    const rollout = screen.getByLabelText('Rollout (%)');

    await user.clear(rollout);
    await user.type(rollout, '101');
    expect(screen.getByText('The rollout is from 0 to 100.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();

    await user.clear(rollout);
    await user.type(rollout, '25');
    expect(
      await screen.findByText('1 of 50 users change: 1 turns on, 0 turn off.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Users whose answer changes' })).toHaveTextContent(
      'ada@x.test',
    );
    // Debounced: no preview was asked for 101 (invalid) and not for every keystroke.
    const asked = server
      .calls('AdminFeatureFlagPreview')
      .map((v) => (v.input as { rolloutPercent: number }).rolloutPercent);
    expect(asked).not.toContain(101);
    expect(asked).not.toContain(2);

    await user.type(screen.getByLabelText('Explain for a user'), 'ada@x.test');
    expect(
      await screen.findByText(
        'ada@x.test: On: rollout bucket 12 is below 25 %, so the rollout turns it on.',
      ),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(server.calls('AdminSetFeatureFlag')).toEqual([
      { input: { name: 'voice_v2', rolloutPercent: 25 } },
    ]);
    await waitFor(() =>
      expect(screen.getByText('Saved: default off, rollout 25 %.')).toBeInTheDocument(),
    );
  });

  it('clears an override', async () => {
    const user = userEvent.setup();
    const server = setup();
    renderPage(server, <FlagsPage />, '/admin/flags');
    await user.click(screen.getByRole('button', { name: 'Clear override of zed@x.test' }));
    expect(server.calls('AdminSetFeatureFlagOverride')).toEqual([
      { input: { name: 'voice_v2', userId: 'u-9', enabled: null } },
    ]);
  });
});
