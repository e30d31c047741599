/**
 * The server side of `npm run bench`, one variant per child process (the orchestrator pins it
 * to a core of its own with taskset). `node --import tsx bench/servers.ts <variant> <json options>`:
 *
 * - `bare`:   Socket.IO alone. `board:subscribe` joins `board:<id>`; `post:create` emits a
 *             PushEvent of Quad's shape to the room, then acks.
 * - `sio-db`: the same plus one mysql2 INSERT of the post before the emit ("the INSERT baseline").
 * - `quad`:   the real app (createApp, as `npm start`), logging at info to /dev/null.
 * - `raw-tx`: no server; a mysql2 loop running Quad's transaction shape (BEGIN, INSERT post,
 *             INSERT event, COMMIT) with N in flight, for the ingest baseline.
 * - `argon2`: no server; argon2id verifies with Quad's parameters, N in flight.
 *
 * Talks to the orchestrator over IPC: it sends `{ ready, port }`, then answers `{ cmd }` messages
 * (`cpu` → CPU µs since the last `cpu`, `heap` → heap after a full GC, `run` for the loops).
 */
import 'reflect-metadata';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAdapter } from '@socket.io/redis-adapter';
import argon2 from 'argon2';
import mysql from 'mysql2/promise';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { createApp } from '../server/app';
import { loadConfig } from '../server/core/config';
import { createLogger, logDestination } from '../server/core/logger';
import { hashPassword } from '../server/features/accounts/passwords';

interface Options {
  databaseUrl: string;
  redisUrl?: string;
  redisPrefix?: string;
  concurrency?: number;
  seconds?: number;
  /** PRESENCE_INTERVAL of the `quad` variant (`off` for the fan-out without presence). */
  presenceInterval?: string;
}

const [variant = '', raw = '{}'] = process.argv.slice(2);
const options = JSON.parse(raw) as Options;
const send = (m: object) => process.send?.(m);

let lastCpu = process.cpuUsage();
function cpuSince(): number {
  const d = process.cpuUsage(lastCpu);
  lastCpu = process.cpuUsage();
  return d.user + d.system;
}
function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  return process.memoryUsage().heapUsed;
}

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'cpu') send({ cpu: cpuSince() });
  else if (m.cmd === 'heap') send({ heap: heapAfterGc() });
  else if (m.cmd === 'exit') process.exit(0);
});

/** A PushEvent as Quad sends it for a post, so both sides encode the same bytes. */
function pushEvent(id: number, input: { boardId: number; title: string; content: string }): object {
  const at = new Date().toISOString();
  return {
    id,
    epoch: '0123456789abcdef',
    room: `board:${input.boardId}`,
    type: 'post:created',
    at,
    data: {
      id,
      boardId: input.boardId,
      title: input.title,
      content: input.content,
      tags: [],
      anonymous: false,
      authorName: '벤치',
      authorId: 1,
      isMine: false,
      likeCount: 0,
      commentCount: 0,
      scrapCount: 0,
      hot: false,
      best: false,
      createdAt: at,
      updatedAt: at,
    },
  };
}

