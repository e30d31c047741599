import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import type { Cluster } from '../../deploy/cluster';
import type { PostDto, PushEvent } from '../../shared/dto';
import type { ErrorWire } from '../../shared/errors';
import { hex } from '../helpers/clients';
import { nodeOf, percentile, tracedClient, type TracedClient } from './lib';

/** One board subscriber (the typed client: reconnects and resumes with `since` by itself). */
export interface Subscriber {
  traced: TracedClient<'/boards'>;
  /** Deliveries after the client's own de-duplication by event id, in arrival order. */
  delivered: Array<{ eventId: number; postId: number }>;
  /** Event ids of post:created pushes as they came off the socket (resume replays excluded). */
  rawIds: number[];
  /** Each disconnect → connect, in ms, and when the latest disconnect happened. */
  reconnectMs: number[];
  lastDisconnectAt?: number;
  connectedAt: number[];
}

/** `count` subscribers of `board`, spread over the users' tokens, connected through nginx. */
export async function subscribe(
  cluster: Cluster,
  tokens: string[],
  count: number,
  board: number,
): Promise<Subscriber[]> {
  const subs = Array.from({ length: count }, (_, i): Subscriber => {
    const traced = tracedClient(cluster, '/boards', tokens[i % tokens.length]!);
    const s: Subscriber = { traced, delivered: [], rawIds: [], reconnectMs: [], connectedAt: [] };
    const socket = traced.client.socket;
    socket.on('disconnect', () => (s.lastDisconnectAt = Date.now()));
    socket.on('connect', () => {
      s.connectedAt.push(Date.now());
      if (s.lastDisconnectAt !== undefined) s.reconnectMs.push(Date.now() - s.lastDisconnectAt);
    });
    socket.on('post:created', (e: PushEvent) => s.rawIds.push(e.id));
    traced.client.onEvent('post:created', (e: PushEvent<PostDto>) =>
      s.delivered.push({ eventId: e.id, postId: e.data.id }),
    );
    return s;
  });
  await Promise.all(subs.map((s) => s.traced.client.connected()));
  const acks = await Promise.all(
    subs.map((s) => s.traced.client.subscribe('board:subscribe', { boardId: board })),
  );
  for (const ack of acks) assert.equal(ack.ok, true, JSON.stringify(ack));
  return subs;
}

/** How many subscribers each node holds right now (by nginx's X-Quad-Upstream). */
export function spread(cluster: Cluster, subs: Subscriber[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of subs) {
    const name = nodeOf(cluster, s.traced.upstream())?.name ?? 'unknown';
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

/** Posts at a steady rate through one typed client, recording every ack. */
export class Writer {
  /** Post ids acknowledged ok, in ack order. */
  readonly acked: number[] = [];
  /** Commands answered with an error, or not answered in time. */
  readonly failed: Array<ErrorWire | { code: 'NO_ACK'; message: string }> = [];
  readonly prefix = `load ${hex()}`;
  private sent = 0;
  private timer?: NodeJS.Timeout;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    readonly traced: TracedClient<'/boards'>,
    private readonly board: number,
  ) {}

  start(perSecond: number): void {
    this.timer = setInterval(() => this.post(), 1000 / perSecond);
  }

  private post(): void {
    const n = ++this.sent;
    const done = this.traced.client
      .ask('post:create', { boardId: this.board, title: `${this.prefix} ${n}`, content: `#${n}` })
      .then(
        (res) => {
          if (res.ok) this.acked.push(res.data.id);
          else this.failed.push(res.error);
        },
        (err: Error) => {
          this.failed.push({ code: 'NO_ACK', message: err.message });
        },
      )
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** Stops posting and waits for every command still in flight to be answered or time out. */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    while (this.pending.size) await Promise.all([...this.pending]);
    return this.sent;
  }
}

/** The post:created events committed in a board room, in event order, as `{ eventId, postId }`. */
export async function committed(
  dbUrl: string,
  board: number,
): Promise<Array<{ eventId: number; postId: number }>> {
  const conn = await mysql.createConnection(dbUrl);
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT id, data FROM events WHERE room = ? AND type = 'post:created' ORDER BY id",
      [`board:${board}`],
    );
    // The log stores `{ d: payload, a: authorId }` (server/features/events/events.service.ts).
    return rows.map((r) => ({
      eventId: Number(r.id),
      postId: (JSON.parse(String(r.data)) as { d: { id: number } }).d.id,
    }));
  } finally {
    await conn.end();
  }
}

