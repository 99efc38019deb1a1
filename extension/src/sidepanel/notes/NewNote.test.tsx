import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { NewNote } from './NewNote';

const never = () => new Promise<string | null>(() => undefined);

describe('the typed-note field', () => {
  beforeEach(() => window.localStorage.clear());

  it('keeps what was typed for its video when the panel shows another tab for a while', async () => {
    const user = userEvent.setup();
    const first = render(
      <NewNote videoId="v1" onSubmit={never} disabled={false} returned={null} />,
    );
    await user.type(screen.getByLabelText('Note at the current time'), 'the cut is late');
    first.unmount();

    // Another video's field is its own.
    const other = render(
      <NewNote videoId="v2" onSubmit={never} disabled={false} returned={null} />,
    );
    expect(screen.getByLabelText('Note at the current time')).toHaveValue('');
    other.unmount();

    render(<NewNote videoId="v1" onSubmit={never} disabled={false} returned={null} />);
    expect(screen.getByLabelText('Note at the current time')).toHaveValue('the cut is late');
  });

  it('forgets the draft once the note is handed over', async () => {
    const user = userEvent.setup();
    const submit = vi.fn(() => Promise.resolve(null));
    const view = render(
      <NewNote videoId="v1" onSubmit={submit} disabled={false} returned={null} />,
    );
    await user.type(screen.getByLabelText('Note at the current time'), 'too loud{Enter}');
    expect(submit).toHaveBeenCalledWith('too loud');
    expect(screen.getByLabelText('Note at the current time')).toHaveValue('');
    view.unmount();
    render(<NewNote videoId="v1" onSubmit={submit} disabled={false} returned={null} />);
    expect(screen.getByLabelText('Note at the current time')).toHaveValue('');
  });

  it('puts a note the browser had no room for back in an empty field, with the reason', () => {
    const { rerender } = render(
      <NewNote videoId="v1" onSubmit={never} disabled={false} returned={null} />,
    );
    rerender(
      <NewNote
        videoId="v1"
        onSubmit={never}
        disabled={false}
        returned={{ key: 'k', text: 'hum under the voice', message: 'no room left' }}
      />,
    );
    expect(screen.getByLabelText('Note at the current time')).toHaveValue('hum under the voice');
    expect(screen.getByRole('alert')).toHaveTextContent('Not saved: no room left');
  });
});
