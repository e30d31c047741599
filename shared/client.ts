import { io, type Socket } from 'socket.io-client';
import { Connection, type ConnectionState } from './connection';
import { rooms } from './rooms';
import type { PushEvent, ResumeDto, ResyncDto } from './dto';
import {
  WRITE_COMMANDS,
  type Ack,
  type InputOf,
  type NamespaceCommands,
  type NamespaceName,
  type NamespacePushes,
  type OutputOf,
} from './events';

/** The room each subscribe command joins (see docs/protocol.md), so its `since` can be tracked. */
const FEED_ROOMS: Record<string, (payload: Record<string, unknown>) => string> = {
  'board:subscribe': (p) => rooms.board(Number(p.boardId)),
  'post:subscribe': (p) => rooms.post(Number(p.postId)),
  'friend:watch': (p) => rooms.watch(Number(p.friendId)),
  'queue:subscribe': () => rooms.moderation,
};

/** Answers to a subscribe that waiting or resending will not change. */
const REFUSALS: ReadonlySet<string> = new Set(['NOT_FOUND', 'FORBIDDEN', 'RATE_LIMITED', 'VALIDATION']);

/** The subscribe command each unsubscribe command undoes (same payload fields). */
const SUBSCRIBE_OF = {
  'board:unsubscribe': 'board:subscribe',
  'post:unsubscribe': 'post:subscribe',
  'friend:unwatch': 'friend:watch',
} as const;

export type { ConnectionState } from './connection';

/** How many event ids to remember for dropping duplicates. */
const SEEN_MAX = 5000;

/**
 * How long a feed's push that arrived after a gap in its room's ids waits for the missing ones
 * before the client resumes the room to fetch them. Pushes of one room made on different nodes
 * can overtake each other by a few milliseconds; a gap that lasts longer was lost (see
 * `server:resync`).
 */
const GAP_WAIT_MS = 1_000;

/** How long `ask` waits for an ack unless told: long enough to ride out a node's drain. */
const DEFAULT_TIMEOUT_MS = 10_000;

export interface ClientOptions {
  /** Base URL of the Quad server, e.g. `http://localhost:3000`. */
  url: string;
  /** Access token; omit in a browser that logged in with cookies. */
  token?: string;
  /**
   * How long `ask` waits for an ack, in ms (default 10 s). It covers a failover too: a command
   * asked while the client switches nodes is sent once it has reconnected, within this time.
   */
  timeoutMs?: number;
  /** Extra socket.io-client options (e.g. `transports`, `extraHeaders` in Node). */
  socket?: Parameters<typeof io>[1];
}

type PushArgs<N extends NamespaceName, E extends keyof NamespacePushes[N]> = NamespacePushes[N][E] extends (
  ...args: infer A
) => void
  ? A
  : never;

/** A typed connection to one namespace. */
export class NamespaceClient<N extends NamespaceName> {
  readonly socket: Socket;
  /**
   * Per room, the id up to which every event has been delivered: the `since` of the next
   * resubscribe. In a feed (`subscribe`), a later event is only delivered once every event
   * before it has been.
   */
  readonly lastIds = new Map<string, number>();
  /** The epoch of the history `lastIds` come from (see PushEvent). */
  epoch: string | undefined;
  /** `room id` of the events delivered lately: ids are per room. */
  private readonly seen = new Set<string>();
  private readonly feeds = new Map<
    string,
    { event: string; payload: Record<string, unknown>; room: string }
  >();
  private readonly eventListeners = new Map<string, Set<(e: PushEvent) => void>>();
  private readonly resyncListeners = new Set<(room: string) => void>();
  /**
   * Live pushes of a room whose (re)subscribe is in flight: the server joins the room before it
   * answers, so they can overtake the older events the answer replays. They are delivered after
   * the replay, in id order, so listeners see each room in order and `since` never skips a gap.
   */
  private readonly held = new Map<string, { resumes: number; events: { e: PushEvent; type: string }[] }>();
  /** Feed pushes that arrived after a gap, per room, waiting for the events before them. */
  private readonly early = new Map<string, Map<number, { e: PushEvent; type: string }>>();
  private readonly gapTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly connection: Connection;

