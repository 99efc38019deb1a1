// End to end: the real `graphql-ws` npm client against a real `lossy serve`.
//
// Proves the "done when": a dashboard login, an extension token, a WebSocket
// `connection_init` (the handshake arrives in `connection_ack`) and a `settingsChanged` round
// trip, plus a refused token (close 4403) and a graceful Ctrl-C; and a transcript submitted on
// one socket arriving as a note on another (`noteEvents`).
//
// Builds nothing: it runs the binary at $LOSSY_BIN (default <repo>/target/debug/lossy);
// tests/e2e/run.sh builds it first.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const LOSSY_BIN = process.env.LOSSY_BIN
  ? path.resolve(repoRoot, process.env.LOSSY_BIN)
  : path.join(repoRoot, 'target', 'debug', 'lossy');

const ADMIN_EMAIL = 'e2e-admin@localhost';
const ADMIN_PASSWORD = 'e2e-password-' + randomUUID();

/** Rejects with a message naming `what` when `promise` takes longer than `ms`. */
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The child's environment: ours, less every LOSSY_* and DATABASE_URL, plus `extra`. */
function serverEnv(extra) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('LOSSY_') || name === 'DATABASE_URL') continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** Starts `lossy serve` on a free port; resolves once it printed its address. */
function startServer(dataDir) {
  const child = spawn(LOSSY_BIN, ['serve', '--bind', '127.0.0.1:0'], {
    env: serverEnv({
      LOSSY_DATA_DIR: dataDir,
      LOSSY_ADMIN_EMAIL: ADMIN_EMAIL,
      LOSSY_ADMIN_PASSWORD: ADMIN_PASSWORD,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: [], stderr: [] };
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  // Keep draining both pipes for the whole run, so the server never blocks on a full pipe.
  createInterface({ input: child.stderr }).on('line', (line) => output.stderr.push(line));
  const stdout = createInterface({ input: child.stdout });
  const address = new Promise((resolve, reject) => {
    child.on('error', (err) => reject(new Error(`cannot run ${LOSSY_BIN}: ${err.message}`)));
    stdout.on('line', (line) => {
      output.stdout.push(line);
      const rest = line.split('listening on http://')[1];
      if (rest !== undefined) resolve(rest.trim().split(/\s+/)[0]);
    });
    exited.then(({ code, signal }) =>
      reject(new Error(`lossy serve exited before listening (code ${code}, signal ${signal})`)),
    );
  });
  return { child, output, exited, address };
}

/** One operation over a graphql-ws client; resolves with every result it produced. */
function execute(client, payload, what) {
  return within(
    10_000,
    what,
    new Promise((resolve, reject) => {
      const results = [];
      client.subscribe(payload, {
        next: (result) => results.push(result),
        error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
        complete: () => resolve(results),
      });
    }),
  );
}

/** A graphql-ws client on the server's socket that remembers its ack and close. */
function connect(addr, connectionParams) {
  let onAck;
  let onClosed;
  let onFailure;
  const ack = new Promise((resolve) => (onAck = resolve));
  const closed = new Promise((resolve) => (onClosed = resolve));
  const failure = new Promise((resolve) => (onFailure = resolve));
  const client = createClient({
    url: `ws://${addr}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: (err) => onFailure(err),
    on: {
      connected: (_socket, payload) => onAck(payload),
      closed: (event) => onClosed(event),
    },
  });
  return { client, ack, closed, failure };
}

describe('graphql-ws client against lossy serve', { timeout: 60_000 }, () => {
  let dataDir;
  let server;
  let addr;
  let session; // the lossy_session cookie, "lossy_session=…"
  let extension; // the extension_token answer
  const clients = [];

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'lossy-e2e-'));
    server = startServer(dataDir);
    addr = await within(20_000, 'lossy serve printing its address', server.address);
  });

  after(async () => {
    for (const client of clients) await client.dispose();
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await within(5_000, 'the killed server exiting', server.exited).catch(() => {});
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  // The server's own output helps when something fails; node --test shows diagnostics.
  const diagnose = (t) => {
    if (!server) return;
    t.diagnostic(`server stdout:\n${server.output.stdout.join('\n')}`);
    t.diagnostic(`server stderr (last 40 lines):\n${server.output.stderr.slice(-40).join('\n')}`);
  };

  it('logs in with the admin account and gets the session cookie', async (t) => {
    const response = await within(
      10_000,
      'POST /api/auth/login',
      fetch(`http://${addr}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
      }),
    );
    const body = await response.json();
    if (response.status !== 200) diagnose(t);
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.user.email, ADMIN_EMAIL);
    const cookie = response.headers
      .getSetCookie()
      .map((header) => header.split(';')[0])
      .find((pair) => pair.startsWith('lossy_session='));
    assert.ok(cookie, 'set-cookie carries lossy_session');
    assert.ok(cookie.length > 'lossy_session='.length, 'the session cookie has a value');
    session = cookie;
  });

  it('mints an extension token with the session cookie', async (t) => {
    assert.ok(session, 'needs the login of the previous test');
    const deviceId = randomUUID();
    const response = await within(
      10_000,
      'POST /api/auth/extension_token',
      fetch(`http://${addr}/api/auth/extension_token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: session,
          origin: `http://${addr}`,
        },
        body: JSON.stringify({ deviceId, deviceName: 'e2e' }),
      }),
    );
    const body = await response.json();
    if (response.status !== 200) diagnose(t);
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(typeof body.token, 'string');
    assert.equal(body.token.split('.').length, 3, 'the token is a JWT');
    assert.equal(typeof body.refreshToken, 'string');
    assert.ok(body.refreshToken.length > 0);
    assert.ok(!Number.isNaN(Date.parse(body.expiresAt)), `expiresAt is a date: ${body.expiresAt}`);
    assert.ok(Date.parse(body.expiresAt) > Date.now(), 'the token has not expired');
    assert.equal(body.protocolVersion, 2);
    extension = body;
  });

  it('connects, receives the handshake in connection_ack and round-trips settingsChanged', async (t) => {
    assert.ok(extension, 'needs the token of the previous test');
    const { client, ack, failure } = connect(addr, {
      token: extension.token,
      requestedVersion: 2,
      client: { name: 'e2e', version: '1' },
    });
    clients.push(client);
    const payload = await within(
      10_000,
      'connection_ack',
      Promise.race([
        ack,
        failure.then((err) => {
          diagnose(t);
          throw new Error(`the socket failed before its ack: code ${err?.code} ${err?.reason ?? err}`);
        }),
      ]),
    );
    assert.equal(payload.protocol.activeVersion, 2);
    assert.deepEqual(payload.protocol.supportedVersions, [1, 2]);
    assert.equal(payload.features.server_voice_session, true);
    assert.equal(payload.config.cooldownMs, 500);
    assert.ok(!Number.isNaN(Date.parse(payload.serverTime)), 'serverTime is a date');

    // The same handshake as a query over the socket.
    const [handshake] = await execute(
      client,
      { query: 'query { handshake(requestedVersion: 2) { protocol { activeVersion } features config } }' },
      'handshake query',
    );
    assert.equal(handshake.errors, undefined, JSON.stringify(handshake.errors));
    assert.equal(handshake.data.handshake.protocol.activeVersion, 2);
    assert.equal(handshake.data.handshake.config.cooldownMs, 500);

    // Subscribe, then mutate on the same socket: the server registers the subscription before
    // it runs any later operation of that socket, so the change must arrive.
    const events = [];
    let unsubscribe;
    const changed = within(
      10_000,
      'settingsChanged after updateSettings',
      new Promise((resolve, reject) => {
        unsubscribe = client.subscribe(
          { query: 'subscription { settingsChanged { cooldownMs version } }' },
          {
            next: (result) => {
              events.push(result);
              resolve(result);
            },
            error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
            complete: () => reject(new Error('settingsChanged completed without an event')),
          },
        );
      }),
    );
    const [mutation] = await execute(
      client,
      { query: 'mutation { updateSettings(input: {cooldownMs: 750}) { cooldownMs version } }' },
      'updateSettings mutation',
    );
    assert.equal(mutation.errors, undefined, JSON.stringify(mutation.errors));
    assert.equal(mutation.data.updateSettings.cooldownMs, 750);

    const event = await changed;
    unsubscribe();
    assert.equal(event.errors, undefined, JSON.stringify(event.errors));
    assert.equal(event.data.settingsChanged.cooldownMs, 750);
    assert.equal(event.data.settingsChanged.version, mutation.data.updateSettings.version);
  });

  it('streams a submitted transcript as a note to another socket of the user', async (t) => {
    assert.ok(extension, 'needs the token of an earlier test');
    const params = { token: extension.token, requestedVersion: 2, client: { name: 'e2e', version: '1' } };
    const tab = connect(addr, params);
    const panel = connect(addr, params);
    clients.push(tab.client, panel.client);
    await within(10_000, 'both connection_acks', Promise.all([tab.ack, panel.ack]));

    const [detected] = await execute(
      tab.client,
      {
        query: 'mutation($input: DetectVideoInput!) { detectVideo(input: $input) { id } }',
        variables: { input: { url: 'https://vimeo.com/76979871', durationSeconds: 120 } },
      },
      'detectVideo',
    );
    assert.equal(detected.errors, undefined, JSON.stringify(detected.errors));
    const videoId = detected.data.detectVideo.id;

    // The side panel subscribes; a query after it on the same socket runs only once the
    // subscription is registered, so no note can slip by before it.
    const utteranceId = `e2e-${randomUUID()}`;
    let unsubscribe;
    const events = [];
    const created = within(
      10_000,
      'NoteCreated on the panel socket',
      new Promise((resolve, reject) => {
        unsubscribe = panel.client.subscribe(
          {
            query: `subscription($video: ID) { noteEvents(videoId: $video) {
              __typename
              ... on NoteCreated { note { utteranceId category status version timestampSeconds } }
              ... on VideoSummaryUpdated { totalCount }
            } }`,
            variables: { video: videoId },
          },
          {
            next: (result) => {
              events.push(result);
              if (result.data?.noteEvents?.__typename === 'VideoSummaryUpdated') resolve(events);
            },
            error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
            complete: () => reject(new Error('noteEvents completed')),
          },
        );
      }),
    );
    await execute(panel.client, { query: '{ __typename }' }, 'the probe after the subscription');

    const [submitted] = await execute(
      tab.client,
      {
        query: `mutation($input: SubmitTranscriptInput!) {
          submitTranscript(input: $input) { id utteranceId status } }`,
        variables: {
          input: {
            utteranceId, videoId, mediaTime: 42.5, durationMs: 1800,
            text: 'um, the music is way too loud under the interview', confidence: 0.93,
            source: 'e2e',
          },
        },
      },
      'submitTranscript',
    );
    if (submitted.errors) diagnose(t);
    assert.equal(submitted.errors, undefined, JSON.stringify(submitted.errors));

    const [note, summary] = await created;
    unsubscribe();
    assert.equal(note.data.noteEvents.__typename, 'NoteCreated');
    assert.deepEqual(note.data.noteEvents.note, {
      utteranceId, category: 'AUDIO', status: 'GHOST', version: 1, timestampSeconds: 42.5,
    });
    assert.equal(summary.data.noteEvents.totalCount, 1);
  });

  it('closes a socket whose token is bad with 4403', async () => {
    const { client, ack, closed, failure } = connect(addr, {
      token: 'not-a-valid-token',
      requestedVersion: 2,
      client: { name: 'e2e', version: '1' },
    });
    clients.push(client);
    let acked = false;
    ack.then(() => (acked = true));
    const sinkError = new Promise((resolve) => {
      client.subscribe(
        { query: 'query { handshake(requestedVersion: 2) { protocol { activeVersion } } }' },
        {
          next: () => {},
          error: (err) => resolve(err),
          complete: () => resolve(new Error('the operation completed on a refused socket')),
        },
      );
    });
    const event = await within(10_000, 'the close of the refused socket', closed);
    assert.equal(event.code, 4403, `close code ${event.code} (${event.reason})`);
    const reported = await within(5_000, 'the client reporting the refusal', failure);
    assert.equal(reported.code, 4403);
    const operationError = await within(5_000, 'the operation failing', sinkError);
    assert.equal(operationError.code, 4403);
    assert.equal(acked, false, 'a bad token is never acknowledged');
  });

  it('stops on SIGINT with exit code 0, closing open sockets with 1001', async () => {
    assert.ok(extension, 'needs the token of an earlier test');
    const { client, ack, closed } = connect(addr, {
      token: extension.token,
      requestedVersion: 2,
      client: { name: 'e2e', version: '1' },
    });
    clients.push(client);
    await within(10_000, 'connection_ack before shutdown', ack);

    assert.ok(server.child.kill('SIGINT'), 'SIGINT was sent');
    const { code, signal } = await within(10_000, 'the server exiting after SIGINT', server.exited);
    assert.equal(signal, null, `the server died of ${signal}`);
    assert.equal(code, 0);
    const event = await within(5_000, 'the open socket closing', closed);
    assert.equal(event.code, 1001, `close code ${event.code} (${event.reason})`);
  });
});
