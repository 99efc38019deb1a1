import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { CategoryChip } from './CategoryChip';
import { EmptyState, ErrorState, LoadingState } from './states';

describe('the shared states', () => {
  it('announces loading politely and hides the spinner from assistive technology', () => {
    render(<LoadingState label="Loading notes" />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading notes…');
  });

  it('announces an empty state only when asked to', () => {
    const { rerender } = render(<EmptyState title="No notes yet" />);
    expect(screen.queryByRole('status')).toBeNull();
    rerender(<EmptyState title="No notes yet" announce />);
    expect(screen.getByRole('status')).toHaveTextContent('No notes yet');
  });

  it('offers Try again only with a retry, and calls it', async () => {
    const retry = vi.fn();
    const { rerender } = render(<ErrorState title="Failed" message="The server said no" />);
    expect(screen.getByRole('alert')).toHaveTextContent('The server said no');
    expect(screen.queryByRole('button')).toBeNull();
    rerender(<ErrorState title="Failed" message="The server said no" onRetry={retry} />);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('names a category in words, not only by colour', () => {
    render(<CategoryChip category="AUDIO" />);
    expect(screen.getByText('Audio')).toBeVisible();
    expect(screen.getByText('Category:')).toHaveClass('visually-hidden');
  });
});
