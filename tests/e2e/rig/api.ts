// Seeds users, devices, videos and notes through the server's public API, the way the web app
// and the extension do: password sign-in (cookie), extension tokens, GraphQL over HTTP and
// over graphql-ws.

import { randomUUID } from 'node:crypto';

import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import type { LossyServer } from './server';

export interface GraphqlError {
  message: string;
  extensions?: { code?: string; field?: string };
}

export interface GraphqlAnswer<T> {
  data?: T | null;
  errors?: GraphqlError[];
}

/** Thrown by `graphql` when the answer has errors; `code` is the first `extensions.code`. */
export class GraphqlFailure extends Error {
  constructor(
    readonly errors: GraphqlError[],
    readonly query: string,
  ) {
    super(`${errors.map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`).join('; ')}\n${query}`);
  }

  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

async function post<T>(
  server: LossyServer,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const response = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as GraphqlAnswer<T>;
  if (answer.errors?.length) throw new GraphqlFailure(answer.errors, query);
  if (!answer.data) throw new Error(`no data (HTTP ${response.status}) for ${query}`);
  return answer.data;
}

export interface Credentials {
  email: string;
  password: string;
}

/** A dashboard session: the `lossy_session` cookie, used with the server's own `Origin`. */
export class WebSession {
  constructor(
    readonly server: LossyServer,
    /** `lossy_session=<value>` */
    readonly cookie: string,
    readonly user: { id: string; email: string; name: string; role: string },
  ) {}

  /** The cookie's value, for `context.addCookies`. */
  get cookieValue(): string {
    return this.cookie.slice(this.cookie.indexOf('=') + 1);
  }

  graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    return post<T>(this.server, { cookie: this.cookie, origin: this.server.origin }, query, variables);
  }

  /** Connects an extension device of this user (PROTOCOL.md section 2). */
  async connectDevice(name = 'Test Chrome'): Promise<Device> {
    const deviceId = randomUUID();
    const response = await fetch(`${this.server.origin}/api/auth/extension_token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: this.cookie,
        origin: this.server.origin,
      },
      body: JSON.stringify({ deviceId, deviceName: name }),
    });
    if (!response.ok) {
      throw new Error(`extension_token answered ${response.status}: ${await response.text()}`);
    }
    const body = (await response.json()) as { token: string; refreshToken: string };
    return new Device(this.server, deviceId, name, body.token, body.refreshToken);
  }
}

export interface SeededVideo {
  id: string;
  platform: string;
  title: string | null;
  canonicalUrl: string;
}

export interface SeededNote {
  id: string;
  text: string;
  category: string;
  status: string;
  timestampSeconds: number;
  version: number;
}

const NOTE_FIELDS = 'id text category status timestampSeconds version';

/** One installed extension: a device token for HTTP (`Authorization`) and sockets. */
export class Device {
  private tabId = Math.floor(Math.random() * 100_000);

  constructor(
    readonly server: LossyServer,
    readonly id: string,
    readonly name: string,
    readonly token: string,
    readonly refreshToken: string,
  ) {}

  graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    return post<T>(this.server, { authorization: `Bearer ${this.token}` }, query, variables);
  }

  /** What the content script reports for a page (`detectVideo`). */
  async detectVideo(url: string, title: string | null, durationSeconds: number | null = 600) {
    const data = await this.graphql<{ detectVideo: SeededVideo }>(
      `mutation($input: DetectVideoInput!) {
        detectVideo(input: $input) { id platform title canonicalUrl }
      }`,
      {
        input: { url, title, durationSeconds, tabId: this.tabId, pageInstanceId: randomUUID() },
      },
    );
    return data.detectVideo;
  }

  /** A transcript as the voice loop sends it in protocol v1 (no session): a GHOST note. */
  async submitTranscript(videoId: string, mediaTime: number, text: string, confidence = 0.9) {
    const data = await this.graphql<{ submitTranscript: SeededNote }>(
      `mutation($input: SubmitTranscriptInput!) { submitTranscript(input: $input) { ${NOTE_FIELDS} } }`,
      {
        input: {
          utteranceId: randomUUID(),
          videoId,
          mediaTime,
          durationMs: 1500,
          text,
          confidence,
          source: 'e2e',
        },
      },
    );
    return data.submitTranscript;
  }

  /** A typed note (`createNote`): FIRMED. */
  async createNote(
    videoId: string,
    timestampSeconds: number,
    text: string,
    category: string | null = null,
  ) {
    const data = await this.graphql<{ createNote: SeededNote }>(
      `mutation($input: CreateNoteInput!) { createNote(input: $input) { ${NOTE_FIELDS} } }`,
      { input: { videoId, timestampSeconds, text, category } },
    );
    return data.createNote;
  }

  /**
   * Many typed notes quickly: batches of aliased `createNote` mutations in one request each.
   * `make(i)` gives note i.
   */
  async createNotes(
    videoId: string,
    count: number,
    make: (i: number) => { timestampSeconds: number; text: string; category?: string },
    batch = 200,
  ): Promise<void> {
    for (let start = 0; start < count; start += batch) {
      const end = Math.min(count, start + batch);
      const fields: string[] = [];
      const variables: Record<string, unknown> = {};
      const params: string[] = [];
      for (let i = start; i < end; i++) {
        const note = make(i);
        params.push(`$n${i}: CreateNoteInput!`);
        fields.push(`n${i}: createNote(input: $n${i}) { id }`);
        variables[`n${i}`] = { videoId, category: null, ...note };
      }
      await this.graphql(`mutation(${params.join(', ')}) { ${fields.join('\n')} }`, variables);
    }
  }

  async note(id: string) {
    const data = await this.graphql<{ note: SeededNote & { deletedAt: string | null } }>(
      `query($id: ID!) { note(id: $id) { ${NOTE_FIELDS} deletedAt } }`,
      { id },
    );
    return data.note;
  }

  async updateNote(input: { id: string; version: number; text?: string; category?: string; status?: string }) {
    const data = await this.graphql<{ updateNote: SeededNote }>(
      `mutation($input: UpdateNoteInput!) { updateNote(input: $input) { ${NOTE_FIELDS} } }`,
      { input },
    );
    return data.updateNote;
  }

  /** A graphql-ws client authenticated with this device's token, as the extension opens it. */
  socket(
    options: {
      onClosed?: (code: number) => void;
      /** Hears why a socket closed that a test expects to close (graphql-ws logs it otherwise). */
      onNonLazyError?: (error: unknown) => void;
    } = {},
  ): Client {
    return createClient({
      url: this.server.origin.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: {
        token: this.token,
        requestedVersion: 2,
        client: { name: 'lossy-e2e', version: '0.0.0' },
      },
      on: {
        closed: (event) => options.onClosed?.((event as { code: number }).code),
      },
      ...(options.onNonLazyError ? { onNonLazyError: options.onNonLazyError } : {}),
    });
  }
}

/** Signs in with a password, as the web app's sign-in page does. */
export async function signIn(server: LossyServer, credentials: Credentials): Promise<WebSession> {
  const response = await fetch(`${server.origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin },
    body: JSON.stringify(credentials),
  });
  if (!response.ok) throw new Error(`login answered ${response.status}: ${await response.text()}`);
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('lossy_session='));
  if (!setCookie) throw new Error('login set no lossy_session cookie');
  const body = (await response.json()) as { user: WebSession['user'] };
  return new WebSession(server, setCookie.split(';')[0]!, body.user);
}

let users = 0;

/** A new account (through the admin's `createUser`), signed in. */
export async function newUser(
  server: LossyServer,
  options: { role?: 'USER' | 'ADMIN'; name?: string } = {},
): Promise<{ session: WebSession; credentials: Credentials }> {
  const admin = await signIn(server, { email: server.adminEmail, password: server.adminPassword });
  users += 1;
  const credentials = {
    email: `reviewer-${process.pid}-${users}-${randomUUID().slice(0, 8)}@lossy.test`,
    password: `password-${randomUUID()}`,
  };
  await admin.graphql(
    `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
    {
      input: {
        ...credentials,
        name: options.name ?? `Reviewer ${users}`,
        role: options.role ?? 'USER',
      },
    },
  );
  return { session: await signIn(server, credentials), credentials };
}
