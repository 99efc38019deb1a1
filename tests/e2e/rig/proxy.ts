// A loopback TCP proxy in front of the server, for specs that take a browser's connection away
// while the server keeps running (another client goes on writing): `cut()` ends every
// connection through it at once, as a dropped network does (no close frame, no goodbye), and
// refuses new ones until `restore()`. Bytes pass unchanged, so `Host` and `Origin` name the
// proxy and the server treats the proxy's origin as its own.
//
// It also reads the WebSocket text messages that cross it, both ways, so a spec can see what a
// socket it cannot reach sent (a service worker's); the server's sockets negotiate no
// compression, so frames are plain text. `hold(match)` keeps the client's messages that match
// from the server until `release()` (the others pass), as a slow path would delay one message:
// e.g. a subscription, to make a change while it is on its way.

import net from 'node:net';

export interface ProxiedMessage {
  /** Which proxied connection (1, 2, …): a socket's messages share it. */
  connection: number;
  from: 'client' | 'server';
  /** The message, parsed as JSON when it is. */
  data: unknown;
}

export interface ServerProxy {
  /** `http://127.0.0.1:PORT`: use it in place of the server's origin. */
  origin: string;
  /** Every WebSocket text message so far, in the order the proxy passed them on. */
  messages: ProxiedMessage[];
  /** Ends every connection and refuses new ones. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  /** Holds every client message `match` accepts (parsed as in `messages`) from now on. */
  hold(match: (message: unknown) => boolean): void;
  /** The client messages held now, in the order they came. */
  held(): unknown[];
  /** Passes the held messages on, in the order they came, and holds no more. */
  release(): void;
  close(): Promise<void>;
}

/** Reads WebSocket frames from one direction of a connection, once its handshake is done. */
class FrameReader {
  private buffer = Buffer.alloc(0);
  private handshakeDone = false;
  private fragments: Buffer[] = [];
  private rawFragments: Buffer[] = [];

  /** `onText` gets each text message with its frames' bytes; `onOther`, when given, every
   * other byte (the handshake, control frames) in order: the reader then forwards. */
  constructor(
    private readonly onText: (text: string, raw: Buffer) => void,
    private readonly onOther?: (raw: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.handshakeDone) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.handshakeDone = true;
      this.onOther?.(this.buffer.subarray(0, end + 4));
      this.buffer = this.buffer.subarray(end + 4);
    }
    for (;;) {
      const frame = this.nextFrame();
      if (!frame) return;
      // Text (1) and its continuations (0); control frames (close, ping, pong) are not kept.
      if (frame.opcode === 1 || frame.opcode === 0) {
        this.fragments.push(frame.payload);
        this.rawFragments.push(frame.raw);
        if (frame.fin) {
          this.onText(
            Buffer.concat(this.fragments).toString('utf8'),
            Buffer.concat(this.rawFragments),
          );
          this.fragments = [];
          this.rawFragments = [];
        }
      } else {
        this.onOther?.(frame.raw);
      }
    }
  }

  private nextFrame(): { fin: boolean; opcode: number; payload: Buffer; raw: Buffer } | null {
    const buffer = this.buffer;
    if (buffer.length < 2) return null;
    const fin = (buffer[0]! & 0x80) !== 0;
    const opcode = buffer[0]! & 0x0f;
    const masked = (buffer[1]! & 0x80) !== 0;
    let length = buffer[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buffer.length < 4) return null;
      length = buffer.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buffer.length < 10) return null;
      length = Number(buffer.readBigUInt64BE(2));
      offset = 10;
    }
    const mask = masked ? buffer.subarray(offset, offset + 4) : null;
    if (masked) offset += 4;
    if (buffer.length < offset + length) return null;
    const payload = Buffer.from(buffer.subarray(offset, offset + length));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
    const raw = Buffer.from(buffer.subarray(0, offset + length));
    this.buffer = buffer.subarray(offset + length);
    return { fin, opcode, payload, raw };
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A proxy to `target` (`http://127.0.0.1:PORT`) on a free loopback port. */
export async function startProxy(target: string): Promise<ServerProxy> {
  const { hostname, port } = new URL(target);
  const messages: ProxiedMessage[] = [];
  const open = new Set<net.Socket>();
  let refusing = false;
  let connections = 0;
  let holding: ((message: unknown) => boolean) | null = null;
  /** Held client messages: each passes its bytes on when released. */
  let held: { data: unknown; pass: () => void }[] = [];

  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const connection = ++connections;
    const upstream = net.connect(Number(port), hostname);
    open.add(client);
    open.add(upstream);
    let websocket: boolean | null = null;
    // The client's messages are passed on by the reader, one at a time, so one can be held.
    const fromClient = new FrameReader(
      (text, raw) => {
        const data = parsed(text);
        const pass = () => {
          if (upstream.destroyed) return;
          messages.push({ connection, from: 'client', data });
          upstream.write(raw);
        };
        if (holding?.(data)) held.push({ data, pass });
        else pass();
      },
      (raw) => upstream.write(raw),
    );
    const fromServer = new FrameReader((text) =>
      messages.push({ connection, from: 'server', data: parsed(text) }),
    );
    client.on('data', (chunk: Buffer) => {
      // Only an upgrade request makes a WebSocket; an HTTP connection is passed on unread.
      websocket ??= /^GET [^\r\n]*\r\n(?:[^\r\n]+\r\n)*?upgrade:\s*websocket/i.test(
        chunk.toString('latin1'),
      );
      if (websocket) fromClient.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (websocket) fromServer.push(chunk);
      client.write(chunk);
    });
    const end = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as net.AddressInfo;

  return {
    origin: `http://127.0.0.1:${own}`,
    messages,
    cut() {
      refusing = true;
      for (const socket of [...open]) socket.destroy();
      open.clear();
      held = [];
    },
    restore() {
      refusing = false;
    },
    hold(match) {
      holding = match;
    },
    held() {
      return held.map((message) => message.data);
    },
    release() {
      holding = null;
      for (const message of held.splice(0)) message.pass();
    },
    async close() {
      refusing = true;
      for (const socket of [...open]) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