async function socketIoBaseline(withInsert: boolean): Promise<void> {
  const server = http.createServer();
  const io = new Server(server, { maxHttpBufferSize: 64 * 1024 });
  if (options.redisUrl) {
    const pub = createClient({ url: options.redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub, { key: options.redisPrefix ?? 'bench' }));
  }
  const pool = withInsert ? mysql.createPool({ uri: options.databaseUrl, connectionLimit: 10 }) : undefined;
  let ids = 0;
  io.of('/boards').on('connection', (socket) => {
    socket.on('board:subscribe', (input: { boardId: number }, ack: (r: unknown) => void) => {
      void socket.join(`board:${input.boardId}`);
      ack({ ok: true, data: { events: [], epoch: '0123456789abcdef' } });
    });
    socket.on(
      'post:create',
      async (input: { boardId: number; title: string; content: string }, ack: (r: unknown) => void) => {
        let id = ++ids;
        if (pool) {
          const [res] = await pool.execute(
            'INSERT INTO bench_posts (boardId, authorId, title, content, createdAt) VALUES (?, 1, ?, ?, NOW(3))',
            [input.boardId, input.title, input.content],
          );
          id = (res as { insertId: number }).insertId;
        }
        const e = pushEvent(id, input);
        io.of('/boards').to(`board:${input.boardId}`).emit('post:created', e);
        ack({ ok: true, data: (e as { data: object }).data });
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  send({ ready: true, port: (server.address() as { port: number }).port });
}

async function quad(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quad-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl,
    ...(options.redisUrl && { REDIS_URL: options.redisUrl, REDIS_PREFIX: options.redisPrefix ?? 'bench' }),
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-42',
    SOCKET_RATE_LIMIT: '1000000',
    LOGIN_MAX_FAILURES: '10000',
    LOGIN_MAX_FAILURES_PER_IP: '100000',
    DB_POOL_MAX: '20',
    // 5,000 sockets of 20 users from one address: the connection limits still count every
    // connection, but stay out of reach (a real campus spreads them over many users and addresses).
    MAX_CONNECTIONS_PER_USER: '100000',
    MAX_CONNECTIONS_PER_IP: '100000',
    ...(options.presenceInterval && { PRESENCE_INTERVAL: options.presenceInterval }),
  });
  // BENCH_LOG=<file> keeps the server's log (errors included) for a run that failed.
  const app = createApp(config, createLogger('info', logDestination(process.env.BENCH_LOG ?? '/dev/null')));
  const { port } = await app.start();
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'stop') void app.stop().then(() => send({ stopped: true }));
  });
  send({ ready: true, port });
}

async function rawTransactions(): Promise<void> {
  const n = options.concurrency ?? 10;
  const pool = mysql.createPool({ uri: options.databaseUrl, connectionLimit: n });
  send({ ready: true, port: 0 });
  await new Promise<void>((r) => process.once('message', () => r()));
  cpuSince();
  const until = performance.now() + (options.seconds ?? 8) * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      const c = await pool.getConnection();
      while (performance.now() < until) {
        await c.query('BEGIN');
        const [res] = await c.execute(
          'INSERT INTO bench_posts (boardId, authorId, title, content, createdAt) VALUES (1, 1, ?, ?, NOW(3))',
          ['ingest', '내용'],
        );
        await c.execute('INSERT INTO bench_events (room, type, data, createdAt) VALUES (?, ?, ?, NOW(3))', [
          'board:1',
          'post:created',
          JSON.stringify({ id: (res as { insertId: number }).insertId }),
        ]);
        await c.query('COMMIT');
        done++;
      }
      c.release();
    }),
  );
  send({ result: { perSecond: done / (options.seconds ?? 8), cpu: cpuSince(), done } });
  await pool.end();
}

async function argon2Verify(): Promise<void> {
  const hash = await hashPassword('bench-passphrase-1');
  send({ ready: true, port: 0 });
  await new Promise<void>((r) => process.once('message', () => r()));
  const until = performance.now() + (options.seconds ?? 5) * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: options.concurrency ?? 4 }, async () => {
      while (performance.now() < until) {
        if (!(await argon2.verify(hash, 'bench-passphrase-1'))) throw new Error('verify failed');
        done++;
      }
    }),
  );
  send({ result: { perSecond: done / (options.seconds ?? 5) } });
}

const variants: Record<string, () => Promise<void>> = {
  bare: () => socketIoBaseline(false),
  'sio-db': () => socketIoBaseline(true),
  quad,
  'raw-tx': rawTransactions,
  argon2: argon2Verify,
};
const run = variants[variant];
if (!run) {
  console.error(`unknown variant ${variant}`);
  process.exit(2);
}
run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