  constructor(
    readonly namespace: N,
    private readonly options: ClientOptions,
  ) {
    this.socket = io(options.url + namespace, {
      ...options.socket,
      auth: (cb) => cb(this.options.token ? { token: this.options.token } : {}),
    });
    this.socket.onAny((type: string, payload: unknown) => {
      if (!isPushEvent(payload)) return;
      const held = this.held.get(payload.room);
      if (held) held.events.push({ e: payload, type });
      else this.accept(payload, type);
    });
    // The node lost other nodes' pushes for a while (it lost Redis): resume those feeds.
    this.socket.on('server:resync', (p: ResyncDto) => {
      for (const room of Array.isArray(p?.rooms) ? p.rooms : []) this.resumeRoom(room);
    });
    // After any reconnect, resume every feed from the last id seen in its room.
    this.connection = new Connection(this.socket, () =>
      this.feeds.size
        ? Promise.allSettled([...this.feeds.keys()].map((key) => this.resume(key, true)))
        : undefined,
    );
  }

  /** The connection's state now (see `ConnectionState`). */
  get state(): ConnectionState {
    return this.connection.state;
  }

  /** Calls `listener` on every change of `state`; returns a function that stops it. */
  onState(listener: (state: ConnectionState) => void): () => void {
    return this.connection.onState(listener);
  }

