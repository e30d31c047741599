import type { PresenceDto } from '../../shared/dto';
import type { NamespaceName } from '../../shared/events';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { Redis } from './redis';
import type { QuadServer, QuadSocket } from './sockets';

/** The push of a room's reader count: not logged (a new reader is told the count at once). */
export type PresencePush = 'presence:changed';

type ServerNamespace = ReturnType<QuadServer['of']>;

export interface PresenceOptions {
  /** PRESENCE_INTERVAL: at most one push per room per interval; 0 = off (nothing counted). */
  intervalMs: number;
  /** PRESENCE_TTL: how long a node's readers count without the node refreshing them. */
  ttlMs: number;
  /** Which rooms of which namespace count their readers (`board:<id>` on /boards, …). */
  rooms: Partial<Record<NamespaceName, (room: string) => boolean>>;
  /** With Redis, counts are summed over every node; without, this node's are the count. */
  redis?: Redis;
  /** REDIS_PREFIX. */
  prefix: string;
  log: Logger;
  metrics?: Metrics;
}

/** What this node knows of one counted room. */
interface Room {
  nsp: ServerNamespace;
  /** Socket id → its user, for this node's sockets in the room. */
  sockets: Map<string, number>;
  /** User → how many of their sockets on this node are in the room. */
  users: Map<number, number>;
  /** Users this node has to add to Redis, or to take out, at the next tick. */
  add: Set<number>;
  remove: Set<number>;
  /** The count last read (every node's readers), and the count last pushed to the room here. */
  count?: number;
  sent?: number;
  /** Sockets that joined since the last push to the room, and the count each was told (-1: none). */
  joined: Map<string, number>;
}

/**
 * "N명이 보고 있어요": how many distinct users read a post or board right now, over every node,
 * pushed as `presence:changed {room, count}` to the room at most once per interval and only
 * when it changed.
 *
 * Off the delivery path: joining and leaving only touch this node's maps (adapter events, so a
 * disconnect is seen too); once per interval a tick sends one Redis pipeline for all rooms. In
 * Redis each room is a sorted set `<prefix>:presence:<room>` of user ids scored by expiry: a node
 * adds its new readers, removes the users it no longer has, re-adds all of its readers every
 * TTL/3, drops the lapsed members and reads the size of each room it has readers in; then pushes
 * to its own sockets only (no adapter traffic). A killed node's readers are not refreshed and
 * lapse within PRESENCE_TTL.
 *
 * Bound: a user reading one room on two nodes who leaves it on one is taken out of the set by
 * that node, and put back by the other at its next refresh: uncounted for up to TTL/3 plus an
 * interval. Node clocks must agree to well within TTL/3 (expiries are each node's clock).
 */
export class Presence {
  private readonly rooms = new Map<string, Room>();
  private readonly timer?: NodeJS.Timeout;
  private readonly refreshMs: number;
  private lastRefresh = 0;
  /** A tick failed: the next one writes every reader again (what it meant to write is unknown). */
  private resync = false;
  private failing = false;
  private ticking?: Promise<void>;
  private closed = false;

  constructor(private readonly o: PresenceOptions) {
    this.refreshMs = Math.max(o.intervalMs, o.ttlMs / 3);
    o.metrics?.gauge('quad_presence_rooms', 'Rooms whose readers this node counts (presence)', [], () => [
      [{}, this.rooms.size],
    ]);
    if (!this.enabled) return;
    this.timer = setInterval(() => void this.tick(), o.intervalMs);
    this.timer.unref();
  }

  get enabled(): boolean {
    return this.o.intervalMs > 0;
  }

  /** Counts the readers of `nsp`'s counted rooms from now on (call once per namespace). */
  watch(name: NamespaceName, nsp: ServerNamespace): void {
    const counted = this.o.rooms[name];
    if (!this.enabled || !counted) return;
    nsp.adapter.on('join-room', (room: string, id: string) => {
      if (counted(room)) this.joined(nsp, room, id);
    });
    nsp.adapter.on('leave-room', (room: string, id: string) => {
      if (counted(room)) this.left(room, id);
    });
  }

  /**
   * Tells a socket that just subscribed the room's count as this node knows it, after the
   * subscribe's ack (the command table acks before the next macrotask). The next tick corrects it
   * if the count it read differs.
   */
  greet(socket: QuadSocket, room: string): void {
    if (!this.enabled) return;
    setImmediate(() => {
      const r = this.rooms.get(room);
      if (!r?.sockets.has(socket.id) || !socket.connected) return;
      const count = this.o.redis
        ? Math.max(r.users.size, (r.count ?? 0) + r.add.size - r.remove.size)
        : r.users.size;
      r.joined.set(socket.id, count);
      socket.emit('presence:changed', { room, count } satisfies PresenceDto);
    });
  }

