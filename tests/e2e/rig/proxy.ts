// A loopback TCP proxy in front of the server, for specs that take a browser's connection away
// while the server keeps running (another client goes on writing): `cut()` ends every
// connection through it at once, as a dropped network does (no close frame, no goodbye), and
// refuses new ones until `restore()`. Bytes pass unchanged, so `Host` and `Origin` name the
// proxy and the server treats the proxy's origin as its own.
//
// It also reads the WebSocket text messages that cross it, both ways, so a spec can see what a
// socket it cannot reach sent (a service worker's); the server's sockets negotiate no
// compression, so frames are plain text.

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
  close(): Promise<void>;
}

/** Reads WebSocket frames from one direction of a connection, once its handshake is done. */
class FrameReader {
  private buffer = Buffer.alloc(0);
  private handshakeDone = false;
  private fragments: Buffer[] = [];

  constructor(private readonly onText: (text: string) => void) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.handshakeDone) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.handshakeDone = true;
      this.buffer = this.buffer.subarray(end + 4);
    }
    for (;;) {
      const frame = this.nextFrame();
      if (!frame) return;
      // Text (1) and its continuations (0); control frames (close, ping, pong) are not kept.
      if (frame.opcode === 1 || frame.opcode === 0) {
        this.fragments.push(frame.payload);
        if (frame.fin) {
          this.onText(Buffer.concat(this.fragments).toString('utf8'));
          this.fragments = [];
        }
      }
    }
  }

  private nextFrame(): { fin: boolean; opcode: number; payload: Buffer } | null {
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
    this.buffer = buffer.subarray(offset + length);
    return { fin, opcode, payload };
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
    const fromClient = new FrameReader((text) =>
      messages.push({ connection, from: 'client', data: parsed(text) }),
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
      upstream.write(chunk);
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
    },
    restore() {
      refusing = false;
    },
    async close() {
      refusing = true;
      for (const socket of [...open]) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