export interface Verdict {
  /** Deliveries, live pushes, pushes the client dropped as duplicates, deliveries that came through a resume. */
  delivered: number;
  pushed: number;
  duplicatePushes: number;
  resumed: number;
  /** Subscribers with each kind of fault, and the first few faults in words. */
  missing: number;
  duplicated: number;
  uncommitted: number;
  outOfOrder: number;
  problems: string[];
}

/**
 * Checks every subscriber against the acks and the database: each acknowledged post
 * delivered exactly once; deliveries in event order; nothing delivered that was not
 * committed. Collects the faults rather than failing at the first, so a failing run still
 * prints its counts.
 */
export function verify(
  subs: Subscriber[],
  acked: number[],
  log: Array<{ eventId: number; postId: number }>,
): Verdict {
  const committedIds = new Set(log.map((e) => e.postId));
  const v: Verdict = {
    delivered: 0,
    pushed: 0,
    duplicatePushes: 0,
    resumed: 0,
    missing: 0,
    duplicated: 0,
    uncommitted: 0,
    outOfOrder: 0,
    problems: [],
  };
  const fault = (text: string) => v.problems.length < 5 && v.problems.push(text);
  for (const id of acked) if (!committedIds.has(id)) fault(`acknowledged post ${id} is not in the event log`);
  for (const [i, s] of subs.entries()) {
    const ids = s.delivered.map((d) => d.postId);
    const got = new Set(ids);
    const missing = acked.filter((id) => !got.has(id));
    if (missing.length) {
      v.missing++;
      fault(
        `subscriber ${i} missed ${missing.length} acknowledged posts (${missing.slice(0, 5).join(', ')}…)`,
      );
    }
    if (got.size !== ids.length) {
      v.duplicated++;
      fault(`subscriber ${i} got ${ids.length - got.size} posts twice`);
    }
    const stray = ids.filter((id) => !committedIds.has(id));
    if (stray.length) {
      v.uncommitted++;
      fault(`subscriber ${i} got posts that are not committed: ${stray.slice(0, 5).join(', ')}`);
    }
    const events = s.delivered.map((d) => d.eventId);
    const inversions = events.filter((id, k) => k > 0 && id < events[k - 1]!).length;
    if (inversions) {
      v.outOfOrder++;
      fault(
        `subscriber ${i} got events out of order (${inversions} times): …${events.slice(0, 40).join(',')}`,
      );
    }
    const raw = new Set(s.rawIds);
    v.delivered += s.delivered.length;
    v.pushed += s.rawIds.length;
    // Pushed twice (the client dropped the copy), and delivered only through a resume with `since`.
    v.duplicatePushes += s.rawIds.length - raw.size;
    v.resumed += s.delivered.filter((d) => !raw.has(d.eventId)).length;
  }
  return v;
}

/** One line of counts, for the suite's output (the evidence of a run). */
export function counts(v: Verdict): string {
  return (
    `deliveries ${v.delivered} (${v.pushed} live pushes, ${v.resumed} only through resume, ` +
    `${v.duplicatePushes} duplicate pushes dropped by the client); subscribers with missing posts ${v.missing}, ` +
    `duplicates ${v.duplicated}, uncommitted posts ${v.uncommitted}, out-of-order deliveries ${v.outOfOrder}`
  );
}

/** p50/p95/max of some durations, as text. */
export function summary(ms: number[]): string {
  if (!ms.length) return 'none';
  return `p50 ${percentile(ms, 50)} ms, p95 ${percentile(ms, 95)} ms, max ${Math.max(...ms)} ms (n=${ms.length})`;
}
