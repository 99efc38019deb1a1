// A stand-in urql client for the admin pages' component tests: each operation, by name, gets
// the answer a test gives (data or a server error), and every call is recorded.

import type { ReactNode } from 'react';
import { render } from '@testing-library/react';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import { MemoryRouter } from 'react-router';
import { CombinedError, Provider, type Client, type Operation } from 'urql';
import { fromValue, makeSubject, merge, never, type Subject } from 'wonka';
import { vi } from 'vitest';

type Answer = { data: unknown } | { error: { message: string; code: string; field?: string } };
export type Handler = Answer | ((variables: Record<string, unknown>) => Answer);

export function operationName(query: DocumentNode): string {
  for (const definition of query.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) {
      return definition.name.value;
    }
  }
  return '';
}

function resultOf(operation: Operation, handler: Handler | undefined) {
  const answer =
    typeof handler === 'function'
      ? handler(operation.variables as Record<string, unknown>)
      : (handler ?? { data: undefined });
  if ('error' in answer) {
    const { message, code, field } = answer.error;
    return {
      operation,
      error: new CombinedError({
        graphQLErrors: [new GraphQLError(message, { extensions: { code, field } })],
      }),
      stale: false,
      hasNext: false,
    };
  }
  return { operation, data: answer.data, stale: false, hasNext: false };
}

export interface FakeServer {
  client: Client;
  calls: (name: string) => Record<string, unknown>[];
  /** Pushes a value to every subscription of that name. */
  push: (name: string, data: unknown) => void;
}

export function fakeServer(handlers: Record<string, Handler>): FakeServer {
  const log: { name: string; variables: Record<string, unknown> }[] = [];
  const subjects = new Map<string, { subject: Subject<unknown>; operation: Operation }>();
  const answer = (operation: Operation) => {
    const name = operationName(operation.query);
    log.push({ name, variables: operation.variables as Record<string, unknown> });
    return resultOf(operation, handlers[name]);
  };
  const client = {
    // Like the real client's, query streams stay open (a completed one resets urql's state).
    executeQuery: vi.fn((operation: Operation) => merge([fromValue(answer(operation)), never])),
    executeMutation: vi.fn((operation: Operation) => fromValue(answer(operation))),
    executeSubscription: vi.fn((operation: Operation) => {
      const name = operationName(operation.query);
      log.push({ name, variables: operation.variables as Record<string, unknown> });
      const subject = makeSubject<unknown>();
      subjects.set(name, { subject, operation });
      return subject.source as never;
    }),
    // `useClient().query(...).toPromise()` (Load more, refreshes).
    query: vi.fn((query: DocumentNode, variables: Record<string, unknown>) => {
      const operation = { query, variables } as unknown as Operation;
      return { toPromise: () => Promise.resolve(answer(operation)) };
    }),
  } as unknown as Client;
  return {
    client,
    calls: (name) => log.filter((entry) => entry.name === name).map((entry) => entry.variables),
    push: (name, data) => {
      const entry = subjects.get(name);
      entry?.subject.next({ operation: entry.operation, data, stale: false, hasNext: false });
    },
  };
}

export function renderPage(server: FakeServer, page: ReactNode, path = '/admin') {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Provider value={server.client}>{page}</Provider>
    </MemoryRouter>,
  );
}
