/**
 * `npm run soak -- --minutes 30`: Quad as it runs in production for a while, checked for lost,
 * duplicated and reordered events and for memory that creeps.
 *
 * `npm run cluster`'s cluster (two nodes sharing MySQL/MariaDB and Redis, nginx with TLS in
 * front; needs DATABASE_URL and REDIS_URL like it) with bench/probe.ts in each node. Then:
 *
 * - `--subscribers` typed clients (shared/client.ts, the app's own) through nginx, each on one
 *   of four boards (`board:subscribe`); every tenth also follows a post's thread on /comments;
 * - writers straight to the nodes, alternating: `--rate` posts per second in all, plus a
 *   comment and a like every 200 ms each (on the other node when one is down);
 * - a rolling restart of the cluster every `--restart-every` minutes (each node drains, its
 *   clients reconnect through nginx and resume with `since`);
 * - per minute: ack and delivery latency (p50, p99), each node's heap after GC and RSS.
 *
 * At the end every subscriber must have, for each room it follows, every event id of the room
 * (the event log's per-room counter says how many) in order, each once, and with them every
 * acknowledged post and comment. The heap and RSS of each node, from its second minute after a
 * (re)start until its next restart, must stay within 10 %.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { connect, type NamespaceClient } from '../shared/client';
import type { LoginDto, PushEvent } from '../shared/dto';
import { ClusterError } from '../deploy/cluster/checks';
import { startCluster, type Cluster } from '../deploy/cluster/start';
import { percentile } from './swarm';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    subscribers: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '20' },
    'restart-every': { type: 'string', default: '5' },
    json: { type: 'string' },
  },
});
const MINUTES = Number(args.minutes);
const SUBSCRIBERS = Number(args.subscribers);
const RATE = Number(args.rate);
const RESTART_EVERY = Number(args['restart-every']);
const SOCKETS_PER_USER = 5;
const WRITERS = 10;
const METRICS_TOKEN = `soak-${Date.now()}-metrics-token`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** A growable set of small positive integers (post and comment ids), a bit each. */
class Bits {
  private b = new Uint8Array(1024);
  /** Sets `n`; false when it was set already. */
  add(n: number): boolean {
    if (n >> 3 >= this.b.length) {
      const next = new Uint8Array(Math.max(this.b.length * 2, (n >> 3) + 1));
      next.set(this.b);
      this.b = next;
    }
    const had = (this.b[n >> 3]! & (1 << (n & 7))) !== 0;
    this.b[n >> 3]! |= 1 << (n & 7);
    return !had;
  }
  has(n: number): boolean {
    return n >> 3 < this.b.length && (this.b[n >> 3]! & (1 << (n & 7))) !== 0;
  }
}

/** What one subscriber saw of one room: the last id, and every way it went wrong. */
class Feed {
  last = 0;
  delivered = 0;
  gaps = 0;
  repeats = 0;
  readonly items = new Bits();
  duplicates = 0;
  constructor(readonly room: string) {}
  /** One delivered event: ids of a room go up by one each. */
  see(id: number): void {
    this.delivered++;
    if (id <= this.last) this.repeats++;
    else if (id !== this.last + 1) this.gaps++;
    if (id > this.last) this.last = id;
  }
}

interface Minute {
  minute: number;
  acks: number[];
  deliveries: number[];
  refused: number;
}

const BOARD_PUSHES = [
  'post:created',
  'post:updated',
  'post:deleted',
  'post:liked',
  'post:commented',
  'post:hot',
  'post:best',
] as const;
const THREAD_PUSHES = [
  'comment:created',
  'comment:deleted',
  'comment:liked',
  'post:liked',
  'post:updated',
] as const;

async function login(url: string, name: string, ca: string): Promise<LoginDto> {
  const password = 'soak-passphrase-1';
  // Nicknames are 2–10 characters and unique: a digest of the (unique) username.
  const nickname = createHash('sha1').update(name).digest('base64url').slice(0, 10);
  const s = await postJson(`${url}/api/auth/signup`, { username: name, password, nickname }, ca);
  if (s.status !== 201 && s.status !== 409) throw new Error(`signup ${name}: ${s.status} ${s.text}`);
  const l = await postJson(`${url}/api/auth/login`, { username: name, password }, ca);
  if (l.status !== 200) throw new Error(`login ${name}: ${l.status} ${l.text}`);
  return JSON.parse(l.text) as LoginDto;
}