  /** Stops ticking; a last tick takes this node's readers (gone by now) out of Redis. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.ticking;
    if (this.enabled && this.o.redis) await this.tick(true);
  }

  private joined(nsp: ServerNamespace, name: string, id: string): void {
    const userId = nsp.sockets.get(id)?.data.userId;
    if (userId === undefined) return;
    let r = this.rooms.get(name);
    if (!r) {
      r = { nsp, sockets: new Map(), users: new Map(), add: new Set(), remove: new Set(), joined: new Map() };
      this.rooms.set(name, r);
    }
    r.sockets.set(id, userId);
    r.joined.set(id, -1);
    const had = r.users.get(userId) ?? 0;
    r.users.set(userId, had + 1);
    // Back before the tick took them out: they are still in Redis.
    if (had === 0 && !r.remove.delete(userId)) r.add.add(userId);
  }

  private left(name: string, id: string): void {
    const r = this.rooms.get(name);
    const userId = r?.sockets.get(id);
    if (!r || userId === undefined) return;
    r.sockets.delete(id);
    r.joined.delete(id);
    const had = r.users.get(userId)!;
    if (had > 1) return void r.users.set(userId, had - 1);
    r.users.delete(userId);
    // Gone before the tick wrote them: nothing to take out.
    if (!r.add.delete(userId)) r.remove.add(userId);
  }

  private tick(final = false): Promise<void> {
    // A tick still waiting for Redis: skip this one rather than pile them up.
    if (this.ticking || (this.closed && !final)) return this.ticking ?? Promise.resolve();
    const run = this.o.redis ? this.tickRedis(this.o.redis, final) : Promise.resolve(this.tickLocal());
    this.ticking = run
      .catch((err: unknown) => this.o.log.error({ err }, 'presence tick failed'))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** One node: its readers are the count. */
  private tickLocal(): void {
    for (const [name, r] of this.rooms) {
      this.deliver(name, r, r.users.size);
      if (r.sockets.size === 0) this.rooms.delete(name);
    }
  }

  private async tickRedis(redis: Redis, final: boolean): Promise<void> {
    const { ttlMs, prefix } = this.o;
    const now = Date.now();
    const refresh = this.resync || now - this.lastRefresh >= this.refreshMs;
    const pipeline = redis.client.multi();
    let commands = 0;
    const reads: Array<{ name: string; r: Room; at: number }> = [];
    const taken: Array<{ r: Room; removed: number[] }> = [];
    for (const [name, r] of this.rooms) {
      const key = `${prefix}:presence:${name}`;
      const write = refresh ? [...r.users.keys()] : [...r.add];
      const removed = [...r.remove];
      r.add.clear();
      r.remove.clear();
      if (write.length) {
        // GT: never shorten the expiry another node gave the same user.
        pipeline.zAdd(
          key,
          write.map((u) => ({ score: now + ttlMs, value: String(u) })),
          { GT: true },
        );
        pipeline.pExpire(key, ttlMs);
        commands += 2;
      }
      if (removed.length) {
        pipeline.zRem(key, removed.map(String));
        taken.push({ r, removed });
        commands++;
      }
      if (r.sockets.size && !final) {
        pipeline.zRemRangeByScore(key, '-inf', now);
        pipeline.zCard(key);
        reads.push({ name, r, at: commands + 1 });
        commands += 2;
      }
    }
    let replies: unknown[];
    try {
      replies = commands ? await pipeline.execAsPipeline() : [];
    } catch (err) {
      // Those who left are still in Redis: take them out next time (unless they are back).
      for (const { r, removed } of taken) for (const u of removed) if (!r.users.has(u)) r.remove.add(u);
      this.resync = true;
      if (!this.failing)
        this.o.log.warn({ err }, 'presence not updated in redis: counts wait until it is back');
      this.failing = true;
      return;
    }
    if (this.failing) this.o.log.info('presence updated in redis again');
    this.failing = false;
    if (refresh) {
      this.lastRefresh = now;
      this.resync = false;
    }
    for (const { name, r, at } of reads) {
      r.count = Number(replies[at]);
      this.deliver(name, r, r.count);
    }
    for (const [name, r] of this.rooms) {
      if (r.sockets.size === 0 && r.add.size === 0 && r.remove.size === 0) this.rooms.delete(name);
    }
  }

  /** Pushes a changed count to this node's sockets in the room; corrects what new readers were told. */
  private deliver(name: string, r: Room, count: number): void {
    if (r.sockets.size === 0) return;
    const push = { room: name, count } satisfies PresenceDto;
    if (count !== r.sent) {
      r.sent = count;
      r.nsp.local.to(name).emit('presence:changed', push);
    } else {
      for (const [id, told] of r.joined)
        if (told !== count) r.nsp.sockets.get(id)?.emit('presence:changed', push);
    }
    r.joined.clear();
  }
}
