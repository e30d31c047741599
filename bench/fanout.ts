/**
 * Fan-out: N subscribers on one board, posts created at a steady rate through `post:create`
 * (auth, validation, one transaction with tags and the event log, push after commit), against
 * a bare Socket.IO server that broadcasts a payload of the same size, in the same run.
 * Prints create-to-delivery latency and deliveries per second for both, and their ratio;
 * writes bench/results/fanout.json.
 *
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/quad_bench npm run bench:fanout -- --subscribers 1000 --posts 200 --rate 20
 *
 * Without DATABASE_URL it uses a temporary SQLite file (and says so). Server and clients share
 * this process (2 cores here); both sides of the comparison pay that cost alike.
 */
import 'reflect-metadata';
import http from 'node:http';
import os from 'node:os';
import { Server } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { arg, figures, startQuad, writeResult, type Figures } from './lib';

const SUBSCRIBERS = arg('subscribers', 1000);
const POSTS = arg('posts', 200);
const RATE = arg('rate', 20);

interface Delivery extends Figures {
  deliveries: number;
  expected: number;
}

async function connectMany(url: string, count: number, auth: Record<string, string>): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, () => {
      const s = ioClient(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
      return new Promise<Socket>((resolve, reject) => {
        s.once('connect', () => resolve(s));
        s.once('connect_error', reject);
      });
    });
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

/** Sends `POSTS` messages at `RATE`/s through `send`, and waits for every subscriber to get each. */
async function drive(
  subscribers: Socket[],
  event: string,
  titleOf: (payload: unknown) => string,
  send: (title: string) => Promise<void>,
): Promise<Delivery> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const expected = POSTS * subscribers.length;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  for (const s of subscribers) {
    s.on(event, (payload: unknown) => {
      const t0 = sentAt.get(titleOf(payload));
      if (t0 === undefined) return;
      latencies.push(performance.now() - t0);
      if (latencies.length === expected) resolveDone();
    });
  }
  const started = performance.now();
  const sends: Array<Promise<void>> = [];
  for (let i = 0; i < POSTS; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const title = `fanout #${i}`;
    sentAt.set(title, performance.now());
    sends.push(send(title));
  }
  await Promise.all(sends);
  await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
  const seconds = (performance.now() - started) / 1000;
  for (const s of subscribers) s.off(event);
  return { ...figures(latencies, seconds), deliveries: latencies.length, expected };
}

async function runQuad(
  content: string,
): Promise<{ figures: Delivery; payloadBytes: number; database: string }> {
  const quad = await startQuad({
    SOCKET_RATE_LIMIT: '1000000',
    ...(process.env.DATABASE_URL && { DATABASE_URL: process.env.DATABASE_URL }),
    ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL }),
  });
  const { base, accessToken, config } = quad;
  const [writer] = await connectMany(`${base}/boards`, 1, { token: accessToken });
  const boards = (await writer!.emitWithAck('boards:list', {})) as { data: Array<{ id: number }> };
  const boardId = boards.data[0]!.id;
  const subscribers = await connectMany(`${base}/boards`, SUBSCRIBERS, { token: accessToken });
  await Promise.all(subscribers.map((s) => s.emitWithAck('board:subscribe', { boardId })));

  let payloadBytes = 0;
  subscribers[0]!.once('post:created', (e: unknown) => (payloadBytes = Buffer.byteLength(JSON.stringify(e))));
  const result = await drive(
    subscribers,
    'post:created',
    (e) => (e as { data: { title: string } }).data.title,
    async (title) => {
      const res = (await writer!.emitWithAck('post:create', {
        boardId,
        title,
        content,
        tags: ['벤치마크'],
      })) as { ok: boolean };
      if (!res.ok) throw new Error(`post:create failed: ${JSON.stringify(res)}`);
    },
  );
  for (const s of [writer!, ...subscribers]) s.disconnect();
  await quad.stop();
  return { figures: result, payloadBytes, database: config.databaseUrl.split(':')[0]! };
}

async function bare(payloadBytes: number): Promise<Delivery> {
  const server = http.createServer();
  const io = new Server(server);
  io.on('connection', (s) => {
    s.on('publish', (payload: { title: string; padding: string }, ack: () => void) => {
      io.emit('message', payload);
      ack();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const [writer] = await connectMany(url, 1, {});
  const subscribers = await connectMany(url, SUBSCRIBERS, {});
  const padding = 'x'.repeat(Math.max(0, payloadBytes - 60));
  const result = await drive(
    subscribers,
    'message',
    (p) => (p as { title: string }).title,
    async (title) => {
      await writer!.emitWithAck('publish', { title, padding });
    },
  );
  for (const s of [writer!, ...subscribers]) s.disconnect();
  io.close();
  return result;
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) console.log('note: DATABASE_URL is not set; using a temporary SQLite file');
  const content = '이번 학기 자료구조 과제 같이 하실 분 구합니다. '.repeat(4);
  const q = await runQuad(content);
  const b = await bare(q.payloadBytes);
  const rows = [
    ['bare Socket.IO broadcast', b],
    [`Quad post:create (${q.database})`, q.figures],
  ] as const;
  console.log(
    `\nfan-out: ${SUBSCRIBERS} subscribers, ${POSTS} posts at ${RATE}/s, ~${q.payloadBytes} B per push (${os.cpus().length} cores)`,
  );
  console.log(
    '                                 delivered     p50 ms   p95 ms   p99 ms   max ms  deliveries/s',
  );
  for (const [name, f] of rows) {
    console.log(
      `${name.padEnd(32)} ${`${f.deliveries}/${f.expected}`.padStart(12)}${[f.p50, f.p95, f.p99, f.max]
        .map((v) => v.toFixed(1).padStart(9))
        .join('')}${f.perSecond.toFixed(0).padStart(14)}`,
    );
  }
  const ratio = {
    p50: q.figures.p50 / b.p50,
    p95: q.figures.p95 / b.p95,
    p99: q.figures.p99 / b.p99,
    throughput: q.figures.perSecond / b.perSecond,
  };
  console.log(
    `ratio Quad / bare: p50 ×${ratio.p50.toFixed(2)}, p95 ×${ratio.p95.toFixed(2)}, p99 ×${ratio.p99.toFixed(2)}, deliveries/s ×${ratio.throughput.toFixed(2)}`,
  );
  writeResult('fanout', {
    subscribers: SUBSCRIBERS,
    posts: POSTS,
    rate: RATE,
    payloadBytes: q.payloadBytes,
    database: q.database,
    bare: b,
    quad: q.figures,
    ratio,
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