/** POST JSON over HTTPS trusting the cluster's self-signed certificate. */
function postJson(url: string, body: object, ca: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = https.request(
      url,
      {
        method: 'POST',
        ca,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function inBatches<T>(n: number, parallel: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await make(i);
      }
    }),
  );
  return out;
}

/** A promise nobody handled is a bug of the soak itself: reported as a failure, not a crash. */
const unhandled: string[] = [];
process.on('unhandledRejection', (err) => {
  unhandled.push(String(err));
  say(`unhandled rejection in the soak: ${String(err)}`);
});

async function main(): Promise<void> {
  for (const [k, v] of Object.entries({ MINUTES, SUBSCRIBERS, RATE, RESTART_EVERY }))
    if (!Number.isFinite(v) || v <= 0)
      throw new ClusterError(`--${k.toLowerCase()} must be a positive number`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quad-soak-'));
  say(`starting the cluster (2 nodes, nginx, TLS) in ${dataDir}`);
  const nodeLog: string[] = [];
  const cluster: Cluster = await startCluster({
    nodes: 2,
    httpsPort: 0,
    httpPort: 0,
    basePort: 0,
    dataDir,
    probe: true,
    env: {
      ...process.env,
      REDIS_PREFIX: `soak-${Date.now()}`,
      LOG_LEVEL: 'warn',
      ACCESS_TOKEN_TTL: '3h',
      METRICS_TOKEN,
      // Every simulated student connects from this machine's one address.
      MAX_CONNECTIONS_PER_IP: '100000',
    },
    log: (line) => {
      if (/"level":(50|60)|exited \(|did not exit/.test(line)) nodeLog.push(line.slice(0, 1000));
    },
  });
  const url = cluster.httpsUrl;
  const ca = cluster.ca;
  const socketOptions = { transports: ['websocket'], ca, forceNew: true };
  let report: object | undefined;
  const failed: string[] = [];
  try {
    // --- users, boards, threads ---------------------------------------------------------
    const users = Math.ceil(SUBSCRIBERS / SOCKETS_PER_USER);
    say(`signing up ${users} readers and ${WRITERS} writers`);
    const tag = Date.now().toString(36);
    const readers = await inBatches(users, 8, (i) => login(url, `r${tag}_${i}`, ca));
    const writerLogins = await inBatches(WRITERS, 4, (i) => login(url, `w${tag}_${i}`, ca));
    const writers = writerLogins.map((l) =>
      cluster.nodes.map((node) => ({
        node,
        boards: connect('/boards', {
          url: node.url,
          token: l.accessToken,
          socket: { transports: ['websocket'], forceNew: true },
        }),
        comments: connect('/comments', {
          url: node.url,
          token: l.accessToken,
          socket: { transports: ['websocket'], forceNew: true },
        }),
      })),
    );
    const first = writers[0]![0]!.boards;
    const boardsAck = await first.ask('boards:list', {});
    if (!boardsAck.ok) throw new Error(`boards:list: ${boardsAck.error.message}`);
    const boards = boardsAck.data.slice(0, 4).map((b) => b.id);
    const threads: number[] = [];
    for (const [i, boardId] of [...boards, ...boards].entries()) {
      const res = await first.ask('post:create', {
        boardId,
        title: `soak thread ${i}`,
        content: '댓글 스레드',
      });
      if (!res.ok) throw new Error(`thread post: ${res.error.message}`);
      threads.push(res.data.id);
    }

    // --- subscribers --------------------------------------------------------------------
    say(`connecting ${SUBSCRIBERS} subscribers through nginx`);
    interface Subscriber {
      boards: NamespaceClient<'/boards'>;
      comments?: NamespaceClient<'/comments'>;
      board: Feed;
      boardId: number;
      thread?: Feed;
      threadId?: number;
    }
    const sent = new Map<number, number>(); // post number (in its title) → when it was sent
    let minute: Minute = { minute: 0, acks: [], deliveries: [], refused: 0 };
    let resyncs = 0;
    const subs = await inBatches(SUBSCRIBERS, 40, async (i): Promise<Subscriber> => {
      const token = readers[Math.floor(i / SOCKETS_PER_USER)]!.accessToken;
      const boardId = boards[i % boards.length]!;
      const boardsClient = connect('/boards', { url, token, socket: socketOptions, timeoutMs: 30_000 });
      const board = new Feed(`board:${boardId}`);
      const s: Subscriber = { boards: boardsClient, board, boardId };
      for (const type of BOARD_PUSHES)
        boardsClient.onEvent(type, (e: PushEvent<unknown>) => {
          board.see(e.id);
          if (type !== 'post:created') return;
          const post = e.data as { id: number; title: string };
          if (!board.items.add(post.id)) board.duplicates++;
          const n = Number(/#(\d+)$/.exec(post.title)?.[1]);
          const at = sent.get(n);
          if (at !== undefined) minute.deliveries.push(Date.now() - at);
        });
      boardsClient.onResync(() => resyncs++);
      const sub = await boardsClient.subscribe('board:subscribe', { boardId });
      if (!sub.ok) throw new Error(`board:subscribe: ${sub.error.message}`);
      board.last = sub.data.lastId ?? 0;
      if (i % 10 === 0) {
        const threadId = threads[(i / 10) % threads.length]!;
        const comments = connect('/comments', { url, token, socket: socketOptions, timeoutMs: 30_000 });
        const thread = new Feed(`post:${threadId}`);
        for (const type of THREAD_PUSHES)
          comments.onEvent(type, (e: PushEvent<unknown>) => {
            thread.see(e.id);
            if (type === 'comment:created' && !thread.items.add((e.data as { id: number }).id))
              thread.duplicates++;
          });
        comments.onResync(() => resyncs++);
        const res = await comments.subscribe('post:subscribe', { postId: threadId });
        if (!res.ok) throw new Error(`post:subscribe: ${res.error.message}`);
        thread.last = res.data.lastId ?? 0;
        Object.assign(s, { comments, thread, threadId });
      }
      return s;
    });

    // --- writing, restarting, sampling --------------------------------------------------
    const ackedPosts = new Map<number, number>(); // post id → board id
    const ackedComments = new Map<number, number>(); // comment id → thread post id
    const recent: number[] = [];
    const minutes: Array<Omit<Minute, 'acks' | 'deliveries'> & Record<string, unknown>> = [];
    const memory: Array<{
      minute: number;
      node: string;
      uptimeS: number;
      heapMiB: number;
      rssMiB: number;
      sockets: number;
    }> = [];
    const restarts: string[] = [];
    let writing = true;
    let n = 0;
    const started = Date.now();
    const pick = (i: number) => {
      const w = writers[i % WRITERS]!;
      const preferred = w[i % 2]!;
      const other = w[(i + 1) % 2]!;
      return preferred.node.running && preferred.boards.socket.connected ? preferred : other;
    };
    const track = <T>(p: Promise<{ ok: boolean; data?: T }>, at: number, onOk: (data: T) => void) => {
      void p.then(
        (res) => {
          if (res.ok) {
            minute.acks.push(Date.now() - at);
            onOk(res.data as T);
          } else minute.refused++;
        },
        () => minute.refused++,
      );
    };
    const postLoop = (async () => {
      const interval = 1000 / RATE;
      for (let next = Date.now(); writing; next += interval) {
        const i = n++;
        const w = pick(i);
        const boardId = boards[i % boards.length]!;
        const at = Date.now();
        sent.set(i, at);
        track(
          w.boards.ask('post:create', { boardId, title: `soak #${i}`, content: `내용 ${i}` }),
          at,
          (post: { id: number }) => {
            ackedPosts.set(post.id, boardId);
            recent.push(post.id);
            if (recent.length > 200) recent.shift();
          },
        );
        await sleep(Math.max(0, next + interval - Date.now()));
      }
    })();
    const sideLoop = (async () => {
      for (let i = 0; writing; i++) {
        const w = pick(i + 1);
        const at = Date.now();
        const postId = threads[i % threads.length]!;
        track(w.comments.ask('comment:create', { postId, content: `댓글 ${i}` }), at, (c: { id: number }) =>
          ackedComments.set(c.id, postId),
        );
        const target = recent[Math.floor(Math.random() * recent.length)];
        // A like sent to a node as it restarts can time out: not counted, like any refused write.
        if (target !== undefined)
          pick(i + 2)
            .boards.ask('post:like', { postId: target })
            .catch(() => undefined);
        await sleep(200);
      }
    })();

    const sample = async (m: number) => {
      const done = minute;
      minute = { minute: m + 1, acks: [], deliveries: [], refused: 0 };
      const acks = done.acks.sort((a, b) => a - b);
      const deliveries = done.deliveries.sort((a, b) => a - b);
      const row = {
        minute: done.minute,
        acked: acks.length,
        refused: done.refused,
        ackP50: percentile(acks, 0.5),
        ackP99: percentile(acks, 0.99),
        deliveries: deliveries.length,
        deliveryP50: percentile(deliveries, 0.5),
        deliveryP99: percentile(deliveries, 0.99),
      };
      minutes.push(row);
      const mem: string[] = [];
      for (const node of cluster.nodes) {
        if (!node.running) continue;
        try {
          const heap = await node.probe<{ heapUsed: number; rss: number; uptime: number }>('heap', 'heap');
          const metrics = await fetch(`${node.url}/metrics`, {
            headers: { authorization: `Bearer ${METRICS_TOKEN}` },
          }).then((r) => r.text());
          const sockets = [...metrics.matchAll(/^quad_sockets\{namespace="[^"]+"\} (\d+)/gm)].reduce(
            (a, x) => a + Number(x[1]),
            0,
          );
          const entry = {
            minute: done.minute,
            node: node.name,
            uptimeS: Math.round(heap.uptime),
            heapMiB: Math.round((heap.heapUsed / 2 ** 20) * 10) / 10,
            rssMiB: Math.round((heap.rss / 2 ** 20) * 10) / 10,
            sockets,
          };
          memory.push(entry);
          mem.push(
            `${node.name} heap ${entry.heapMiB} MiB rss ${entry.rssMiB} MiB sockets ${sockets} up ${entry.uptimeS} s`,
          );
        } catch (err) {
          mem.push(`${node.name}: ${(err as Error).message}`);
        }
      }
      say(
        `minute ${row.minute}: ${row.acked} acked (${row.refused} refused), ack p50 ${row.ackP50} p99 ${row.ackP99} ms; ` +
          `${row.deliveries} deliveries, p50 ${row.deliveryP50} p99 ${row.deliveryP99} ms; ${mem.join('; ')}`,
      );
    };

    say(
      `writing ${RATE} posts/s with comments and likes for ${MINUTES} min; rolling restart every ${RESTART_EVERY} min`,
    );
    let rolls = Promise.resolve();
    for (let m = 0; m < MINUTES; m++) {
      const until = started + (m + 1) * 60_000;
      if (m > 0 && m % RESTART_EVERY === 0) {
        rolls = cluster.roll((line) => {
          restarts.push(`${new Date().toISOString().slice(11, 19)} ${line}`);
          say(line);
        });
      }
      await sleep(Math.max(0, until - Date.now()));
      await sample(m);
    }
    writing = false;
    await Promise.all([postLoop, sideLoop, rolls]);

    // --- settle, then check every feed --------------------------------------------------
    const db = await mysql.createConnection({
      uri: process.env.DATABASE_URL!.replace(/^mariadb:/, 'mysql:'),
    });
    const [rows] = await db.query('SELECT room, seq FROM event_streams WHERE room IN (?)', [
      [...boards.map((b) => `board:${b}`), ...threads.map((t) => `post:${t}`)],
    ]);
    await db.end();
    const finalId = new Map(
      (rows as Array<{ room: string; seq: number }>).map((r) => [r.room, Number(r.seq)]),
    );
    const caughtUp = () =>
      subs.every(
        (s) =>
          s.board.last >= (finalId.get(s.board.room) ?? 0) &&
          (!s.thread || s.thread.last >= (finalId.get(s.thread.room) ?? 0)),
      );
    const settleUntil = Date.now() + 60_000;
    while (!caughtUp() && Date.now() < settleUntil) await sleep(500);
    // One more read of the counters, for anything committed while settling.
    let lost = 0;
    let lostItems = 0;
    let gaps = 0;
    let repeats = 0;
    let duplicates = 0;
    let behind = 0;
    for (const s of subs) {
      for (const feed of [s.board, s.thread]) {
        if (!feed) continue;
        gaps += feed.gaps;
        repeats += feed.repeats;
        duplicates += feed.duplicates;
        const missing = (finalId.get(feed.room) ?? 0) - feed.last;
        if (missing > 0) {
          behind++;
          lost += missing;
        }
      }
      for (const [postId, boardId] of ackedPosts)
        if (boardId === s.boardId && !s.board.items.has(postId)) lostItems++;
      if (s.thread)
        for (const [commentId, postId] of ackedComments)
          if (postId === s.threadId && !s.thread.items.has(commentId)) lostItems++;
    }
    for (const s of subs) {
      s.boards.close();
      s.comments?.close();
    }
    for (const w of writers.flat()) {
      w.boards.close();
      w.comments.close();
    }

    // Memory: each life of each node (from a start to its restart), from its second minute on,
    // within 10 %. A restart resets the heap, so lives are compared separately; the first one
    // also carries the signups' argon2 memory in its RSS.
    const flat: Record<string, object[]> = {};
    const spread = (xs: number[]) => (xs.length > 1 ? Math.max(...xs) / Math.min(...xs) - 1 : 0);
    const pct = (x: number) => Math.round(x * 1000) / 10;
    for (const node of cluster.nodes) {
      const lives: Array<typeof memory> = [];
      let uptime = Infinity;
      for (const e of memory.filter((m) => m.node === node.name)) {
        if (e.uptimeS < uptime) lives.push([]);
        uptime = e.uptimeS;
        if (e.uptimeS >= 60) lives[lives.length - 1]!.push(e);
      }
      flat[node.name] = lives.map((life, k) => {
        const heap = spread(life.map((e) => e.heapMiB));
        const rss = spread(life.map((e) => e.rssMiB));
        if (heap > 0.1)
          failed.push(`${node.name} life ${k + 1}: heap after GC spread ${pct(heap)} % (limit 10 %)`);
        if (rss > 0.1) failed.push(`${node.name} life ${k + 1}: RSS spread ${pct(rss)} % (limit 10 %)`);
        return { life: k + 1, samples: life.length, heapSpread: pct(heap), rssSpread: pct(rss) };
      });
    }
    const posts = ackedPosts.size;
    const deliveriesExpected = subs.reduce(
      (a, s) => a + [...ackedPosts.values()].filter((b) => b === s.boardId).length,
      0,
    );
    if (lost) failed.push(`${lost} event(s) never delivered (${behind} feed(s) behind the event log)`);
    if (lostItems) failed.push(`${lostItems} acknowledged post/comment deliveries missing`);
    if (gaps) failed.push(`${gaps} gap(s) in a room's ids (an event skipped, then later ones delivered)`);
    if (repeats) failed.push(`${repeats} event(s) delivered twice or out of order`);
    if (duplicates) failed.push(`${duplicates} post/comment delivered as two events`);
    if (resyncs) failed.push(`${resyncs} RESYNC_REQUIRED on a resume (history lost)`);
    if (unhandled.length)
      failed.push(`${unhandled.length} unhandled rejection(s) in the soak: ${unhandled[0]}`);
    const crashes = nodeLog.filter((l) => /exited \(/.test(l));
    if (crashes.length) failed.push(`node exits not asked for: ${crashes.join(' | ')}`);
    report = {
      minutes: MINUTES,
      subscribers: SUBSCRIBERS,
      threadSubscribers: subs.filter((s) => s.thread).length,
      postsAcked: posts,
      commentsAcked: ackedComments.size,
      postDeliveriesExpected: deliveriesExpected,
      lost,
      lostItems,
      gaps,
      repeats,
      duplicates,
      resyncs,
      perMinute: minutes,
      memory,
      flat,
      restarts,
      nodeErrors: nodeLog.slice(0, 20),
    };
    say(
      `${posts} posts and ${ackedComments.size} comments acked; ${deliveriesExpected} post deliveries expected`,
    );
    say(
      `lost ${lost}, lost items ${lostItems}, gaps ${gaps}, repeats ${repeats}, duplicates ${duplicates}, resyncs ${resyncs}`,
    );
    say(`memory after warm-up (max/min − 1, %): ${JSON.stringify(flat)}`);
  } finally {
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (args.json && report) fs.writeFileSync(args.json, JSON.stringify({ ...report, failed }, null, 2));
  if (failed.length) {
    say(`FAIL:\n- ${failed.join('\n- ')}`);
    process.exit(1);
  }
  say('PASS: every subscriber has every event, in order, once; memory flat after warm-up');
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err instanceof ClusterError ? err.message : err);
  process.exit(1);
});
