/**
 * `npm run bench`: Quad against baselines measured in the same run (bench/README.md).
 *
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/quad_bench npm run bench [-- options]
 *
 * Options: --repeat N (default 3) · --quick (small sizes, one repetition) · --only a,b
 * (fanout, fanout5k, fanout-blocks, fanout-presence, saturation, ingest, connections, logins) · --redis (fan-out on two nodes
 * joined by Redis, REDIS_URL or redis://127.0.0.1:6379) · --cpu-prof (profile the Quad server
 * of each scenario into bench/results/profiles and print its top functions).
 *
 * Every server runs in a child process pinned to core 0 (taskset); this process, which plays
 * all the clients, pins itself to core 1. The variants of a scenario run one after the other
 * inside each repetition, so a drift of the machine hits them alike.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { connectMany, LightClient, percentile } from './swarm';
import { topFunctions } from './profile-top';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const value = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
};
const QUICK = flag('quick');
const REPEAT = Number(value('repeat', QUICK ? '1' : '3'));
const ONLY = value(
  'only',
  'fanout,fanout5k,fanout-blocks,fanout-presence,saturation,ingest,connections,logins',
).split(',');
/** Ingest writes spread over this many boards (the seeded 10): one room takes its writers in turn. */
const INGEST_ROOMS = Number(value('ingest-rooms', '10'));
const REDIS = flag('redis');
const PROFILE = flag('cpu-prof');
const RESULTS = path.join(__dirname, 'results');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl || !/^(mysql|mariadb):/.test(databaseUrl)) {
  console.error('Set DATABASE_URL to a MariaDB/MySQL database, e.g. mysql://root@127.0.0.1:3306/quad_bench');
  process.exit(2);
}
const dbUrl = databaseUrl.replace(/^mariadb:/, 'mysql:');

// ---- pinning ------------------------------------------------------------------------------
const taskset = spawnSync('taskset', ['-cp', '1', String(process.pid)], { encoding: 'utf8' });
const pinned = taskset.status === 0;
const pinNote = pinned
  ? 'servers pinned to core 0, clients (this process) to core 1'
  : `not pinned: taskset failed (${(taskset.stderr || String(taskset.error)).trim()})`;

// ---- servers ------------------------------------------------------------------------------
interface Child {
  proc: ChildProcess;
  port: number;
  ask<T>(cmd: string, key: string): Promise<T>;
  result<T>(): Promise<T>;
  stop(): Promise<void>;
}

function startServer(variant: string, options: object = {}, core = '0'): Promise<Child> {
  const node = [
    '--expose-gc',
    ...(PROFILE && variant === 'quad'
      ? ['--cpu-prof', '--cpu-prof-dir', path.join(RESULTS, 'profiles')]
      : []),
    '--import',
    'tsx',
    path.join(__dirname, 'servers.ts'),
    variant,
    JSON.stringify({ databaseUrl: dbUrl, ...options }),
  ];
  const cmd = pinned ? 'taskset' : process.execPath;
  const args = pinned ? ['-c', core, process.execPath, ...node] : node;
  const proc = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<string, (v: unknown) => void>();
  proc.on('message', (m: Record<string, unknown>) => {
    for (const [key, resolve] of waiting) {
      if (key in m) {
        waiting.delete(key);
        resolve(m[key]);
      }
    }
  });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${variant}: no "${key}" within 120 s`)), 120_000);
      waiting.set(key, (v) => {
        clearTimeout(timer);
        resolve(v as T);
      });
    });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  children.add(proc);
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${variant} exited with ${code} before it was ready`)));
    next<{ port: number }>('port').then((port) => {
      const child: Child = {
        proc,
        port: port as unknown as number,
        ask: <T>(cmd: string, key: string) => {
          const p = next<T>(key);
          proc.send({ cmd });
          return p;
        },
        result: <T>() => {
          const p = next<T>('result');
          proc.send({ cmd: 'go' });
          return p;
        },
        async stop() {
          if (variant === 'quad') {
            // A graceful stop writes the CPU profile; bounded in case it hangs.
            const stopped = next('stopped').catch(() => undefined);
            proc.send({ cmd: 'stop' });
            await Promise.race([stopped, new Promise((r) => setTimeout(r, 15_000))]);
          }
          if (proc.exitCode === null) proc.send({ cmd: 'exit' });
          await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
          proc.kill('SIGKILL');
          children.delete(proc);
        },
      };
      resolve(child);
    }, reject);
  });
}
const children = new Set<ChildProcess>();
const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
process.on('exit', killAll);
process.on('SIGINT', () => process.exit(130));

