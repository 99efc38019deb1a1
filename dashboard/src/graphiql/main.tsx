// GraphiQL at /graphiql, bundled from the `graphiql` npm package (no CDN: it works offline).
// The token field fills `Authorization` over HTTP and `connection_init.token` over the socket;
// left empty, the browser's session cookie signs both in.

import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { Playground } from './Playground';

const root = document.getElementById('graphiql-root');
if (!root) throw new Error('graphiql.html has no #graphiql-root');
createRoot(root).render(
  <StrictMode>
    <Playground />
  </StrictMode>,
);
