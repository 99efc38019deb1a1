import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Provider, type Client, type TypedDocumentNode } from 'urql';
import { fromValue } from 'wonka';
import { parse } from 'graphql';
import { describe, expect, it, vi } from 'vitest';

import { usePagedQuery, type ConnectionPage } from './usePagedQuery';

interface Item {
  id: string;
}
interface Data {
  items: ConnectionPage<Item>;
}
interface Variables {
  [name: string]: unknown;
  filter: string;
  after?: string | null;
}

const ItemsDocument = parse(
  'query Items($filter: String, $after: String) { items(filter: $filter, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }',
) as unknown as TypedDocumentNode<Data, Variables>;

/** Three pages of two items per filter: a1 a2 | a3 a4 | a5 a6. */
function page(filter: string, after: string | null | undefined): Data {
  const index = after ? Number(after) : 0;
  const ids = [index * 2 + 1, index * 2 + 2].map((n) => ({ id: `${filter}${n}` }));
  return {
    items: {
      nodes: ids,
      pageInfo: { hasNextPage: index < 2, endCursor: String(index + 1) },
    },
  };
}

function mockClient() {
  const query = vi.fn((_doc: unknown, variables: Variables) => ({
    toPromise: () => Promise.resolve({ data: page(variables.filter, variables.after) }),
  }));
  const client = {
    executeQuery: vi.fn((request: { variables: Variables }) =>
      fromValue({ data: page(request.variables.filter, null), stale: false, hasNext: false }),
    ),
    query,
  } as unknown as Client;
  return { client, query };
}

const connection = (data: Data) => data.items;

describe('usePagedQuery', () => {
  it('appends pages with the previous endCursor until there are no more', async () => {
    const { client, query } = mockClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <Provider value={client}>{children}</Provider>
    );
    const { result } = renderHook(
      () => usePagedQuery({ query: ItemsDocument, variables: { filter: 'a' }, connection }),
      { wrapper },
    );
    expect(result.current.nodes.map((n) => n.id)).toEqual(['a1', 'a2']);
    expect(result.current.hasNextPage).toBe(true);

    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.nodes).toHaveLength(4));
    expect(query).toHaveBeenLastCalledWith(
      ItemsDocument,
      { filter: 'a', after: '1' },
      { requestPolicy: 'network-only' },
    );
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.nodes).toHaveLength(6));
    expect(result.current.nodes.map((n) => n.id)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
    expect(result.current.hasNextPage).toBe(false);
  });

  it('starts over from the first page when the variables change', async () => {
    const { client } = mockClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <Provider value={client}>{children}</Provider>
    );
    const { result, rerender } = renderHook(
      ({ filter }: { filter: string }) =>
        usePagedQuery({ query: ItemsDocument, variables: { filter }, connection }),
      { wrapper, initialProps: { filter: 'a' } },
    );
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.nodes).toHaveLength(4));
    rerender({ filter: 'b' });
    expect(result.current.nodes.map((n) => n.id)).toEqual(['b1', 'b2']);
  });
});