  /**
   * Calls `listener` with a feed's room when resubscribing it after a reconnect answered
   * RESYNC_REQUIRED: events were missed that cannot be replayed, so reload that list. The feed
   * stays subscribed and live events keep coming.
   */
  onResync(listener: (room: string) => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /**
   * Subscribes to a feed (`board:subscribe`, `post:subscribe`, `friend:watch`, `queue:subscribe`) and keeps it: events it returns
   * and every later push reach `onEvent` listeners once each, in order; after a reconnect the
   * client resubscribes with `since` by itself.
   */
  async subscribe<
    K extends keyof NamespaceCommands[N] &
      ('board:subscribe' | 'post:subscribe' | 'friend:watch' | 'queue:subscribe'),
  >(event: K, payload: InputOf<NamespaceCommands[N], K>): Promise<Ack<ResumeDto>> {
    const body = payload as Record<string, unknown>;
    const room = FEED_ROOMS[event]!(body);
    const key = `${event} ${room}`;
    const kept = this.feeds.has(key);
    this.feeds.set(key, { event, payload: body, room });
    const res = await this.resume(key);
    // A feed the server refuses outright is not kept: resent on every reconnect, it could take
    // the place of one that was granted (MAX_SUBSCRIPTIONS_PER_SOCKET).
    if (!res.ok && !kept && REFUSALS.has(res.error.code)) this.feeds.delete(key);
    return res;
  }

  /** Stops keeping a feed (and tells the server). */
  async unsubscribe(event: keyof typeof SUBSCRIBE_OF, payload: Record<string, unknown>): Promise<void> {
    const room = FEED_ROOMS[SUBSCRIBE_OF[event]]!(payload);
    for (const [key, feed] of this.feeds) if (feed.room === room) this.feeds.delete(key);
    await this.send(event, payload);
  }

  /** Listens to one push type, deduplicated by event id, including events replayed on resume. */
  onEvent<E extends keyof NamespacePushes[N] & string>(
    type: E,
    listener: (...args: PushArgs<N, E>) => void,
  ): () => void {
    const set = this.eventListeners.get(type) ?? new Set();
    const l = listener as unknown as (e: PushEvent) => void;
    set.add(l);
    this.eventListeners.set(type, set);
    return () => set.delete(l);
  }

  private async resume(key: string, automatic = false): Promise<Ack<ResumeDto>> {
    const feed = this.feeds.get(key)!;
    const since = this.lastIds.get(feed.room);
    const held = this.held.get(feed.room) ?? { resumes: 0, events: [] };
    held.resumes++;
    this.held.set(feed.room, held);
    let res: Ack<ResumeDto>;
    try {
      res = await this.send<Ack<ResumeDto>>(feed.event, {
        ...feed.payload,
        ...(since !== undefined && { since, ...(this.epoch !== undefined && { epoch: this.epoch }) }),
      });
      if (res.ok) {
        this.useEpoch(res.data.epoch);
        // The answer holds every event after `since`, in order: nothing is missing any more.
        for (const e of res.data.events) this.deliver(e, e.type);
        // From here on, the room's ids run on without gaps.
        if (typeof res.data.lastId === 'number' && res.data.lastId >= (this.lastIds.get(feed.room) ?? 0))
          this.lastIds.set(feed.room, res.data.lastId);
        this.settle(feed.room, true);
      } else if (automatic && res.error.code === 'RESYNC_REQUIRED') {
        // The list gets reloaded; live events from here on set the next `since`.
        this.lastIds.delete(feed.room);
        this.settle(feed.room, true);
        for (const l of this.resyncListeners) l(feed.room);
      }
    } finally {
      if (--held.resumes === 0) {
        this.held.delete(feed.room);
        for (const { e, type } of held.events.sort((a, b) => a.e.id - b.e.id)) this.accept(e, type);
      }
    }
    return res;
  }

  /**
   * A live push. In a feed room whose position is known, it is delivered only in id order: one
   * that arrives after a gap waits (GAP_WAIT_MS) for the missing ones, then the room is resumed.
   */
  private accept(e: PushEvent, type: string): void {
    this.useEpoch(e.epoch);
    const last = this.lastIds.get(e.room);
    if (last === undefined || !this.isFeedRoom(e.room)) return this.deliver(e, type);
    if (e.id <= last) return;
    if (e.id > last + 1) {
      const early = this.early.get(e.room) ?? new Map<number, { e: PushEvent; type: string }>();
      early.set(e.id, { e, type });
      this.early.set(e.room, early);
      if (!this.gapTimers.has(e.room)) {
        const timer = setTimeout(() => {
          this.gapTimers.delete(e.room);
          this.resumeRoom(e.room);
        }, GAP_WAIT_MS);
        (timer as { unref?: () => void }).unref?.();
        this.gapTimers.set(e.room, timer);
      }
      return;
    }
    this.deliver(e, type);
    this.settle(e.room, false);
  }

  /**
   * Delivers the room's early pushes that are next in order; with `all`, every one left (the
   * room was just resumed, so the ones still waiting follow what it replayed).
   */
  private settle(room: string, all: boolean): void {
    const early = this.early.get(room);
    if (early) {
      for (const id of [...early.keys()].sort((a, b) => a - b)) {
        const last = this.lastIds.get(room);
        if (last !== undefined && id <= last) early.delete(id);
        else if (all || last === undefined || id === last + 1) {
          const { e, type } = early.get(id)!;
          early.delete(id);
          this.deliver(e, type);
        } else break;
      }
      if (early.size === 0) this.early.delete(room);
    }
    if (!this.early.has(room)) {
      clearTimeout(this.gapTimers.get(room));
      this.gapTimers.delete(room);
    }
  }

  /** The keys of the feeds kept on `room` (one per subscribe command that joined it). */
  private feedsOf(room: string): string[] {
    return [...this.feeds].filter(([, feed]) => feed.room === room).map(([key]) => key);
  }

  private isFeedRoom(room: string): boolean {
    return this.feedsOf(room).length > 0;
  }

  /** Resumes every feed kept on `room` from its last delivered id. */
  private resumeRoom(room: string): void {
    for (const key of this.feedsOf(room)) void this.resume(key, true);
  }

  /** A new epoch means a new history: ids seen before say nothing about it. */
  private useEpoch(epoch: string): void {
    if (epoch === this.epoch) return;
    if (this.epoch !== undefined) {
      this.lastIds.clear();
      this.seen.clear();
    }
    this.epoch = epoch;
  }

  private deliver(e: PushEvent, type: string): void {
    this.useEpoch(e.epoch);
    const key = `${e.room} ${e.id}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.seen.size > SEEN_MAX) this.seen.delete(this.seen.values().next().value as string);
    this.lastIds.set(e.room, Math.max(e.id, this.lastIds.get(e.room) ?? 0));
    for (const l of this.eventListeners.get(type) ?? []) l(e);
  }

  /** Sends a command and resolves with its ack (rejects only if no ack arrives in time). */
  ask<K extends keyof NamespaceCommands[N] & string>(
    event: K,
    payload?: InputOf<NamespaceCommands[N], K>,
  ): Promise<Ack<OutputOf<NamespaceCommands[N], K>>> {
    if (WRITE_COMMANDS.has(event) && payload && typeof payload === 'object' && !('requestId' in payload))
      return this.send(event, { ...payload, requestId: uuid() }, true);
    return this.send(event, payload);
  }

  /**
   * Emits with an ack, waiting at most `timeoutMs` in all. A write (`retry`, with its requestId)
   * whose ack is lost with the connection is sent again, unchanged, after the reconnect: the
   * server applies it once. Anything else whose ack is lost rejects ("socket has been
   * disconnected"): it may or may not have run. A drain loses none (see Connection).
   */
  private async send<T>(event: string, payload: unknown, retry = false): Promise<T> {
    const timeout = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = Date.now() + timeout;
    // A draining node answers what it has received, then disconnects; a command sent now could
    // arrive after that. Hold it until the disconnect: from then on socket.io buffers it and
    // sends it on the reconnect, to whichever node the load balancer picks.
    const switching = this.connection.untilSwitched();
    if (switching) await within(switching, timeout);
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('operation has timed out');
      try {
        return (await this.socket.timeout(left).emitWithAck(event, payload)) as T;
      } catch (err) {
        // The ack was lost with the connection (a crashed node, a cut network). A write with a
        // requestId is sent again, with the same one, once reconnected: the server answers a
        // retry with the first answer and writes nothing twice.
        if (!retry || (err as Error).message !== 'socket has been disconnected') throw err;
        await within(
          this.connected().catch(() => undefined),
          Math.max(0, deadline - Date.now()),
        );
        if (!this.socket.connected) throw err;
      }
    }
  }

  /** Resolves with the next push of `event` (its first argument). */
  next<E extends keyof NamespacePushes[N] & string>(event: E): Promise<PushArgs<N, E>[0]> {
    return new Promise((resolve) => {
      this.socket.once(event as string, (payload: PushArgs<N, E>[0]) => resolve(payload));
    });
  }

  /** Listens to every push of `event`; returns a function that stops listening. */
  on<E extends keyof NamespacePushes[N] & string>(
    event: E,
    listener: (...args: PushArgs<N, E>) => void,
  ): () => void {
    const l = listener as (...args: unknown[]) => void;
    this.socket.on(event as string, l);
    return () => this.socket.off(event as string, l);
  }

  /** Uses a new access token for reconnects and re-authenticates the live socket with it. */
  async setToken(token: string): Promise<Ack<{ expiresAt: string }>> {
    this.options.token = token;
    return this.socket.connected
      ? this.send('auth:refresh', { accessToken: token })
      : { ok: true, data: { expiresAt: '' } };
  }

  /** Resolves once connected; rejects with the `connect_error` (its `data.code` says why). */
  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const ok = () => {
        this.socket.off('connect_error', fail);
        resolve();
      };
      const fail = (err: Error) => {
        this.socket.off('connect', ok);
        reject(err);
      };
      this.socket.once('connect', ok);
      this.socket.once('connect_error', fail);
    });
  }

  close(): void {
    for (const timer of this.gapTimers.values()) clearTimeout(timer);
    this.gapTimers.clear();
    this.connection.close();
  }
}

/** A random (v4) UUID; `crypto.randomUUID` exists only in secure contexts in a browser. */
function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Resolves when `promise` does or after `ms`, whichever is first. */
function within(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function isPushEvent(v: unknown): v is PushEvent {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as PushEvent).id === 'number' &&
    typeof (v as PushEvent).room === 'string'
  );
}

/** Connects to one namespace with typed commands and pushes. */
export function connect<N extends NamespaceName>(namespace: N, options: ClientOptions): NamespaceClient<N> {
  return new NamespaceClient(namespace, { ...options });
}
