import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createClient } from 'graphql-ws';
import { useEffect, useMemo, useState, type SyntheticEvent } from 'react';

import { readToken, socketUrl, storeToken } from './token';

const DEFAULT_QUERY = `# Signed in to the web app, queries run as you; or paste a token above
# (\`lossy token --email you@example.com\`).
query Me {
  me { email role }
  handshake(requestedVersion: 2) { protocol { activeVersion } features config }
}

# subscription Settings { settingsChanged { cooldownMs version } }
`;

export function Playground() {
  const [draft, setDraft] = useState(readToken);
  const [token, setToken] = useState(readToken);

  const socket = useMemo(
    () =>
      createClient({
        url: socketUrl(window.location),
        lazy: true,
        connectionParams: {
          ...(token ? { token } : {}),
          requestedVersion: 2,
          client: { name: 'graphiql', version: '5' },
        },
      }),
    [token],
  );
  useEffect(() => () => void socket.dispose(), [socket]);

  const fetcher = useMemo(
    () =>
      createGraphiQLFetcher({
        url: '/graphql',
        wsClient: socket,
        headers: token ? { Authorization: `Bearer ${token}` } : {},
      }),
    [socket, token],
  );

  const apply = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = draft.trim();
    storeToken(next);
    setToken(next);
  };

  return (
    <div className="playground">
      <form className="token-bar" onSubmit={apply}>
        <a href="/">Lossy</a>
        <label htmlFor="token">Token</label>
        <input
          id="token"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="paste the output of `lossy token --email you@example.com` (or leave empty when signed in)"
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit">Use token</button>
      </form>
      <div className="graphiql-host">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
      </div>
    </div>
  );
}
