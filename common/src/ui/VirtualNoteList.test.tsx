import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';

import { nextIndex, VirtualNoteList, type VirtualNoteListHandle } from './VirtualNoteList';

interface Row {
  id: string;
  at: number;
}

const rows: Row[] = Array.from({ length: 1000 }, (_, index) => ({ id: `n${index}`, at: index }));

// jsdom lays nothing out: a 400-pixel scroller with 40-pixel rows shows about ten.
function height(element: HTMLElement): number {
  return element.classList.contains('notes-scroller') ? 400 : 40;
}
beforeAll(() => {
  for (const property of ['clientHeight', 'offsetHeight'] as const) {
    vi.spyOn(HTMLElement.prototype, property, 'get').mockImplementation(function (
      this: HTMLElement,
    ) {
      return height(this);
    });
  }
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(300);
  vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockReturnValue(300);
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (
    this: HTMLElement,
  ) {
    return DOMRect.fromRect({ width: 300, height: height(this) });
  });
});

afterAll(() => {
  vi.restoreAllMocks();
});

function renderList(props: { pinned?: Set<string>; onItemKey?: () => boolean } = {}) {
  const ref = createRef<VirtualNoteListHandle>();
  render(
    <VirtualNoteList
      ref={ref}
      items={rows}
      estimatedRowHeight={40}
      label="Notes in video order"
      renderItem={(row) => (
        <button type="button" className="note-time">
          at {row.at}
        </button>
      )}
      {...props}
    />,
  );
  return ref;
}

const drawn = () => screen.queryAllByRole('button').map((button) => button.textContent);

describe('the virtualised note list', () => {
  it('draws the rows in view and a few more, not a thousand', () => {
    renderList();
    const shown = drawn();
    expect(shown[0]).toBe('at 0');
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.length).toBeLessThan(40);
  });

  it('keeps pinned rows drawn wherever they are', () => {
    renderList({ pinned: new Set(['n700']) });
    expect(drawn()).toContain('at 700');
  });

  it('moves focus with j and k (and the arrows) from the focused row', async () => {
    const user = userEvent.setup();
    renderList();
    screen.getByRole('button', { name: 'at 0' }).focus();
    await user.keyboard('j');
    await waitFor(() => expect(screen.getByRole('button', { name: 'at 1' })).toHaveFocus());
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(screen.getByRole('button', { name: 'at 2' })).toHaveFocus());
    await user.keyboard('k');
    await waitFor(() => expect(screen.getByRole('button', { name: 'at 1' })).toHaveFocus());
  });

  it('passes other keys to the app with the focused row', async () => {
    const user = userEvent.setup();
    const onItemKey = vi.fn(() => true);
    renderList({ onItemKey });
    screen.getByRole('button', { name: 'at 3' }).focus();
    await user.keyboard('e');
    expect(onItemKey).toHaveBeenCalledWith(rows[3], expect.objectContaining({ key: 'e' }));
  });

  it('scrolls to and focuses a row asked for by id, even far away', async () => {
    const ref = renderList();
    ref.current?.focusItem('n500');
    await waitFor(() => expect(screen.getByRole('button', { name: 'at 500' })).toHaveFocus());
  });
});

describe('nextIndex', () => {
  it('moves down and up within the list, from nothing to the first row', () => {
    expect(nextIndex('j', null, 3)).toBe(0);
    expect(nextIndex('j', 2, 3)).toBe(2);
    expect(nextIndex('ArrowUp', 0, 3)).toBe(0);
    expect(nextIndex('k', 2, 3)).toBe(1);
    expect(nextIndex('x', 1, 3)).toBeNull();
    expect(nextIndex('j', null, 0)).toBeNull();
  });
});
