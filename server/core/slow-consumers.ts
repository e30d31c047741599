import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { QuadServer, QuadSocket } from './sockets';

type Connection = QuadSocket['conn'];

export interface SlowConsumerOptions {
  /** Bytes waiting to be sent to one connection above which it is behind; 0 = never cut. */
  maxBytes: number;
  /** How long a connection may stay behind, at every check, before it is cut. */
  forMs: number;
  log: Logger;
  metrics?: Metrics;
  /** The users a connection belongs to, for the log line. */
  usersOf?: (conn: Connection) => readonly number[];
}

/**
 * What Engine.IO and ws keep of a connection that their typings hide: the packets not yet
 * handed to the transport, and, over WebSocket, the ws socket (whose `bufferedAmount` is what
 * it has not yet written to the network).
 */
interface Internals {
  id: string;
  writeBuffer: Array<{ data?: unknown }>;
  transport: { name: string; socket?: { bufferedAmount: number; terminate(): void } };
}

/**
 * Cuts connections that stop reading. A client that does not read its socket (a frozen tab, a
 * stalled network, a bot that only writes) makes the node keep every push it cannot send, without
 * bound, until the heartbeat gives up (45 s). One timer per node looks at every connection;
 * one whose unsent data stays above `maxBytes` at every check for `forMs` is disconnected at
 * once — all its namespaces, its buffers discarded — and logged and counted. The client
 * reconnects and resumes its feeds with `since` (docs/protocol.md, "Limits").
 * Answers a function that stops watching.
 */
export function watchSlowConsumers(io: QuadServer, o: SlowConsumerOptions): () => void {
  if (o.maxBytes <= 0) return () => undefined;
  const live = new Set<Connection>();
  const behindSince = new WeakMap<Connection, number>();
  const onConnection = (conn: Connection) => {
    live.add(conn);
    conn.once('close', () => live.delete(conn));
  };
  io.engine.on('connection', onConnection);
  // A few checks within `forMs`, at most one a second: the cost is one pass over the connections.
  const every = Math.min(1_000, Math.max(50, Math.floor(o.forMs / 4)));
  const timer = setInterval(() => {
    const now = Date.now();
    for (const conn of live) {
      const queued = queuedBytes(conn, o.maxBytes);
      if (queued <= o.maxBytes) {
        behindSince.delete(conn);
        continue;
      }
      const since = behindSince.get(conn);
      if (since === undefined) behindSince.set(conn, now);
      else if (now - since >= o.forMs) cut(conn, now - since, o);
    }
  }, every);
  timer.unref();
  return () => {
    clearInterval(timer);
    io.engine.off('connection', onConnection);
    live.clear();
  };
}

/**
 * The bytes waiting for a connection: its Engine.IO packets plus what the WebSocket has not
 * written yet. Stops counting once past `enough` (a backlog can be long; the check runs often).
 */
function queuedBytes(conn: Connection, enough: number): number {
  const { writeBuffer, transport } = conn as unknown as Internals; // hidden by the typings, see Internals
  let total = transport.name === 'websocket' ? (transport.socket?.bufferedAmount ?? 0) : 0;
  for (const packet of writeBuffer) {
    if (total > enough) break;
    const data = packet.data;
    if (typeof data === 'string') total += Buffer.byteLength(data);
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) total += data.byteLength;
  }
  return total;
}

function cut(conn: Connection, ms: number, o: SlowConsumerOptions): void {
  const { id, writeBuffer, transport } = conn as unknown as Internals; // as in queuedBytes
  const queued = queuedBytes(conn, Infinity);
  o.log.warn(
    {
      reason: 'SLOW_CONSUMER',
      connection: id,
      users: o.usersOf?.(conn),
      queuedBytes: queued,
      queuedPackets: writeBuffer.length,
      behindMs: ms,
      transport: transport.name,
    },
    'slow consumer disconnected',
  );
  o.metrics?.slowConsumer();
  const ws = transport.name === 'websocket' ? transport.socket : undefined;
  // Discarding: a graceful close would wait for the backlog to drain, which is the problem.
  conn.close(true);
  // ws would keep what it already holds until a closing handshake that this client will never
  // answer (30 s); drop the TCP connection now so the memory goes with it.
  ws?.terminate();
}
