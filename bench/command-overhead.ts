/**
 * What Quad adds to one socket command: `whoami` through Quad (auth'd namespace, zod parse,
 * command wrapper, structured log) against a bare Socket.IO server acking the same data, in
 * the same run. Prints a table and writes bench/results/command-overhead.json.
 *
 *   npm run bench -- command-overhead [--requests 5000] [--concurrency 50]
 */
import 'reflect-metadata';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Server } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { createApp } from '../server/app';
import { loadConfig } from '../server/core/config';
import { createLogger } from '../server/core/logger';
import pino from 'pino';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const REQUESTS = arg('requests', 5000);
const CONCURRENCY = arg('concurrency', 50);

interface Figures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
}

async function measure(socket: Socket, event: string): Promise<Figures> {
  for (let i = 0; i < 200; i++) await socket.emitWithAck(event, {}); // warm-up
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        const t0 = performance.now();
        const res = await socket.emitWithAck(event, {});
        if (!res.ok) throw new Error(JSON.stringify(res));
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), perSecond: latencies.length / seconds };
}

function connect(url: string, token?: string): Promise<Socket> {
  const socket = ioClient(url, {
    auth: token ? { token } : {},
    transports: ['websocket'],
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quad-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  });
  // Log at info level to /dev/null: the cost of logging is measured, the output is not kept.
  const app = createApp(config, createLogger('info', pino.destination('/dev/null')));
  const { port } = await app.start();
  const base = `http://127.0.0.1:${port}`;
  const post = (p: string, body: unknown) =>
    fetch(base + p, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const credentials = { username: 'bench_user', password: 'bench-passphrase-1' };
  await post('/api/auth/signup', { ...credentials, nickname: '벤치' });
  const { accessToken } = (await (await post('/api/auth/login', credentials)).json()) as {
    accessToken: string;
  };

  const bareServer = http.createServer();
  const bare = new Server(bareServer);
  bare.on('connection', (s) =>
    s.on('whoami', (_p: unknown, ack: (r: unknown) => void) =>
      ack({ ok: true, data: { id: 1, username: 'bench_user', nickname: '벤치' } }),
    ),
  );
  await new Promise<void>((r) => bareServer.listen(0, '127.0.0.1', r));
  const barePort = (bareServer.address() as { port: number }).port;

  const baseline = await measure(await connect(`http://127.0.0.1:${barePort}`), 'whoami');
  const quad = await measure(await connect(`${base}/boards`, accessToken), 'whoami');

  const rows = [
    ['bare Socket.IO ack', baseline],
    ['Quad whoami', quad],
  ] as const;
  console.log(
    `\ncommand overhead: ${REQUESTS} acks, ${CONCURRENCY} in flight, one client (${os.cpus().length} cores)`,
  );
  console.log('                       p50 ms   p95 ms   p99 ms   max ms    acks/s');
  for (const [name, f] of rows) {
    console.log(
      `${name.padEnd(22)}${[f.p50, f.p95, f.p99, f.max].map((v) => v.toFixed(2).padStart(9)).join('')}${f.perSecond.toFixed(0).padStart(10)}`,
    );
  }
  const ratio = {
    p50: quad.p50 / baseline.p50,
    p99: quad.p99 / baseline.p99,
    throughput: quad.perSecond / baseline.perSecond,
  };
  console.log(
    `ratio Quad / bare:     p50 ×${ratio.p50.toFixed(2)}, p99 ×${ratio.p99.toFixed(2)}, throughput ×${ratio.throughput.toFixed(2)}`,
  );
  const out = path.join(__dirname, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, 'command-overhead.json'),
    JSON.stringify(
      { at: new Date().toISOString(), requests: REQUESTS, concurrency: CONCURRENCY, baseline, quad, ratio },
      null,
      2,
    ),
  );
  bare.close();
  await app.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
