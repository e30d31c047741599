import type http from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import type { AnyPushes, QuadServer, QuadSocket as Socket } from './sockets';
import type { PushEvent, ResyncDto } from '../../shared/dto';
import { NAMESPACES, type CommonPushes, type NamespaceName } from '../../shared/events';
import type { Actor } from './auth';
import { connectError, handshakeAuth, type LoadUser } from './handshake';
import { userSockets, type MessageStatePush, type UserSockets, type UserStatePush } from './user-sockets';
import { commonCommands, staffOnly, trackExpiry, writeGuard } from './common-commands';
import { toWire } from './errors';
import { drainSockets, within, type SocketDrainOptions } from './drain';
import { CommandTable } from './handle';
import { InFlight } from './inflight';
import { assertCanSubscribe, ConnectionCounts, type RealtimeLimits } from './limits';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { Limiter } from './ratelimit';
import { originAllowed } from './origins';
import type { Presence, PresencePush } from './presence';
import { OwnRooms, type LoadRooms } from './own-rooms';
import type { Redis } from './redis';
import type { RequestKeys } from './request-keys';
import { watchSlowConsumers } from './slow-consumers';
import { rooms } from '../../shared/rooms';
import type { Tokens } from './tokens';

export type { SocketData } from './sockets';

export interface RealtimeOptions {
  tokens: Tokens;
  loadUser: LoadUser;
  /** REQUIRE_VERIFIED: public writes need a verified school email. */
  requireVerified?: boolean;
  /** For `whoami`. */
  unreadCount: (userId: number) => Promise<number>;
  /** For `whoami`: 쪽지 not yet read. */
  unreadMessages?: (userId: number) => Promise<number>;
  /**
   * Events one user may send per window, counted over all their sockets on every node (more
   * sockets buy no more), RATE_LIMITED beyond.
   */
  socketLimiter: Limiter;
  /** Rooms of a user's own, joined by each of their sockets on connect (see OwnRooms). */
  rooms?: LoadRooms;
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
  /** Counts the readers of feed rooms (`presence:changed`); its last tick runs on close. */
  presence?: Presence;
}

export const MAX_HTTP_BUFFER = 64 * 1024;

/** The pushes that carry a logged event (not the session's own `auth:expired` and the like). */
export type LoggedPush = Exclude<
  keyof AnyPushes,
  keyof CommonPushes | UserStatePush | MessageStatePush | PresencePush
>;

export interface Realtime {
  io: QuadServer;
  /** Pushes to a room on one namespace (through the adapter: every node), optionally minus rooms. */
  broadcast(
    nsp: NamespaceName,
    room: string,
    event: LoggedPush,
    payload: PushEvent,
    except?: string | string[],
  ): void;
  /** Makes every socket in `room` (on one namespace, on every node) join `join`. */
  joinRoom(nsp: NamespaceName, room: string, join: string): void;
  /** Makes every socket in `room` (on one namespace, on every node) leave `leave`. */
  leaveRoom(nsp: NamespaceName, room: string, leave: string): void;
  /** Disconnects every socket of a session, on every node. */
  disconnectSession(sid: string): Promise<void>;
  /** Pushes and changes aimed at one user's own sockets (suspension, badge, settings, nickname). */
  readonly users: UserSockets;
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
  const ownRooms = options.rooms && new OwnRooms(options.rooms, log);
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
    next(connectError('NOT_FOUND', 'Connect to /boards, /comments, /timetables, /messages or /moderation')),
  );

  const authenticate = handshakeAuth(tokens, options.loadUser);
  const writable = writeGuard(options.loadUser, options.requireVerified ?? false);
  for (const name of NAMESPACES) {
    const nsp = io.of(name);
    options.presence?.watch(name, nsp);
    nsp.use(authenticate);
    if (name === '/moderation') nsp.use(staffOnly);
    if (ownRooms) nsp.use(ownRooms.middleware(name));
    // Checked after the (asynchronous) authentication, right before the socket connects; the
    // connection limits count synchronously here, so concurrent handshakes cannot overshoot.
    nsp.use((socket, next) =>
      options.draining()
        ? next(connectError('UNAVAILABLE', 'This server is shutting down; reconnect to reach another one'))
        : admit(socket, next),
    );
    const table = new CommandTable(log, options.metrics, options.requestKeys, writable);
    commonCommands(table, {
      tokens,
      loadUser: options.loadUser,
      unreadCount: options.unreadCount,
      unreadMessages: options.unreadMessages,
    });
    options.features?.[name]?.(table);

    nsp.on('connection', (socket) => {
      const data = socket.data;
      const own = ownRooms?.take(socket, name) ?? [];
      void socket.join([rooms.user(data.userId), rooms.session(data.sid), ...own]);
      // Every packet: the rate limit, then the command table. Nothing else listens on a socket.
      socket.use((packet) => {
        const [event] = packet;
        const end = table.has(event) ? inflight.begin(socket, packet) : undefined;
        // Per user, not per socket: opening more sockets (on any node) buys no more budget.
        options.socketLimiter.consume(String(data.userId)).then(
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
      trackExpiry(socket, data.expiresAt);
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
        const delivered = localRecipients(namespace.adapter.rooms, room, except);
        options.metrics.push(event, delivered, (performance.now() - started) / 1000);
      }
    },
    joinRoom(nsp, room, join) {
      if (closed) return;
      io.of(nsp).in(room).socketsJoin(join);
    },
    leaveRoom(nsp, room, leave) {
      if (closed) return;
      io.of(nsp).in(room).socketsLeave(leave);
    },
    users: userSockets(io, () => closed),
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
      }).then(() => options.presence?.close()),
  };
}

/** This node's sockets in `room` but in none of `except` (what a broadcast reaches here). */
function localRecipients(
  all: Map<string, Set<string>>,
  room: string,
  except: string | string[] | undefined,
): number {
  const here = all.get(room);
  if (!here || except === undefined) return here?.size ?? 0;
  const skipped = new Set<string>();
  for (const name of typeof except === 'string' ? [except] : except) {
    // A hide room holds the blocker's sockets of every feed: count only those in this one.
    for (const id of all.get(name) ?? []) if (here.has(id)) skipped.add(id);
  }
  return here.size - skipped.size;
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
  return {
    id: data.userId,
    sid: data.sid,
    nickname: data.nickname,
    role: data.role,
    createdAt: data.createdAt,
  };
}

/** Rooms that have an event log (resumable with `since`); not a socket's own or viewer rooms. */
const LOG_ROOM = /^(?:(?:board|post|user|watch):[^|]*|moderation)$/;

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
