import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router';
import { Provider } from 'urql';
import { fromValue, merge, never } from 'wonka';
import { describe, expect, it, vi } from 'vitest';

import type { LibraryVideosQuery, LibraryVideosQueryVariables } from '@/gql/graphql';

import { LibraryPage } from './LibraryPage';

type Video = LibraryVideosQuery['videos']['nodes'][number];

const intro: Video = {
  id: 'v-1',
  platform: 'youtube',
  canonicalUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  title: 'Intro cut v3',
  thumbnailUrl: null,
  status: 'ACTIVE',
  lastViewedAt: '2026-12-01T10:00:00Z',
  noteSummary: {
    totalCount: 3,
    countsByCategory: [
      { category: 'AUDIO', count: 2 },
      { category: 'EDITING', count: 1 },
    ],
  },
};

function Address() {
  const location = useLocation();
  return <output data-testid="address">{location.search}</output>;
}

/** The page over a client that answers with `videos(variables)`. */
function renderPage(videos: (variables: LibraryVideosQueryVariables) => Video[], path = '/') {
  const executeQuery = vi.fn((request: { variables: LibraryVideosQueryVariables }) =>
    merge([
      fromValue({
        data: {
          videos: {
            pageInfo: { hasNextPage: false, endCursor: null },
            nodes: videos(request.variables),
          },
        },
        stale: false,
        hasNext: false,
      }),
      never,
    ]),
  );
  render(
    <MemoryRouter initialEntries={[path]}>
      <Provider value={{ executeQuery }}>
        <LibraryPage />
        <Address />
      </Provider>
    </MemoryRouter>,
  );
  return { executeQuery };
}

describe('LibraryPage', () => {
  it('shows each video with its platform, note count and category chips', () => {
    renderPage(() => [
      intro,
      { ...intro, id: 'v-2', title: null, noteSummary: { totalCount: 0, countsByCategory: [] } },
    ]);
    const link = screen.getByRole('link', { name: 'Intro cut v3' });
    expect(link).toHaveAttribute('href', '/videos/v-1');
    const card = link.closest('article') as HTMLElement;
    expect(card).toHaveTextContent('YouTube');
    expect(card).toHaveTextContent('3 notes');
    expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toContain('editing 1');
    // No title: the canonical URL stands in.
    expect(screen.getByRole('link', { name: intro.canonicalUrl })).toHaveAttribute(
      'href',
      '/videos/v-2',
    );
  });

  it('without videos and without filters, explains how to add one', () => {
    renderPage(() => []);
    expect(screen.getByRole('heading', { name: 'No videos yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'GraphiQL' })).toHaveAttribute('href', '/graphiql');
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
  });

  it('searches after a pause in typing, keeps it in the address, and clears filters', async () => {
    const { executeQuery } = renderPage(
      (variables) => (variables.search || variables.platform ? [] : [intro]),
      '/?platform=vimeo',
    );
    expect(screen.getByRole('heading', { name: 'No videos match' })).toBeInTheDocument();
    expect(screen.getByLabelText('Platform')).toHaveValue('vimeo');

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Search'), 'outro');
    await waitFor(() => expect(screen.getByTestId('address')).toHaveTextContent('q=outro'));
    expect(executeQuery).toHaveBeenLastCalledWith(
      expect.objectContaining({
        variables: { first: 24, platform: 'vimeo', status: null, search: 'outro' },
      }),
      expect.anything(),
    );
    // One query for the whole word, not one per letter.
    const searches = executeQuery.mock.calls.map(([request]) => request.variables.search);
    expect(searches.filter((search) => search && search !== 'outro')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(screen.getByTestId('address')).toHaveTextContent(/^$/);
    expect(screen.getByLabelText('Search')).toHaveValue('');
    expect(screen.getByRole('link', { name: 'Intro cut v3' })).toBeInTheDocument();
  });
});
