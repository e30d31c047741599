import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server, Socket } from 'socket.io';
import type { DrainingDto } from '../../shared/dto';
import { NAMESPACES } from '../../shared/events';
import type { InFlight } from './inflight';
import type { Logger } from './logger';

/** Where Engine.IO serves (socket.io's default path). */
const ENGINE_PATH = '/socket.io/';

const REFUSAL = JSON.stringify({
  error: { code: 'UNAVAILABLE', message: 'This server is shutting down; try again (another node answers)' },
});

export interface HttpGate {
  /** Express requests being answered right now (Engine.IO's long polls not counted). */
  readonly active: number;
  /** Resolves once no Express request is being answered. */
  settled(): Promise<void>;
}

/**
 * Puts one gate in front of everything the HTTP server serves, Express and Engine.IO alike
 * (Engine.IO hooks the server's `request` and `upgrade` events itself, so middleware cannot
 * reach its handshakes). While `draining()`, new work is answered 503 UNAVAILABLE with
 * `Connection: close`, which a proxy retries on another node; what still passes: `/healthz`,
 * `/readyz` (which says `draining`), and Engine.IO requests of sessions already open here
 * (they carry a `sid`), so sockets being drained keep receiving their acks and pushes.
 */
export function gate(server: http.Server, draining: () => boolean): HttpGate {
  let active = 0;
  let waiters: Array<() => void> = [];
  const done = () => {
    if (--active > 0) return;
    for (const resolve of waiters) resolve();
    waiters = [];
  };

  for (const event of ['request', 'upgrade'] as const) {
    const inner = server.listeners(event) as Array<(...args: unknown[]) => void>;
    server.removeAllListeners(event);
    server.on(event, (req: http.IncomingMessage, out: http.ServerResponse | Duplex, head?: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://quad');
      const engine = url.pathname.startsWith(ENGINE_PATH);
      if (draining() && !passes(url, engine)) return refuse(out);
      if (event === 'request' && !engine) {
        active++;
        (out as http.ServerResponse).once('close', done);
      }
      for (const listener of inner) listener.call(server, req, out, head);
    });
  }

  return {
    get active() {
      return active;
    },
    settled: () => (active === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
  };
}

function passes(url: URL, engine: boolean): boolean {
  if (engine) return url.searchParams.has('sid');
  return url.pathname === '/healthz' || url.pathname === '/readyz';
}

function refuse(out: http.ServerResponse | Duplex): void {
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(REFUSAL)),
    'Retry-After': '1',
    Connection: 'close',
  };
  if ('writeHead' in out) {
    out.writeHead(503, headers).end(REFUSAL);
    return;
  }
  // An upgrade (WebSocket handshake): no response object, answer on the raw socket.
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
  out.end(`HTTP/1.1 503 Service Unavailable\r\n${head.join('')}\r\n${REFUSAL}`);
}

export interface SocketDrainOptions {
  /** Epoch ms by which every socket must be gone: those left are disconnected regardless. */
  deadline: number;
  /** How long a client has to confirm `server:draining` (the typed client does at once). */
  confirmMs: number;
  /** The `reconnectInMs` hints are spread over this many ms. */
  spreadMs: number;
  log: Logger;
}

/**
 * Tells every socket of this node (never through the adapter: other nodes keep theirs) that
 * it is draining, then disconnects each client connection once (a) each of its namespace
 * sockets confirmed — a confirming client sends nothing more on this connection, so every
 * command it sent has arrived — or `confirmMs` passed, and (b) none of its commands is in
 * flight. All namespaces of a connection go together, so a client reconnects once.
 */
export async function drainSockets(
  io: Server,
  inflight: InFlight,
  o: SocketDrainOptions,
): Promise<{ connections: number; forced: number }> {
  const connections = new Map<unknown, Socket[]>();
  for (const name of NAMESPACES) {
    for (const socket of io.of(name).sockets.values()) {
      connections.set(socket.conn, [...(connections.get(socket.conn) ?? []), socket]);
    }
  }
  const message = 'This server is restarting; reconnect (the load balancer picks another node)';
  const drainOne = async (sockets: Socket[]) => {
    const push: DrainingDto = { message, reconnectInMs: Math.floor(Math.random() * o.spreadMs) };
    await Promise.all(sockets.map((s) => confirm(s, push, o.confirmMs)));
    await inflight.settled(sockets);
    // Synchronously after the check: no packet can slip in between.
    const conn = sockets[0]!.conn;
    const closed = new Promise((resolve) =>
      conn.readyState === 'closed' ? resolve(0) : conn.once('close', resolve),
    );
    sockets.find((s) => s.connected)?.disconnect(true);
    // Engine.IO sends what it has buffered (the last acks, the disconnect) before it closes; io.close()
    // later would discard it, so wait for the close.
    await closed;
  };
  const drained = Promise.all([...connections.values()].map(drainOne));
  const inTime = await within(drained, o.deadline - Date.now());
  let forced = 0;
  if (!inTime) {
    for (const sockets of connections.values()) {
      if (!sockets.some((s) => s.connected)) continue;
      forced++;
      o.log.warn(
        { sockets: sockets.map((s) => s.id), inFlight: inflight.count(sockets) },
        'drain deadline passed; disconnecting with commands in flight',
      );
      sockets.find((s) => s.connected)?.disconnect(true);
    }
  }
  return { connections: connections.size, forced };
}

/** Pushes `server:draining`; resolves on the client's confirmation, its disconnect, or after `ms`. */
function confirm(socket: Socket, push: DrainingDto, ms: number): Promise<void> {
  return new Promise((resolve) => {
    socket.once('disconnect', () => resolve());
    socket.timeout(ms).emit('server:draining', push, () => resolve());
  });
}

/** Waits for `work` at most `ms`; true when it finished in time (it keeps running otherwise). */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>(
    (resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))),
  );
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