// ---- database -----------------------------------------------------------------------------
async function resetDatabase(): Promise<void> {
  const url = new URL(dbUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/';
  const c = await mysql.createConnection({ uri: url.toString() });
  await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.query(`USE \`${name}\``);
  // The baselines' tables, shaped like Quad's posts and events (id, indexed columns, text).
  await c.query(`CREATE TABLE bench_posts (id INT AUTO_INCREMENT PRIMARY KEY, boardId INT NOT NULL,
    authorId INT NOT NULL, title VARCHAR(100) NOT NULL, content TEXT NOT NULL, createdAt DATETIME(3) NOT NULL,
    KEY (boardId, id)) ENGINE=InnoDB`);
  await c.query(`CREATE TABLE bench_events (id BIGINT AUTO_INCREMENT PRIMARY KEY, room VARCHAR(64) NOT NULL,
    type VARCHAR(64) NOT NULL, data TEXT NOT NULL, createdAt DATETIME(3) NOT NULL, KEY (room, id)) ENGINE=InnoDB`);
  await c.end();
}

// ---- Quad accounts ------------------------------------------------------------------------
const USERS = 20;
async function quadTokens(
  port: number,
  names = Array.from({ length: USERS }, (_, i) => `bench_${i}`),
): Promise<string[]> {
  const base = `http://127.0.0.1:${port}`;
  const post = async (p: string, body: object) => {
    const res = await fetch(base + p, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return Promise.all(
    names.map(async (username, i) => {
      const credentials = { username, password: 'bench-passphrase-1' };
      const nickname = username.startsWith('bench_churn') ? `벤치독자${i}` : `벤치${username.slice(6)}`;
      await post('/api/auth/signup', { ...credentials, nickname }); // 409 once it exists
      const login = await post('/api/auth/login', credentials);
      if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
      return login.body.accessToken as string;
    }),
  );
}

async function clientsFor(variant: string, port: number): Promise<(i: number) => Promise<LightClient>> {
  const tokens = variant === 'quad' ? await quadTokens(port) : Array.from({ length: USERS }, () => 'x');
  return (i) => LightClient.connect(port, '/boards', { token: tokens[i % tokens.length] });
}

const BOARD = 1;

// ---- fan-out ------------------------------------------------------------------------------
interface FanoutFigures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  ackP99: number;
  cpuUsPerDelivery: number;
  /** Server CPU per post (all its deliveries): what blocks change, with 10 % fewer deliveries. */
  cpuUsPerPost: number;
  lost: number;
  /** Pushes of the author's posts that reached a subscriber who blocked the author (must be 0). */
  leaked: number;
  /** `presence:changed` pushes per subscriber while measuring (0 with presence off). */
  presencePushes: number;
}

/**
 * Readers coming and going during a fan-out (both variants of `fanout-presence`): two more users
 * step through {A}, {A, B}, {} on the board, one step a second, so the count differs at every
 * presence tick (2 s) and each tick pushes it to every subscriber: presence at its most costly
 * for one room. Answers a function that stops them.
 */
async function churnReaders(port: number): Promise<() => Promise<void>> {
  const tokens = await quadTokens(port, ['bench_churn_a', 'bench_churn_b']);
  const readers = await Promise.all(tokens.map((token) => LightClient.connect(port, '/boards', { token })));
  const reading = readers.map(() => false);
  let stop = false;
  const loop = (async () => {
    for (let step = 0; !stop; step++) {
      const want = [step % 3 !== 2, step % 3 === 1];
      await Promise.all(
        readers.map(async (r, j) => {
          if (want[j] === reading[j]) return;
          await r.ask(want[j] ? 'board:subscribe' : 'board:unsubscribe', { boardId: BOARD });
          reading[j] = want[j]!;
        }),
      );
      await sleep(1000);
    }
  })();
  return async () => {
    stop = true;
    await loop;
    for (const r of readers) r.close();
  };
}

/**
 * 차단 in the fan-out: users 1…k of the USERS (k = `share` of them) block user 0, the author of
 * every post the scenario makes, through `user:block` on a post of theirs on another board.
 * Their sockets, connected afterwards, join the author's hide room; the author's pushes go to the
 * board minus that room. Answers how to undo it (the next run on this database starts clean).
 */
async function blockAuthor(
  connect: (i: number) => Promise<LightClient>,
  share: number,
): Promise<{ blockers: Set<number>; undo: () => Promise<void> }> {
  const data = (ack: string) => {
    const [res] = JSON.parse(ack) as [{ ok: boolean; data: { id: number } }];
    if (!res.ok) throw new Error(`command failed: ${ack.slice(0, 200)}`);
    return res.data;
  };
  const author = await connect(0);
  const target = data(
    await author.ask('post:create', { boardId: BOARD + 1, title: 'block me', content: '.' }),
  );
  author.close();
  const blockers = new Set(Array.from({ length: Math.round(USERS * share) }, (_, i) => i + 1));
  const blocks = new Map<number, number>();
  for (const user of blockers) {
    const c = await connect(user);
    blocks.set(user, data(await c.ask('user:block', { target: { kind: 'post', id: target.id } })).id);
    c.close();
  }
  return {
    blockers,
    async undo() {
      for (const [user, blockId] of blocks) {
        const c = await connect(user);
        data(await c.ask('user:unblock', { blockId }));
        c.close();
      }
    },
  };
}

async function fanout(
  variant: string,
  subscribers: number,
  rate: number,
  posts: number,
  blockShare = 0,
  /** `fanout-presence`: PRESENCE_INTERVAL of the servers, and readers coming and going (churnReaders). */
  presence?: { interval: string },
): Promise<FanoutFigures> {
  const nodes = REDIS ? 2 : 1;
  const prefix = `bench${Date.now().toString(36)}`;
  const servers: Child[] = [];
  for (let n = 0; n < nodes; n++) {
    servers.push(
      await startServer(variant, {
        ...(REDIS && { redisUrl: REDIS_URL, redisPrefix: prefix }),
        ...(presence && { presenceInterval: presence.interval }),
      }),
    );
  }
  try {
    const connectors = await Promise.all(servers.map((s) => clientsFor(variant, s.port)));
    const blocks = blockShare ? await blockAuthor(connectors[0]!, blockShare) : undefined;
    // Subscriber i is user i % USERS: those of the blocking users get none of the posts.
    const blocked = (i: number) => blocks?.blockers.has(i % USERS) ?? false;
    const expected = Array.from({ length: subscribers }, (_, i) => i).filter((i) => !blocked(i)).length;
    let leaked = 0;
    const subs = await connectMany(subscribers, 200, (i) => connectors[i % nodes]!(i));
    await Promise.all(subs.map((s) => s.ask('board:subscribe', { boardId: BOARD })));
    const creator = await connectors[0]!(0);
    const sent: number[] = [];
    const count: number[] = [];
    const last: number[] = [];
    let doneResolve: (() => void) | undefined;
    let complete = 0;
    const marker = '"title":"bench ';
    let presencePushes = 0;
    subs.forEach((s, i) => {
      s.onPush = (event, raw) => {
        if (event === 'presence:changed') presencePushes++;
        if (event !== 'post:created') return;
        const at = raw.indexOf(marker);
        if (at < 0) return;
        if (blocked(i)) return void leaked++;
        const n = parseInt(raw.slice(at + marker.length, at + marker.length + 8), 10);
        count[n] = (count[n] ?? 0) + 1;
        if (count[n] === expected) {
          last[n] = performance.now();
          if (++complete === posts + WARMUP) doneResolve?.();
        }
      };
    });
    const stopChurn = presence && (await churnReaders(servers[0]!.port));
    const acks: number[] = [];
    const done = new Promise<void>((r) => (doneResolve = r));
    const create = async (n: number) => {
      sent[n] = performance.now();
      const ack = await creator.ask('post:create', {
        boardId: BOARD,
        title: `bench ${n} `,
        content: '벤치마크 내용입니다.',
      });
      if (!ack.startsWith('[{"ok":true')) throw new Error(`post:create failed: ${ack.slice(0, 200)}`);
      acks[n] = performance.now() - sent[n]!;
    };
    const WARMUP = 10;
    const pending: Promise<void>[] = [];
    for (let n = 0; n < WARMUP; n++) {
      pending.push(create(n));
      await sleep(1000 / rate);
    }
    await Promise.all(servers.map((s) => s.ask('cpu', 'cpu')));
    presencePushes = 0;
    const start = performance.now();
    for (let n = WARMUP; n < WARMUP + posts; n++) {
      const due = start + ((n - WARMUP) * 1000) / rate;
      await sleep(Math.max(0, due - performance.now()));
      pending.push(create(n));
    }
    await Promise.all(pending);
    await Promise.race([done, sleep(30_000)]);
    const cpu = (await Promise.all(servers.map((s) => s.ask<number>('cpu', 'cpu')))).reduce(
      (a, b) => a + b,
      0,
    );
    const heardPresence = presencePushes / subscribers;
    await stopChurn?.();
    const lat: number[] = [];
    let lost = 0;
    for (let n = WARMUP; n < WARMUP + posts; n++) {
      if (last[n] === undefined) lost++;
      else lat.push(last[n]! - sent[n]!);
    }
    lat.sort((a, b) => a - b);
    const ackSorted = acks.slice(WARMUP).sort((a, b) => a - b);
    for (const s of [...subs, creator]) s.close();
    await blocks?.undo();
    return {
      p50: percentile(lat, 0.5),
      p95: percentile(lat, 0.95),
      p99: percentile(lat, 0.99),
      max: lat[lat.length - 1] ?? NaN,
      ackP99: percentile(ackSorted, 0.99),
      cpuUsPerDelivery: cpu / (posts * expected),
      cpuUsPerPost: cpu / posts,
      lost,
      leaked,
      presencePushes: heardPresence,
    };
  } finally {
    for (const s of servers) await s.stop();
  }
}

// ---- saturation ---------------------------------------------------------------------------
async function saturation(
  variant: string,
  subscribers: number,
  seconds: number,
): Promise<{ deliveriesPerSecond: number }> {
  const server = await startServer(variant);
  try {
    const connect = await clientsFor(variant, server.port);
    const subs = await connectMany(subscribers, 200, connect);
    await Promise.all(subs.map((s) => s.ask('board:subscribe', { boardId: BOARD })));
    const creator = await connect(0);
    let delivered = 0;
    let counting = false;
    for (const s of subs) s.onPush = (e) => e === 'post:created' && counting && delivered++;
    // Closed loop: 4 creators, each sends its next post as soon as its previous one was acked.
    let stop = false;
    const loops = Array.from({ length: 4 }, async () => {
      while (!stop) await creator.ask('post:create', { boardId: BOARD, title: 'bench sat', content: '…' });
    });
    await sleep(1000);
    counting = true;
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const result = { deliveriesPerSecond: delivered / ((performance.now() - t0) / 1000) };
    counting = false;
    stop = true;
    await Promise.race([Promise.all(loops), sleep(10_000)]);
    for (const s of [...subs, creator]) s.close();
    return result;
  } finally {
    await server.stop();
  }
}

// ---- ingest -------------------------------------------------------------------------------
/** `redis`: nodes joined by the Redis adapter (two nodes always are; one may be, to compare like with like). */
async function ingestQuad(inFlight: number, seconds: number, nodes = 1, redis = nodes > 1): Promise<Ingest> {
  const prefix = `bench${Date.now().toString(36)}`;
  const servers: Child[] = [];
  for (let n = 0; n < nodes; n++) {
    servers.push(
      await startServer(
        'quad',
        redis ? { redisUrl: REDIS_URL, redisPrefix: prefix } : {},
        pinned ? String(n) : '0',
      ),
    );
  }
  try {
    const connectors = await Promise.all(servers.map((s) => clientsFor('quad', s.port)));
    // One socket per in-flight command per node, each sending its next post when the last is acked.
    const sockets = await connectMany(inFlight * nodes, 50, (i) => connectors[i % nodes]!(i));
    let done = 0;
    let counting = false;
    let stop = false;
    const loops = sockets.map(async (s, i) => {
      while (!stop) {
        const ack = await s.ask('post:create', {
          boardId: 1 + (i % INGEST_ROOMS),
          title: 'ingest',
          content: '내용',
        });
        if (!ack.startsWith('[{"ok":true')) throw new Error(`post:create failed: ${ack.slice(0, 200)}`);
        if (counting) done++;
      }
    });
    await sleep(1000);
    const cpuOf = async () =>
      (await Promise.all(servers.map((s) => s.ask<number>('cpu', 'cpu')))).reduce((a, b) => a + b, 0);
    await cpuOf();
    counting = true;
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const perSecond = done / ((performance.now() - t0) / 1000);
    const cpuPerPost = (await cpuOf()) / done;
    stop = true;
    await Promise.race([Promise.all(loops), sleep(10_000)]);
    for (const s of sockets) s.close();
    return { perSecond, cpuPerPost };
  } finally {
    for (const s of servers) await s.stop();
  }
}

/** Posts per second, and the server's CPU µs per post (all nodes' together) while counting. */
interface Ingest {
  perSecond: number;
  cpuPerPost: number;
}

async function ingestRaw(inFlight: number, seconds: number): Promise<Ingest> {
  const child = await startServer('raw-tx', { concurrency: inFlight, seconds });
  try {
    const { perSecond, cpu, done } = await child.result<{ perSecond: number; cpu: number; done: number }>();
    return { perSecond, cpuPerPost: cpu / done };
  } finally {
    await child.stop();
  }
}

// ---- connections --------------------------------------------------------------------------
async function connections(
  variant: string,
  count: number,
): Promise<{ perSecond: number; heapPerSocket: number }> {
  const server = await startServer(variant);
  try {
    const connect = await clientsFor(variant, server.port);
    const before = await server.ask<number>('heap', 'heap');
    const t0 = performance.now();
    const socks = await connectMany(count, 100, async (i) => {
      const c = await connect(i);
      await c.ask('board:subscribe', { boardId: BOARD });
      return c;
    });
    const seconds = (performance.now() - t0) / 1000;
    await sleep(500);
    const after = await server.ask<number>('heap', 'heap');
    for (const s of socks) s.close();
    return { perSecond: count / seconds, heapPerSocket: (after - before) / count };
  } finally {
    await server.stop();
  }
}

// ---- logins -------------------------------------------------------------------------------
async function loginsQuad(concurrency: number, seconds: number): Promise<number> {
  const server = await startServer('quad');
  try {
    await quadTokens(server.port);
    const base = `http://127.0.0.1:${server.port}`;
    let done = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, i) => {
        while (performance.now() < until) {
          const res = await fetch(`${base}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: `bench_${i % USERS}`, password: 'bench-passphrase-1' }),
          });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`login answered ${res.status}`);
          done++;
        }
      }),
    );
    return done / seconds;
  } finally {
    await server.stop();
  }
}

async function loginsRaw(concurrency: number, seconds: number): Promise<number> {
  const child = await startServer('argon2', { concurrency, seconds });
  try {
    return (await child.result<{ perSecond: number }>()).perSecond;
  } finally {
    await child.stop();
  }
}

// ---- reporting ----------------------------------------------------------------------------
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
/** "median (min–max)" of one figure over the repetitions. */
const spread = (xs: number[]) =>
  xs.length > 1 ? `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})` : fmt(xs[0]!);

type Reps = Record<string, Record<string, number[]>>; // scenario/variant → figure → values
const reps: Reps = {};
function record(key: string, figures: Record<string, number>): void {
  const r = (reps[key] ??= {});
  for (const [k, v] of Object.entries(figures)) (r[k] ??= []).push(v);
}
const med = (key: string, figure: string) => median(reps[key]?.[figure] ?? [NaN]);

interface Target {
  what: string;
  ratio: (rep: number) => number;
  ok: (r: number) => boolean;
  goal: string;
}
const targets: Target[] = [];
/** A ratio computed per repetition, reported as median (min–max). */
function target(
  what: string,
  a: string,
  b: string,
  figure: string,
  goal: string,
  ok: (r: number) => boolean,
  figureB = figure,
) {
  targets.push({ what, ratio: (i) => reps[a]![figure]![i]! / reps[b]![figureB]![i]!, ok, goal });
}

// ---- main ---------------------------------------------------------------------------------
async function main(): Promise<void> {
  fs.mkdirSync(RESULTS, { recursive: true });
  if (PROFILE) fs.rmSync(path.join(RESULTS, 'profiles'), { recursive: true, force: true });
  const nofile = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim();
  console.log(
    `Quad benchmark — ${pinNote}; repetitions: ${REPEAT}${QUICK ? ' (quick)' : ''}${REDIS ? '; fan-out on two nodes over Redis' : ''}; ulimit -n ${nofile}`,
  );
  if (nofile !== 'unlimited' && Number(nofile) < 12_000) {
    console.error('ulimit -n is below 12000; 5,000 sockets on each side need more (ulimit -n 65536).');
    process.exit(2);
  }
  await resetDatabase();
  // Quad's schema (migrations, seeded boards) before the first timed run.
  await (await startServer('quad')).stop();

  const size = (full: number, quick: number) => (QUICK ? quick : full);
  const variants = ['bare', 'sio-db', 'quad'];
  /** `quad+blocks`: the real app where BLOCK_SHARE of the subscribers blocked the posting author. */
  const BLOCK_SHARE = 0.1;
  /** `fanout-presence`: the real app with presence on (the default) and off, readers churning in both. */
  const PRESENCE: Record<string, string> = { quad: '2s', 'quad-presence-off': 'off' };
  const fanoutCases = [
    { key: 'fanout', subscribers: size(1000, 200), rate: 20, posts: size(200, 40), variants },
    { key: 'fanout5k', subscribers: size(5000, 500), rate: 5, posts: size(60, 15), variants },
    {
      key: 'fanout-blocks',
      subscribers: size(1000, 200),
      rate: 20,
      posts: size(200, 40),
      variants: ['quad', 'quad+blocks'],
    },
    {
      key: 'fanout-presence',
      subscribers: size(1000, 200),
      rate: 20,
      posts: size(200, 40),
      variants: ['quad-presence-off', 'quad'],
    },
  ].filter((c) => ONLY.includes(c.key));
  const started = Date.now();
  for (let rep = 0; rep < REPEAT; rep++) {
    console.log(`\n— repetition ${rep + 1} of ${REPEAT}`);
    for (const c of fanoutCases) {
      for (const v of c.variants) {
        const blocks = v === 'quad+blocks';
        const presence = c.key === 'fanout-presence' ? { interval: PRESENCE[v]! } : undefined;
        const f = await fanout(
          blocks || presence ? 'quad' : v,
          c.subscribers,
          c.rate,
          c.posts,
          blocks ? BLOCK_SHARE : 0,
          presence,
        );
        if (f.leaked)
          throw new Error(`${c.key} ${v}: ${f.leaked} pushes reached subscribers who blocked the author`);
        record(`${c.key}/${v}`, { ...f });
        console.log(
          `  ${c.key} ${c.subscribers}@${c.rate}/s ${v}: p50 ${fmt(f.p50)} p99 ${fmt(f.p99)} ms, ${fmt(f.cpuUsPerDelivery)} µs/delivery${presence ? `, ${fmt(f.presencePushes)} presence pushes per subscriber` : ''}${f.lost ? `, ${f.lost} posts incomplete` : ''}`,
        );
      }
    }
    if (ONLY.includes('saturation')) {
      for (const v of variants) {
        const f = await saturation(v, size(1000, 200), size(10, 4));
        record(`saturation/${v}`, f);
        console.log(`  saturation ${v}: ${fmt(f.deliveriesPerSecond)} deliveries/s`);
      }
    }
    if (ONLY.includes('ingest')) {
      for (const n of [10, 40]) {
        const raw = await ingestRaw(n, size(8, 3));
        const quad = await ingestQuad(n, size(8, 3));
        record(`ingest${n}/raw`, { ...raw });
        record(`ingest${n}/quad`, { ...quad });
        console.log(
          `  ingest ${n} in flight: raw mysql2 ${fmt(raw.perSecond)}/s (${fmt(raw.cpuPerPost)} µs CPU each), Quad ${fmt(quad.perSecond)}/s (${fmt(quad.cpuPerPost)} µs)`,
        );
      }
      const two = await ingestQuad(20, size(8, 3), 2);
      const one = await ingestQuad(20, size(8, 3), 1, true);
      record('ingest-nodes/two', { ...two });
      record('ingest-nodes/one', { ...one });
      console.log(
        `  ingest, 20 in flight per node: one node ${fmt(one.perSecond)}/s (${fmt(one.cpuPerPost)} µs), two nodes ${fmt(two.perSecond)}/s (${fmt(two.cpuPerPost)} µs)`,
      );
    }
    if (ONLY.includes('connections')) {
      for (const v of ['bare', 'quad']) {
        const f = await connections(v, size(5000, 500));
        record(`connections/${v}`, f);
        console.log(
          `  connections ${v}: ${fmt(f.perSecond)}/s, ${fmt(f.heapPerSocket / 1024)} KB heap per socket`,
        );
      }
    }
    if (ONLY.includes('logins')) {
      const raw = await loginsRaw(4, size(6, 3));
      const quad = await loginsQuad(4, size(6, 3));
      record('logins/raw', { perSecond: raw });
      record('logins/quad', { perSecond: quad });
      console.log(`  logins: raw argon2 ${fmt(raw)}/s, Quad ${fmt(quad)}/s`);
    }
  }

  // ---- tables -----------------------------------------------------------------------------
  console.log(`\nMedian (min–max) of ${REPEAT} repetition(s); ${pinNote}.`);
  for (const c of fanoutCases) {
    console.log(
      `\nfan-out, ${c.subscribers} subscribers, ${c.rate} posts/s, ${c.posts} posts${REDIS ? ', two nodes' : ''} (ms, create → last subscriber)`,
    );
    console.log('| variant | p50 | p95 | p99 | max | ack p99 | server CPU µs/delivery |');
    console.log('|---|---|---|---|---|---|---|');
    for (const v of c.variants) {
      const r = reps[`${c.key}/${v}`]!;
      console.log(
        `| ${v} | ${spread(r.p50!)} | ${spread(r.p95!)} | ${spread(r.p99!)} | ${spread(r.max!)} | ${spread(r.ackP99!)} | ${spread(r.cpuUsPerDelivery!)} |`,
      );
    }
    if (c.key === 'fanout-blocks') {
      const [on, off] = [`${c.key}/quad+blocks`, `${c.key}/quad`];
      target(`${c.key} p50 with / without blocks`, on, off, 'p50', '(info)', () => true);
      target(`${c.key} p99 with / without blocks`, on, off, 'p99', '(info)', () => true);
      target(
        `${c.key} CPU/delivery with / without blocks`,
        on,
        off,
        'cpuUsPerDelivery',
        '(info)',
        () => true,
      );
      target(`${c.key} CPU/post with / without blocks`, on, off, 'cpuUsPerPost', '(info)', () => true);
      continue;
    }
    if (c.key === 'fanout-presence') {
      const [on, off] = [`${c.key}/quad`, `${c.key}/quad-presence-off`];
      console.log(
        `presence pushes per subscriber while measuring: ${spread(reps[on]!.presencePushes!)} on, ${spread(reps[off]!.presencePushes!)} off`,
      );
      target(`${c.key} p50 presence on / off`, on, off, 'p50', '(info)', () => true);
      target(`${c.key} p95 presence on / off`, on, off, 'p95', '(info)', () => true);
      target(`${c.key} p99 presence on / off`, on, off, 'p99', '(info)', () => true);
      target(`${c.key} CPU/delivery presence on / off`, on, off, 'cpuUsPerDelivery', '(info)', () => true);
      continue;
    }
    target(`${c.key} p50 Quad / sio-db`, `${c.key}/quad`, `${c.key}/sio-db`, 'p50', '≤ 1.2', (r) => r <= 1.2);
    target(`${c.key} p99 Quad / sio-db`, `${c.key}/quad`, `${c.key}/sio-db`, 'p99', '≤ 1.3', (r) => r <= 1.3);
    target(`${c.key} p99 Quad / bare`, `${c.key}/quad`, `${c.key}/bare`, 'p99', '(info)', () => true);
    target(
      `${c.key} CPU/delivery Quad / sio-db`,
      `${c.key}/quad`,
      `${c.key}/sio-db`,
      'cpuUsPerDelivery',
      '(info)',
      () => true,
    );
  }
  if (ONLY.includes('saturation')) {
    console.log(
      '\nsaturation (deliveries/s): ' +
        variants.map((v) => `${v} ${spread(reps[`saturation/${v}`]!.deliveriesPerSecond!)}`).join(' · '),
    );
    target(
      'saturation Quad / sio-db',
      'saturation/quad',
      'saturation/sio-db',
      'deliveriesPerSecond',
      '≥ 0.8',
      (r) => r >= 0.8,
    );
  }
  if (ONLY.includes('ingest')) {
    for (const n of [10, 40]) {
      console.log(
        `ingest ${n} in flight (posts/s): raw mysql2 ${spread(reps[`ingest${n}/raw`]!.perSecond!)} · Quad ${spread(reps[`ingest${n}/quad`]!.perSecond!)}`,
      );
      console.log(
        `ingest ${n} in flight (server CPU µs per post): raw mysql2 ${spread(reps[`ingest${n}/raw`]!.cpuPerPost!)} · Quad ${spread(reps[`ingest${n}/quad`]!.cpuPerPost!)}`,
      );
      target(
        `ingest ${n} in flight Quad / raw mysql2`,
        `ingest${n}/quad`,
        `ingest${n}/raw`,
        'perSecond',
        '≥ 0.5',
        (r) => r >= 0.5,
      );
    }
    console.log(
      `ingest nodes (posts/s): one ${spread(reps['ingest-nodes/one']!.perSecond!)} · two ${spread(reps['ingest-nodes/two']!.perSecond!)}`,
    );
    target(
      'ingest two nodes / one node',
      'ingest-nodes/two',
      'ingest-nodes/one',
      'perSecond',
      '≥ 1.6',
      (r) => r >= 1.6,
    );
  }
  if (ONLY.includes('connections')) {
    for (const v of ['bare', 'quad']) {
      const r = reps[`connections/${v}`]!;
      console.log(
        `connections ${v}: ${spread(r.perSecond!)} sockets/s, ${spread(r.heapPerSocket!.map((x) => x / 1024))} KB heap per socket`,
      );
    }
    target(
      'connect+auth+subscribe/s Quad / bare',
      'connections/quad',
      'connections/bare',
      'perSecond',
      '≥ 0.5',
      (r) => r >= 0.5,
    );
    target(
      'heap per socket Quad / bare',
      'connections/quad',
      'connections/bare',
      'heapPerSocket',
      '≤ 1.3',
      (r) => r <= 1.3,
    );
  }
  if (ONLY.includes('logins')) {
    console.log(
      `logins/s: raw argon2 ${spread(reps['logins/raw']!.perSecond!)} · Quad ${spread(reps['logins/quad']!.perSecond!)}`,
    );
    target('logins/s Quad / raw argon2', 'logins/quad', 'logins/raw', 'perSecond', '≥ 0.9', (r) => r >= 0.9);
  }
  console.log('\n| ratio | median (min–max) | target | |');
  console.log('|---|---|---|---|');
  const ratios: Record<string, { median: number; min: number; max: number; target: string; met: boolean }> =
    {};
  for (const t of targets) {
    const xs = Array.from({ length: REPEAT }, (_, i) => t.ratio(i));
    const m = median(xs);
    ratios[t.what] = { median: m, min: Math.min(...xs), max: Math.max(...xs), target: t.goal, met: t.ok(m) };
    console.log(
      `| ${t.what} | ${spread(xs)} | ${t.goal} | ${t.goal === '(info)' ? '' : t.ok(m) ? '✓' : '✗'} |`,
    );
  }

  const summary = {
    at: new Date().toISOString(),
    pinning: pinNote,
    repeat: REPEAT,
    quick: QUICK,
    redis: REDIS,
    seconds: (Date.now() - started) / 1000,
    ratios,
    raw: reps,
  };
  const name = REDIS ? 'summary-redis' : QUICK ? 'summary-quick' : 'summary';
  fs.writeFileSync(path.join(RESULTS, `${name}.json`), JSON.stringify(summary, null, 2));
  const charted = fanoutCases.filter((c) => c.variants === variants);
  if (charted.length)
    fs.writeFileSync(
      path.join(RESULTS, REDIS ? 'fanout-redis.svg' : 'fanout.svg'),
      chart(
        charted.map((c) => c.key),
        variants,
      ),
    );
  console.log(
    `\nWritten: bench/results/${name}.json, bench/results/${REDIS ? 'fanout-redis' : 'fanout'}.svg (${fmt((Date.now() - started) / 60_000)} min)`,
  );

  if (PROFILE) {
    for (const f of fs.readdirSync(path.join(RESULTS, 'profiles')).filter((x) => x.endsWith('.cpuprofile'))) {
      console.log(`\nTop functions by self time, ${f}:`);
      for (const line of topFunctions(path.join(RESULTS, 'profiles', f), 15)) console.log('  ' + line);
    }
  }
}

/** Grouped bars: p50 / p95 / p99 per variant per fan-out case, medians, in ms. */
function chart(cases: string[], variants: string[]): string {
  const pcts = ['p50', 'p95', 'p99'] as const;
  const colors = { bare: '#9aa5b1', 'sio-db': '#3e7cb1', quad: '#e8743b' } as Record<string, string>;
  const values = cases.flatMap((c) => variants.flatMap((v) => pcts.map((p) => med(`${c}/${v}`, p))));
  const top = Math.max(...values.filter(Number.isFinite), 1) * 1.1;
  const W = 720,
    H = 320,
    left = 50,
    bottom = 40,
    plotH = H - bottom - 30;
  const groupW = (W - left - 20) / cases.length;
  const barW = groupW / (variants.length * pcts.length + variants.length + 1);
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`;
  svg += `<text x="${left}" y="16" font-size="13">create → last subscriber (ms), median of repetitions</text>`;
  for (let t = 0; t <= 4; t++) {
    const y = 30 + plotH - (plotH * t) / 4;
    svg += `<line x1="${left}" x2="${W - 20}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${left - 6}" y="${y + 4}" text-anchor="end">${fmt((top * t) / 4)}</text>`;
  }
  cases.forEach((c, ci) => {
    let x = left + ci * groupW + barW;
    variants.forEach((v) => {
      pcts.forEach((p, pi) => {
        const val = med(`${c}/${v}`, p);
        const h = Number.isFinite(val) ? (plotH * val) / top : 0;
        svg += `<rect x="${x.toFixed(1)}" y="${(30 + plotH - h).toFixed(1)}" width="${(barW * 0.9).toFixed(1)}" height="${h.toFixed(1)}" fill="${colors[v]}" opacity="${1 - pi * 0.25}"><title>${c} ${v} ${p}: ${fmt(val)} ms</title></rect>`;
        x += barW;
      });
      x += barW;
    });
    svg += `<text x="${left + ci * groupW + groupW / 2}" y="${H - bottom + 16}" text-anchor="middle">${c} (bars: p50 p95 p99)</text>`;
  });
  variants.forEach((v, i) => {
    svg += `<rect x="${left + i * 110}" y="${H - 16}" width="10" height="10" fill="${colors[v]}"/><text x="${left + i * 110 + 14}" y="${H - 7}">${v}</text>`;
  });
  return svg + '</svg>\n';
}

main().then(
  () => {
    killAll();
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    killAll();
    process.exit(1);
  },
);
