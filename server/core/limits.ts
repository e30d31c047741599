import type { LimitProblem } from '../../shared/errors';
import type http from 'node:http';
import type { Config } from './config';
import { AppError } from './errors';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { QuadSocket } from './sockets';

/** One Engine.IO connection: what a client multiplexes its namespaces over. */
type Connection = QuadSocket['conn'];

/** The limits of the realtime endpoint (README, "Configuration"); each 0 = off. */
export interface RealtimeLimits {
  connectionsPerUser: number;
  connectionsPerIp: number;
  subscriptionsPerSocket: number;
  /** Unsent bytes above which a connection is behind, and how long it may stay so before it is cut. */
  slowConsumerBytes: number;
  slowConsumerMs: number;
}

/** The limits as configured (MAX_CONNECTIONS_PER_USER, …, SLOW_CONSUMER_MS). */
export function realtimeLimits(
  config: Pick<
    Config,
    | 'MAX_CONNECTIONS_PER_USER'
    | 'MAX_CONNECTIONS_PER_IP'
    | 'MAX_SUBSCRIPTIONS_PER_SOCKET'
    | 'SLOW_CONSUMER_BUFFER'
    | 'SLOW_CONSUMER_MS'
  >,
): RealtimeLimits {
  return {
    connectionsPerUser: config.MAX_CONNECTIONS_PER_USER,
    connectionsPerIp: config.MAX_CONNECTIONS_PER_IP,
    subscriptionsPerSocket: config.MAX_SUBSCRIPTIONS_PER_SOCKET,
    slowConsumerBytes: config.SLOW_CONSUMER_BUFFER,
    slowConsumerMs: config.SLOW_CONSUMER_MS,
  };
}

export interface ConnectionLimits {
  /** Connections one user may hold on this node; 0 = no limit. */
  perUser: number;
  /** Connections from one client address on this node; 0 = no limit. */
  perIp: number;
}

/** Why a connection was refused, as the connect_error's `data` says it (docs/protocol.md, "Limits"). */
export interface ConnectionRefusal {
  code: 'RATE_LIMITED';
  reason: LimitProblem;
  /** Which count is full: the user's connections, or the client address's. */
  scope: 'user' | 'ip';
  /** The limit that was reached. */
  limit: number;
  message: string;
}

/**
 * The Engine.IO connections of this node, per user and per client address. A connection counts
 * once from its first namespace connect (a client multiplexing /boards, /comments and
 * /timetables holds one), and stops counting when it closes, however it closes (the client
 * leaves, logout, a drain, an expired token, a slow consumer cut). Per node, because what it
 * protects is the node's memory: behind a load balancer a user's connections spread over nodes.
 */
export class ConnectionCounts {
  private readonly users = new Map<number, Set<Connection>>();
  private readonly ips = new Map<string, Set<Connection>>();
  /** What each counted connection holds, so its close releases exactly that. */
  private readonly held = new Map<Connection, { ip: string; users: number[] }>();

  constructor(private readonly limits: ConnectionLimits) {}

  /**
   * Counts `conn` for the user and the address, unless that would pass a limit: then answers
   * the refusal and counts nothing. Synchronous, so concurrent handshakes cannot both take the
   * last place.
   */
  admit(conn: Connection, userId: number, ip: string): ConnectionRefusal | undefined {
    // socket.io drops a namespace socket whose connection closed meanwhile; its close has fired.
    if (conn.readyState === 'closed') return undefined;
    const held = this.held.get(conn);
    const mine = this.users.get(userId);
    const newForUser = !mine?.has(conn);
    const { perUser, perIp } = this.limits;
    if (newForUser && perUser > 0 && (mine?.size ?? 0) >= perUser) {
      return refusal(
        'user',
        perUser,
        `This account already has ${perUser} connections open to this server; close one (another tab or device) first`,
      );
    }
    if (!held && perIp > 0 && (this.ips.get(ip)?.size ?? 0) >= perIp) {
      return refusal(
        'ip',
        perIp,
        `Too many connections from your network address (${perIp}); try again later`,
      );
    }
    if (!held) {
      this.held.set(conn, { ip, users: [] });
      add(this.ips, ip, conn);
      conn.once('close', () => this.release(conn));
    }
    if (newForUser) {
      add(this.users, userId, conn);
      this.held.get(conn)!.users.push(userId);
    }
    return undefined;
  }

  /**
   * Namespace middleware, last before the connect (after authentication): admits the socket's
   * connection, or refuses it with a connect_error whose `data` is the refusal.
   */
  middleware(
    clientIp: (headers: http.IncomingHttpHeaders, address: string) => string,
    log: Logger,
    metrics?: Metrics,
  ): (socket: QuadSocket, next: (err?: Error) => void) => void {
    return (socket, next) => {
      const ip = clientIp(socket.handshake.headers, socket.handshake.address);
      const refused = this.admit(socket.conn, socket.data.userId, ip);
      if (!refused) return next();
      metrics?.refused(refused.scope === 'user' ? 'connections_per_user' : 'connections_per_ip');
      log.warn(
        { nsp: socket.nsp.name, socket: socket.id, scope: refused.scope, limit: refused.limit },
        'connection refused by a limit',
      );
      next(limitError(refused));
    };
  }

  /** The users a connection was counted for (for the slow consumer log). */
  usersOf(conn: Connection): readonly number[] {
    return this.held.get(conn)?.users ?? [];
  }

  private release(conn: Connection): void {
    const held = this.held.get(conn);
    if (!held) return;
    this.held.delete(conn);
    remove(this.ips, held.ip, conn);
    for (const userId of held.users) remove(this.users, userId, conn);
  }
}

/** The feed rooms a socket is in (not its own, user, session or viewer rooms). */
const FEED_ROOM = /^(board|post|watch):[^|]*$/;

/**
 * Throws RATE_LIMITED (`TOO_MANY_SUBSCRIPTIONS`) if joining `room` would give the socket more
 * than `limit` feeds (0 = no limit). A room the socket is already in does not count again.
 * Counted from the socket's rooms, so every way out of a feed (unsubscribe, unfriend) frees
 * its place.
 */
export function assertCanSubscribe(socket: QuadSocket, room: string, limit: number): void {
  if (limit <= 0 || socket.rooms.has(room)) return;
  let feeds = 0;
  for (const r of socket.rooms) if (FEED_ROOM.test(r)) feeds++;
  if (feeds < limit) return;
  throw new AppError(
    'RATE_LIMITED',
    `This socket already has ${limit} subscriptions, the most it may hold; unsubscribe from one first`,
    { reason: 'TOO_MANY_SUBSCRIPTIONS' },
  );
}

/** The connect_error of a refused connection: its `data` is the refusal. */
export function limitError(refusal: ConnectionRefusal): Error & { data: ConnectionRefusal } {
  return Object.assign(new Error(refusal.message), { data: refusal });
}

function refusal(scope: 'user' | 'ip', limit: number, message: string): ConnectionRefusal {
  return { code: 'RATE_LIMITED', reason: 'TOO_MANY_CONNECTIONS', scope, limit, message };
}

function add<K>(map: Map<K, Set<Connection>>, key: K, conn: Connection): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(conn);
}

function remove<K>(map: Map<K, Set<Connection>>, key: K, conn: Connection): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(conn);
  if (set.size === 0) map.delete(key);
}
