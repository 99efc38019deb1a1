import { useCallback, useEffect, useRef, useState } from 'react';
import {
  useClient,
  useQuery,
  type AnyVariables,
  type CombinedError,
  type TypedDocumentNode,
} from 'urql';

/** The part of a GraphQL connection that paging needs. */
export interface ConnectionPage<Node> {
  nodes: Node[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface More<Node> {
  /** The variables these pages belong to; other variables start over. */
  key: string;
  pages: ConnectionPage<Node>[];
  loading: boolean;
  error: CombinedError | null;
}

export interface PagedQuery<Node> {
  /** Every node loaded so far, first page first, each id once. */
  nodes: Node[];
  /** True until the first page has answered. */
  loading: boolean;
  /** Why the first page failed; nothing is shown then. */
  error: CombinedError | null;
  hasNextPage: boolean;
  loadingMore: boolean;
  /** Why the last "load more" failed; the pages already shown stay. */
  moreError: CombinedError | null;
  loadMore: () => void;
  retry: () => void;
}

/**
 * A list read page by page with the API's forward cursors, each page appended to the ones
 * before ("Load more"). The first page is an ordinary `useQuery` (cached, refetched when the
 * variables change); later pages are fetched on demand with the previous page's `endCursor`.
 * `variables` must not contain `after`: the hook sets it.
 */
export function usePagedQuery<Data, Variables extends AnyVariables, Node extends { id: string }>({
  query,
  variables,
  connection,
}: {
  query: TypedDocumentNode<Data, Variables>;
  variables: Variables;
  connection: (data: Data) => ConnectionPage<Node>;
}): PagedQuery<Node> {
  const client = useClient();
  const [result, reexecute] = useQuery<Data, Variables>({ query, variables });
  const key = JSON.stringify(variables);
  const [stored, setMore] = useState<More<Node>>(() => fresh(key));
  // Pages loaded for other variables (the filters changed) are not shown: start over.
  const more = stored.key === key ? stored : fresh<Node>(key);
  const keyRef = useRef(key);
  useEffect(() => {
    keyRef.current = key;
  }, [key]);

  const first = result.data === undefined ? null : connection(result.data);
  const last = more.pages.at(-1) ?? first;
  const cursor = last?.pageInfo.endCursor ?? null;
  const hasNextPage = (last?.pageInfo.hasNextPage ?? false) && cursor !== null;

  const loadMore = () => {
    if (more.loading || cursor === null) return;
    const forKey = key;
    const current = (m: More<Node>) => (m.key === forKey ? m : fresh<Node>(forKey));
    setMore((m) => ({ ...current(m), loading: true, error: null }));
    void client
      .query(query, { ...variables, after: cursor }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((answer) => {
        if (keyRef.current !== forKey) return;
        setMore((m) => {
          const base = current(m);
          if (answer.data === undefined) {
            return { ...base, loading: false, error: answer.error ?? null };
          }
          return { ...base, loading: false, pages: [...base.pages, connection(answer.data)] };
        });
      });
  };

  const retry = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);

  const seen = new Set<string>();
  const nodes: Node[] = [];
  for (const page of first ? [first, ...more.pages] : []) {
    for (const node of page.nodes) {
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      nodes.push(node);
    }
  }

  return {
    nodes,
    loading: first === null && result.error === undefined,
    error: first === null ? (result.error ?? null) : null,
    hasNextPage,
    loadingMore: more.loading,
    moreError: more.error,
    loadMore,
    retry,
  };
}

function fresh<Node>(key: string): More<Node> {
  return { key, pages: [], loading: false, error: null };
}
