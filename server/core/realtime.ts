import type http from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import type { AnyPushes, QuadServer, QuadSocket as Socket } from './sockets';
import type { PushEvent, ResyncDto } from '../../shared/dto';
import { NAMESPACES, type CommonCommands, type CommonPushes, type NamespaceName } from '../../shared/events';
import { empty } from '../../shared/schemas/common';
import { socketRefreshInput } from '../../shared/schemas/auth';
import type { Actor } from './auth';
import { connectError, handshakeAuth, type LoadUser } from './handshake';
import { AppError, toWire } from './errors';
import { drainSockets, within, type SocketDrainOptions } from './drain';
import { CommandTable } from './handle';
import { ExpiryWheel } from './expiry';
import { InFlight } from './inflight';
import { assertCanSubscribe, ConnectionCounts, type RealtimeLimits } from './limits';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { Limiter } from './ratelimit';
import { originAllowed } from './origins';
import type { Redis } from './redis';
import type { RequestKeys } from './request-keys';
import { watchSlowConsumers } from './slow-consumers';
import { rooms } from '../../shared/rooms';
import type { Tokens } from './tokens';

export type { SocketData } from './sockets';

export interface RealtimeOptions {
  tokens: Tokens;
  loadUser: LoadUser;
  /** For `whoami`. */
  unreadCount: (userId: number) => Promise<number>;
  /** Events one socket may send per window (RATE_LIMITED beyond). */
  socketLimiter: Limiter;
  allowedOrigins: string[];
  redis?: Redis;
  /** Key prefix of the adapter's Redis channels. */
  redisPrefix: string;
  log: Logger;
  /** True once the node drains: new namespace connections are refused with UNAVAILABLE. */
  draining: () => boolean;
  metrics?: Metrics;
  /** Idempotent writes (`requestId`). */
  requestKeys?: RequestKeys;
  /** Extra per-namespace setup: the features register their commands here. */
  features?: Partial<Record<NamespaceName, (table: CommandTable) => void>>;
  /** Limits of a public endpoint (docs/protocol.md, "Limits"); each 0 = off. */
  limits: RealtimeLimits;
  /** A handshake's client address, as Express's `req.ip` would give it (TRUST_PROXY). */
  clientIp: (headers: http.IncomingHttpHeaders, address: string) => string;
}

export const MAX_HTTP_BUFFER = 64 * 1024;

/** The pushes that carry a logged event (not the session's own `auth:expired` and the like). */
export type LoggedPush = Exclude<keyof AnyPushes, keyof CommonPushes>;

export interface Realtime {
  io: QuadServer;
  /** Pushes to a room on one namespace (through the adapter: every node), optionally minus a room. */
  broadcast(nsp: NamespaceName, room: string, event: LoggedPush, payload: PushEvent, except?: string): void;
  /** Makes every socket in `room` (on one namespace, on every node) leave `leave`. */
  leaveRoom(nsp: NamespaceName, room: string, leave: string): void;
  /** Disconnects every socket of a session, on every node. */
  disconnectSession(sid: string): Promise<void>;
  /**
   * Drains this node's sockets (see drainSockets), then waits, until the deadline, for commands
   * still running for clients that left on their own.
   */
  drain(options: SocketDrainOptions): Promise<{ connections: number; forced: number }>;
  close(): Promise<void>;
}

