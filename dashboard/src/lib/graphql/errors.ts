import type { CombinedError } from '@urql/core';

/** A GraphQL error as the server sends it: a message and `extensions.code`, maybe a field. */
export interface ServerError {
  code: string;
  message: string;
  field: string | null;
}

/** The first error of a failed operation, with the server's code; network failures are
 * `NETWORK_ERROR`. */
export function serverError(error: CombinedError): ServerError {
  const first = error.graphQLErrors[0];
  if (first) {
    const extensions = first.extensions as Record<string, unknown>;
    const code = typeof extensions.code === 'string' ? extensions.code : 'INTERNAL';
    const field = typeof extensions.field === 'string' ? extensions.field : null;
    return { code, message: first.message, field };
  }
  return {
    code: 'NETWORK_ERROR',
    message: 'The server cannot be reached. Check the connection and try again.',
    field: null,
  };
}

export function hasCode(error: CombinedError | undefined, code: string): boolean {
  return error?.graphQLErrors.some((e) => e.extensions.code === code) ?? false;
}
