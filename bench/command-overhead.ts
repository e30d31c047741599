/**
 * What Quad adds to one socket command: `board:unsubscribe` (no database work) through Quad —
 * authenticated namespace, per-socket rate limit, zod parse, command wrapper, structured log
 * line — against a bare Socket.IO server acking the same data, in the same run. Prints a table
 * and writes bench/results/command-overhead.json.
 *
 *   npm run bench -- command-overhead [--requests 5000] [--concurrency 50]
 */
import 'reflect-metadata';
import http from 'node:http';
import os from 'node:os';
import { Server } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { arg, figures, startQuad, writeResult, type Figures } from './lib';

const REQUESTS = arg('requests', 5000);
const CONCURRENCY = arg('concurrency', 50);

async function measure(socket: Socket, event: string): Promise<Figures> {
  for (let i = 0; i < 200; i++) await socket.emitWithAck(event, { boardId: 1 }); // warm-up
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        const t0 = performance.now();
        const res = await socket.emitWithAck(event, { boardId: 1 });
        if (!res.ok) throw new Error(JSON.stringify(res));
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return figures(latencies, seconds);
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
  // The socket limiter still runs (its cost is measured) but never refuses.
  const quad = await startQuad({ SOCKET_RATE_LIMIT: '1000000' });
  const { base, accessToken } = quad;

  const bareServer = http.createServer();
  const bare = new Server(bareServer);
  bare.on('connection', (s) =>
    s.on('board:unsubscribe', (p: { boardId: number }, ack: (r: unknown) => void) =>
      ack({ ok: true, data: { boardId: p.boardId } }),
    ),
  );
  await new Promise<void>((r) => bareServer.listen(0, '127.0.0.1', r));
  const barePort = (bareServer.address() as { port: number }).port;

  const baseline = await measure(await connect(`http://127.0.0.1:${barePort}`), 'board:unsubscribe');
  const quadFigures = await measure(await connect(`${base}/boards`, accessToken), 'board:unsubscribe');

  const rows = [
    ['bare Socket.IO ack', baseline],
    ['Quad board:unsubscribe', quadFigures],
  ] as const;
  console.log(
    `\ncommand overhead: ${REQUESTS} acks, ${CONCURRENCY} in flight, one client (${os.cpus().length} cores)`,
  );
  console.log('                           p50 ms   p95 ms   p99 ms   max ms    acks/s');
  for (const [name, f] of rows) {
    console.log(
      `${name.padEnd(26)}${[f.p50, f.p95, f.p99, f.max].map((v) => v.toFixed(2).padStart(9)).join('')}${f.perSecond.toFixed(0).padStart(10)}`,
    );
  }
  const ratio = {
    p50: quadFigures.p50 / baseline.p50,
    p99: quadFigures.p99 / baseline.p99,
    throughput: quadFigures.perSecond / baseline.perSecond,
  };
  console.log(
    `ratio Quad / bare:     p50 ×${ratio.p50.toFixed(2)}, p99 ×${ratio.p99.toFixed(2)}, throughput ×${ratio.throughput.toFixed(2)}`,
  );
  writeResult('command-overhead', {
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    baseline,
    quad: quadFigures,
    ratio,
  });
  bare.close();
  await quad.stop();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