export function createRealtime(server: http.Server, options: RealtimeOptions): Realtime {
  const { tokens, log, allowedOrigins, limits, metrics } = options;
  const inflight = new InFlight();
  const connections = new ConnectionCounts({
    perUser: limits.connectionsPerUser,
    perIp: limits.connectionsPerIp,
  });
  const admit = connections.middleware(options.clientIp, log, metrics);
  const io: QuadServer = new Server(server, {
    maxHttpBufferSize: MAX_HTTP_BUFFER,
    cors: { origin: allowedOrigins, credentials: true },
    // CORS does not protect WebSockets: check the Origin of every handshake ourselves.
    allowRequest: (req, callback) =>
      callback(null, originAllowed(req.headers.origin, req.headers.host, allowedOrigins)),
  });
  subscriptionLimits.set(io, limits.subscriptionsPerSocket);
  const stopWatching = watchSlowConsumers(io, {
    maxBytes: limits.slowConsumerBytes,
    forMs: limits.slowConsumerMs,
    log,
    metrics,
    usersOf: (conn) => connections.usersOf(conn),
  });
  if (options.redis) {
    io.adapter(createAdapter(options.redis.pub, options.redis.sub, { key: options.redisPrefix }));
    // Pub/sub keeps nothing for a subscriber that is away: whatever other nodes pushed while this
    // node's subscriber was gone never arrives. Its sockets stayed connected, so nothing else
    // would make them resume; tell each which of its rooms to resume (from the event log).
    options.redis.onSubscriberBack(() => {
      const sockets = resyncAll(io);
      log.info({ sockets }, 'server:resync sent after redis came back');
    });
  }

  // The main namespace serves nothing; refuse it so clients notice a missing namespace.
  io.of('/').use((_socket, next) =>
    next(connectError('NOT_FOUND', 'Connect to /boards, /comments or /timetables')),
  );

  const authenticate = handshakeAuth(tokens, options.loadUser);
  for (const name of NAMESPACES) {
    const nsp = io.of(name);
    nsp.use(authenticate);
    // Checked after the (asynchronous) authentication, right before the socket connects; the
    // connection limits count synchronously here, so concurrent handshakes cannot overshoot.
    nsp.use((socket, next) =>
      options.draining()
        ? next(connectError('UNAVAILABLE', 'This server is shutting down; reconnect to reach another one'))
        : admit(socket, next),
    );
    const table = new CommandTable(log, options.metrics, options.requestKeys);
    const on = table.typed<CommonCommands>();
    on('whoami', empty, async (_input, socket) => {
      const data = socket.data;
      return {
        id: data.userId,
        username: data.username,
        nickname: data.nickname,
        unreadNotifications: await options.unreadCount(data.userId),
      };
    });
    on('auth:refresh', socketRefreshInput, async ({ accessToken }, socket) => {
      const data = socket.data;
      const claims = await tokens.verifyAccess(accessToken);
      if (claims.userId !== data.userId) throw new AppError('FORBIDDEN', 'The token belongs to another user');
      if (claims.sid !== data.sid) {
        socket.leave(rooms.session(data.sid));
        void socket.join(rooms.session(claims.sid));
        data.sid = claims.sid;
      }
      data.expiresAt = claims.expiresAt;
      expiry.track(socket, claims.expiresAt);
      return { expiresAt: new Date(claims.expiresAt).toISOString() };
    });
    options.features?.[name]?.(table);

    nsp.on('connection', (socket) => {
      const data = socket.data;
      void socket.join([rooms.user(data.userId), rooms.session(data.sid)]);
      // Every packet: the rate limit, then the command table. Nothing else listens on a socket.
      socket.use((packet) => {
        const [event] = packet;
        const end = table.has(event) ? inflight.begin(socket, packet) : undefined;
        options.socketLimiter.consume(socket.id).then(
          () => {
            if (!end) return unknownEvent(name, event, packet);
            if (!socket.connected) return end();
            void table.dispatch(socket, event as string, packet.slice(1));
          },
          (err: unknown) => {
            const ack = packet[packet.length - 1];
            if (typeof ack === 'function') ack({ ok: false, error: toWire(err) });
            log.warn({ nsp: name, event, socket: socket.id }, 'socket event refused by the rate limit');
          },
        );
      });
      expiry.track(socket, data.expiresAt);
      socket.on('disconnect', untrackExpiry);
    });
  }

  // After close, a command that outlived the drain must not publish through a closed Redis.
  let closed = false;
  return {
    io,
    broadcast(nsp, room, event, payload, except) {
      if (closed) return;
      const started = performance.now();
      const namespace = io.of(nsp);
      const target = namespace.to(room);
      // Its data was checked against its push's declared payload when its fact was routed
      // (core/routes.ts); rendered per recipient, it is a PushEvent of that payload.
      (except ? target.except(except) : target).emit(event, payload as never);
      if (options.metrics) {
        const here = namespace.adapter.rooms.get(room)?.size ?? 0;
        const minus = except ? (namespace.adapter.rooms.get(except)?.size ?? 0) : 0;
        options.metrics.push(event, Math.max(0, here - minus), (performance.now() - started) / 1000);
      }
    },
    leaveRoom(nsp, room, leave) {
      if (closed) return;
      io.of(nsp).in(room).socketsLeave(leave);
    },
    async disconnectSession(sid) {
      if (closed) return;
      for (const name of NAMESPACES) io.of(name).in(rooms.session(sid)).disconnectSockets(true);
    },
    async drain(o) {
      const result = await drainSockets(io, inflight, o);
      await within(inflight.allSettled(), o.deadline - Date.now());
      return result;
    },
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        stopWatching();
        io.close(() => resolve());
      }),
  };
}

