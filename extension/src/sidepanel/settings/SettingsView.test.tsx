import { screen, waitFor } from '@testing-library/react';

import { renderPanel } from '../test/renderPanel';

describe('settings view', () => {
  it('reads the server’s settings, saves a change through the outbox, and shows a refusal beside its field', async () => {
    const { user, store } = renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const confidence = await screen.findByLabelText('Lowest confidence kept (0 to 1)');
    expect(confidence).toHaveValue('0.3');

    await user.clear(confidence);
    await user.type(confidence, '5');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const error = await screen.findByText('minConfidence must be between 0 and 1.');
    expect(confidence).toHaveAttribute('aria-describedby', error.id);
    expect(confidence).toHaveAttribute('aria-invalid', 'true');

    await user.clear(confidence);
    await user.type(confidence, '0.45');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(store.settings.minConfidence).toBe(0.45);
    await waitFor(() =>
      expect(screen.getByLabelText('Lowest confidence kept (0 to 1)')).toHaveValue('0.45'),
    );
  });

  it('follows a change made elsewhere', async () => {
    const { user, store } = renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    await screen.findByLabelText('Lowest confidence kept (0 to 1)');
    store.updateSettings({ cooldownMs: 900 });
    await waitFor(() =>
      expect(screen.getByLabelText('Quiet time after a note (milliseconds)')).toHaveValue('900'),
    );
  });
});