/** MAX_SUBSCRIPTIONS_PER_SOCKET of each server, for joinFeed (which the features call with a socket). */
const subscriptionLimits = new WeakMap<object, number>();

/**
 * Joins a feed room, and (unless `viewer: false`) the viewer room that lets pushes say `isMine`
 * (see rooms.viewer). Every subscribe goes through here: past MAX_SUBSCRIPTIONS_PER_SOCKET it
 * throws RATE_LIMITED (`TOO_MANY_SUBSCRIPTIONS`) and joins nothing.
 */
export async function joinFeed(socket: Socket, room: string, { viewer = true } = {}): Promise<void> {
  assertCanSubscribe(socket, room, subscriptionLimits.get(socket.nsp.server) ?? 0);
  await socket.join(viewer ? [room, rooms.viewer(room, socket.data.userId)] : room);
}

export async function leaveFeed(socket: Socket, room: string): Promise<void> {
  await socket.leave(room);
  await socket.leave(rooms.viewer(room, socket.data.userId));
}

/** The acting user of a socket, as services see it. */
export function actor(socket: Socket): Actor {
  const data = socket.data;
  return { id: data.userId, sid: data.sid, nickname: data.nickname };
}

/** Rooms that have an event log (resumable with `since`); not a socket's own or viewer rooms. */
const LOG_ROOM = /^(board|post|user|watch):[^|]*$/;

/** Sends `server:resync` to every local socket in a room with an event log; answers how many. */
export function resyncAll(io: QuadServer): number {
  let sent = 0;
  for (const name of NAMESPACES) {
    for (const socket of io.of(name).sockets.values()) {
      const logRooms = [...socket.rooms].filter((room) => LOG_ROOM.test(room));
      if (logRooms.length === 0) continue;
      socket.emit('server:resync', { rooms: logRooms, reason: 'redis' } satisfies ResyncDto);
      sent++;
    }
  }
  return sent;
}

/** Answers an event no command of the namespace has: NOT_FOUND when it asked for an ack. */
function unknownEvent(nsp: string, event: unknown, packet: unknown[]): void {
  const ack = packet[packet.length - 1];
  if (typeof ack !== 'function') return;
  const what = typeof event === 'string' ? event.slice(0, 64) : typeof event;
  ack({ ok: false, error: { code: 'NOT_FOUND', message: `Unknown event "${what}" on ${nsp}` } });
}

/**
 * At the token's expiry, without an `auth:refresh` first: tell the client, then disconnect this
 * namespace's socket only. A client multiplexes its namespaces over one connection
 * (socket.io-client does by default), and each namespace has a token of its own: closing the
 * connection would drop the others too, even one whose token was just renewed. When no
 * namespace is left on the connection, the connection goes as well.
 */
function expire(socket: Socket): void {
  socket.emit('auth:expired', { message: 'The access token expired; reconnect with a fresh one' });
  socket.disconnect();
  // `Client.nsps` (the connection's namespace sockets) is not in Socket.IO's typings.
  const left = (socket.client as unknown as { nsps: Map<string, unknown> }).nsps;
  if (left.size === 0) socket.conn.close();
}
const expiry = new ExpiryWheel<Socket>(expire);
function untrackExpiry(this: Socket): void {
  expiry.untrack(this);
}
