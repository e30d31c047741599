/**
 * The fuzzer behind `npm run fuzz` (and its short run in the test suite). It starts Quad as
 * `npm start` would, on the embedded default (SQLite, no Redis), in a child process of its own
 * with a probe (bench/probe.ts) that counts unhandled rejections and reads the heap after GC. Then:
 *
 * - `frames` Engine.IO/Socket.IO frames (frames.ts) over several raw WebSockets, each
 *   authenticated to every namespace and reopened whenever the server closes it; every
 *   command frame is tracked by its ack id and its ack checked against the shared schema's
 *   verdict on the payload;
 * - `bodies` REST requests (rest.ts), alongside;
 * - all along, a normal socket.io-client asking `posts:list` and `whoami` in turn.
 *
 * The report says what was sent and answered; `failures(report)` is the pass/fail verdict.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as yieldNow, setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { NAMESPACES } from '../../shared/events';
import { freePort } from '../../deploy/cluster/checks';
import { newUser } from '../helpers/clients';
import { QuadNode } from '../../deploy/cluster/node';
import { commandSchemas, type CommandSchemas } from './commands';
import { frames as frameArb, type Frame } from './frames';
import { restRequests, type RestRequest } from './rest';

export interface FuzzOptions {
  frames: number;
  bodies: number;
  seed: number;
  /** Raw WebSockets sending frames side by side. */
  connections: number;
  progress?: (line: string) => void;
}

interface Sample {
  what: string;
  detail: string;
}

export interface FuzzReport {
  seed: number;
  seconds: number;
  framesSent: number;
  byLabel: Record<string, number>;
  commands: {
    sent: number;
    refusedBySchema: number;
    answered: number;
    droppedByClose: number;
    unanswered: number;
  };
  acks: Record<string, number>;
  /** INTERNAL acks, split by what the schema said of the payload. */
  internal: { refused: number; accepted: number };
  /** A payload the schema refuses that was answered with something other than a refusal. */
  refusedButNotRefused: number;
  malformedAcks: number;
  connectionsClosedByServer: number;
  rest: { sent: number; byStatus: Record<string, number>; serverErrors: number; unclear: number };
  normal: { asked: number; ok: number; failed: number; timedOut: number; disconnects: number; maxMs: number };
  exits: number;
  unhandledRejections: number;
  uncaughtExceptions: number;
  errorLogLines: number;
  heap: { before: number; after: number; growth: number; rssBefore: number; rssAfter: number };
  samples: Sample[];
}

/** The pass/fail verdict: what broke, or nothing. */
export function failures(r: FuzzReport): string[] {
  const out: string[] = [];
  if (r.exits) out.push(`the server exited ${r.exits} time(s) during the run`);
  if (r.unhandledRejections) out.push(`${r.unhandledRejections} unhandled rejection(s)`);
  if (r.uncaughtExceptions) out.push(`${r.uncaughtExceptions} uncaught exception(s)`);
  if (r.internal.refused) out.push(`${r.internal.refused} INTERNAL ack(s) for input the schema refuses`);
  if (r.internal.accepted) out.push(`${r.internal.accepted} INTERNAL ack(s) for input the schema accepts`);
  if (r.refusedButNotRefused)
    out.push(`${r.refusedButNotRefused} refused payload(s) answered without a refusal`);
  if (r.malformedAcks) out.push(`${r.malformedAcks} ack(s) not of the form {ok, data} / {ok:false, error}`);
  if (r.commands.unanswered)
    out.push(`${r.commands.unanswered} command(s) never answered on a live connection`);
  if (r.rest.serverErrors) out.push(`${r.rest.serverErrors} REST answer(s) with a 5xx status`);
  if (r.rest.unclear) out.push(`${r.rest.unclear} REST error(s) without {error: {code, message}}`);
  if (r.normal.failed || r.normal.timedOut || r.normal.disconnects)
    out.push(
      `the normal client: ${r.normal.failed} failed, ${r.normal.timedOut} unanswered, ${r.normal.disconnects} disconnect(s)`,
    );
  if (r.normal.asked === 0) out.push('the normal client asked nothing');
  if (r.heap.growth > 0.1) out.push(`heap grew ${(r.heap.growth * 100).toFixed(1)} % (limit 10 %)`);
  return out;
}

/** Quad as `npm start` runs it, plus the probe, on a port and a data directory of its own. */
class Server {
  readonly url: string;
  errorLines = 0;
  readonly errors: string[] = [];
  private readonly node: QuadNode;
  private crashed = false;

  private constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env))
      if (/^(DATABASE_URL|REDIS_|METRICS_|JWT_SECRET|ADMIN_UI)/.test(k)) delete env[k];
    this.node = new QuadNode({
      name: 'quad',
      port,
      probe: true,
      stopTimeoutMs: 20_000,
      log: (line) => this.onLogLine(line),
      env: {
        ...env,
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'error',
        // The fuzzer's sockets would hit the per-socket limit at once; it is tested elsewhere.
        SOCKET_RATE_LIMIT: '1000000',
        ACCESS_TOKEN_TTL: '12h',
      },
    });
  }

  static async start(): Promise<Server> {
    const s = new Server(await freePort(), fs.mkdtempSync(path.join(os.tmpdir(), 'quad-fuzz-')));
    await s.node.start();
    return s;
  }

  /** 1 when the process exited on its own (a crash) before stop(). */
  get exits(): number {
    return this.crashed || !this.node.running ? 1 : 0;
  }

  /** Counts pino lines at error (50) and above; a line that is not JSON was printed by Node itself. */
  private onLogLine(prefixed: string): void {
    if (prefixed.startsWith('[cluster]') && prefixed.includes('exited')) this.crashed = true;
    const line = prefixed.replace(/^\[quad\] /, '');
    if (!line.trim() || line.startsWith('[cluster]')) return;
    let level = 60;
    try {
      level = (JSON.parse(line) as { level?: number }).level ?? 60;
    } catch {
      /* not a log line */
    }
    if (level < 50) return;
    this.errorLines++;
    if (this.errors.length < 20) this.errors.push(line.slice(0, 2000));
  }

  ask<T>(cmd: 'heap' | 'counts', key: string): Promise<T> {
    return this.node.probe<T>(cmd, key);
  }

  async stop(): Promise<void> {
    await this.node.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

interface Pending {
  nsp: string;
  event: string;
  refused: boolean;
  at: number;
  payload: unknown;
}

/** Values in batches, reproducibly from the seed (fc.sample keeps no more than a batch). */
function* stream<T>(arb: fc.Arbitrary<T>, n: number, seed: number): Generator<T> {
  const batch = 500;
  for (let i = 0; i < n; i += batch) {
    yield* fc.sample(arb, { numRuns: Math.min(batch, n - i), seed: seed + i });
  }
}

/** One raw WebSocket, authenticated to every namespace, that reopens after the server closes it. */
class FuzzConnection {
  private ws: WebSocket | undefined;
  private readonly connected = new Set<string>();
  private readonly waiting = new Map<string, (() => void)[]>();
  readonly pending = new Map<number, Pending>();
  private nextId = 1_000_000_000;
  private opened: Promise<void> | undefined;

  constructor(
    private readonly port: number,
    private readonly token: string,
    private readonly report: FuzzReport,
    private readonly schemas: CommandSchemas,
  ) {}

  private open(): Promise<void> {
    this.opened ??= new Promise<void>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${this.port}/socket.io/?EIO=4&transport=websocket`, {
        perMessageDeflate: false,
      });
      this.ws = ws;
      ws.on('error', () => undefined);
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) return;
        this.onMessage(data.toString());
        if (data.toString()[0] === '0') resolve();
      });
      ws.on('close', () => {
        if (this.ws === ws) {
          this.report.connectionsClosedByServer++;
          this.reset();
        }
        resolve();
      });
    });
    return this.opened;
  }

  private reset(): void {
    this.ws = undefined;
    this.opened = undefined;
    this.connected.clear();
    this.report.commands.droppedByClose += this.pending.size;
    this.pending.clear();
    for (const list of this.waiting.values()) list.forEach((f) => f());
    this.waiting.clear();
  }

  private onMessage(m: string): void {
    if (m === '2') return this.ws?.send('3');
    if (m[0] !== '4') return;
    const type = m[1];
    const comma = m.indexOf(',');
    const nsp = m[2] === '/' && comma > 0 ? m.slice(2, comma) : '/';
    const rest = m[2] === '/' && comma > 0 ? m.slice(comma + 1) : m.slice(2);
    if (type === '0') {
      this.connected.add(nsp);
      this.waiting.get(nsp)?.forEach((f) => f());
      this.waiting.delete(nsp);
    } else if (type === '1' || type === '4') {
      this.lose(nsp);
      this.waiting.get(nsp)?.forEach((f) => f());
      this.waiting.delete(nsp);
    } else if (type === '3') {
      const bracket = rest.indexOf('[');
      const id = Number(rest.slice(0, bracket));
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      this.onAck(p, rest.slice(bracket));
    }
  }

  /** A namespace went away: its outstanding commands may go unanswered. */
  private lose(nsp: string): void {
    this.connected.delete(nsp);
    for (const [id, p] of this.pending) {
      if (p.nsp !== nsp) continue;
      this.pending.delete(id);
      this.report.commands.droppedByClose++;
    }
  }

  private onAck(p: Pending, raw: string): void {
    const r = this.report;
    r.commands.answered++;
    let ack: unknown;
    try {
      ack = (JSON.parse(raw) as unknown[])[0];
    } catch {
      ack = undefined;
    }
    const a = ack as
      { ok?: unknown; data?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
    const wellFormed =
      a !== undefined &&
      ((a.ok === true && 'data' in a) ||
        (a.ok === false && typeof a.error?.code === 'string' && typeof a.error.message === 'string'));
    if (!wellFormed) {
      r.malformedAcks++;
      sample(r, 'malformed ack', `${p.nsp} ${p.event}: ${raw.slice(0, 300)}`);
      return;
    }
    const code = a.ok ? 'ok' : String(a.error!.code);
    r.acks[code] = (r.acks[code] ?? 0) + 1;
    if (code === 'INTERNAL') {
      r.internal[p.refused ? 'refused' : 'accepted']++;
      sample(r, 'INTERNAL', `${p.nsp} ${p.event} ${JSON.stringify(p.payload)?.slice(0, 300)}`);
    } else if (p.refused && !['VALIDATION', 'NOT_FOUND', 'RATE_LIMITED'].includes(code)) {
      r.refusedButNotRefused++;
      sample(
        r,
        `refused payload answered ${code}`,
        `${p.nsp} ${p.event} ${JSON.stringify(p.payload)?.slice(0, 300)}`,
      );
    }
  }

  /** The socket, when it is open (not while a reopen is connecting). */
  private live(): WebSocket | undefined {
    return this.ws?.readyState === WebSocket.OPEN ? this.ws : undefined;
  }

  /** Resolves once `nsp` is connected (or the attempt failed; the caller goes on either way). */
  private async join(nsp: string): Promise<boolean> {
    await this.open();
    if (this.connected.has(nsp)) return true;
    if (!this.live()) return false;
    const done = new Promise<void>((r) => this.waiting.set(nsp, [...(this.waiting.get(nsp) ?? []), r]));
    if ((this.waiting.get(nsp)?.length ?? 0) === 1)
      this.live()?.send(`40${nsp},${JSON.stringify({ token: this.token })}`);
    await Promise.race([done, sleep(10_000)]);
    return this.connected.has(nsp);
  }

  /** Sends a frame; false when it could not go out (the connection or namespace was not up). */
  async send(frame: Frame): Promise<boolean> {
    const r = this.report;
    if (frame.kind === 'raw') {
      await this.open();
      const ws = this.live();
      if (!ws) return false;
      for (const part of frame.parts) ws.send(part);
      // A namespace disconnect the fuzzer sent itself: stop counting on that namespace's acks.
      const disconnect = typeof frame.parts[0] === 'string' && /^41(\/[^,]*)?,/.exec(frame.parts[0]);
      if (disconnect) this.lose(disconnect[1] ?? '/');
    } else {
      if (!(await this.join(frame.nsp))) return false;
      // Keep the outstanding commands bounded: the fuzzer measures answers, not a queue.
      while (this.pending.size >= 64 && this.ws) await sleep(1);
      const ws = this.live();
      if (!ws || !this.connected.has(frame.nsp)) return false;
      const id = this.nextId++;
      const placeholder = { _placeholder: true, num: 0 };
      const binary = frame.attachments.length > 0;
      const payload = binary ? withField(frame.payload, placeholder) : frame.payload;
      const args = payload === undefined ? [frame.event] : [frame.event, payload];
      const text = JSON.stringify(args);
      // What the server decodes: JSON's view of the payload, the attachment where the placeholder was.
      const decoded = (JSON.parse(text) as unknown[])[1];
      const seen = binary ? withField(decoded, frame.attachments[0]) : decoded;
      const schema = this.schemas[frame.nsp as (typeof NAMESPACES)[number]].get(frame.event);
      const refused = !schema || !schema.safeParse(seen === null ? undefined : seen).success;
      if (refused) r.commands.refusedBySchema++;
      this.pending.set(id, { nsp: frame.nsp, event: frame.event, refused, at: Date.now(), payload: seen });
      r.commands.sent++;
      if (binary) {
        ws.send(`451-${frame.nsp},${id}${text}`);
        ws.send(frame.attachments[0]!);
      } else ws.send(`42${frame.nsp},${id}${text}`);
    }
    r.framesSent++;
    r.byLabel[frame.label] = (r.byLabel[frame.label] ?? 0) + 1;
    while (this.ws && this.ws.bufferedAmount > 1 << 20) await sleep(2);
    return true;
  }

  /** Commands waiting longer than `ms` on a live connection and namespace: counted as unanswered. */
  sweep(ms: number): void {
    const now = Date.now();
    for (const [id, p] of this.pending) {
      if (now - p.at < ms) continue;
      this.pending.delete(id);
      this.report.commands.unanswered++;
      sample(this.report, 'unanswered', `${p.nsp} ${p.event} ${JSON.stringify(p.payload)?.slice(0, 300)}`);
    }
  }

  close(): void {
    const ws = this.ws;
    this.ws = undefined;
    ws?.terminate();
  }
}

/** The payload with one field (the first, or `content`) replaced; a non-object becomes the value. */
function withField(payload: unknown, value: unknown): unknown {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return value;
  const keys = Object.keys(payload);
  const key = keys.includes('content') ? 'content' : (keys[0] ?? 'content');
  return { ...payload, [key]: value };
}

/** Keeps a few examples of each kind of finding for the report. */
function sample(r: FuzzReport, what: string, detail: string): void {
  if (r.samples.length < 60 && r.samples.filter((s) => s.what === what).length < 5)
    r.samples.push({ what, detail });
}

/** The normal client: one command every 50 ms, each must be answered. */
function normalClient(url: string, token: string, r: FuzzReport) {
  const socket = io(`${url}/boards`, { auth: { token }, transports: ['websocket'] });
  let running = true;
  socket.on('disconnect', (reason) => {
    if (running && reason !== 'io client disconnect') r.normal.disconnects++;
  });
  const loop = (async () => {
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    for (let i = 0; running; i++) {
      const started = performance.now();
      r.normal.asked++;
      try {
        const res = (await (i % 2
          ? socket.timeout(15_000).emitWithAck('whoami', {})
          : socket.timeout(15_000).emitWithAck('posts:list', { boardId: 1, limit: 5 }))) as { ok: boolean };
        if (res.ok) r.normal.ok++;
        else {
          r.normal.failed++;
          sample(r, 'normal client refused', JSON.stringify(res).slice(0, 300));
        }
      } catch {
        r.normal.timedOut++;
      }
      r.normal.maxMs = Math.max(r.normal.maxMs, Math.round(performance.now() - started));
      await sleep(50);
    }
  })();
  return async () => {
    running = false;
    await loop;
    socket.disconnect();
  };
}

async function restWorker(url: string, requests: Iterator<RestRequest>, r: FuzzReport): Promise<void> {
  for (let next = requests.next(); !next.done; next = requests.next()) {
    const q = next.value;
    r.rest.sent++;
    let status: number;
    let text: string;
    try {
      const res = await fetch(`${url}${q.path}`, {
        method: q.method,
        headers: q.headers,
        body: q.body === undefined || typeof q.body === 'string' ? q.body : new Uint8Array(q.body),
        redirect: 'manual',
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      status = -1;
      text = (err as Error).message;
    }
    r.rest.byStatus[status] = (r.rest.byStatus[status] ?? 0) + 1;
    if (status >= 500 || status < 0) {
      r.rest.serverErrors++;
      sample(
        r,
        `REST ${status}`,
        `${q.method} ${q.path} ${String(q.body ?? '').slice(0, 200)} → ${text.slice(0, 200)}`,
      );
    } else if (status >= 400) {
      let clear: boolean;
      try {
        const e = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
        clear = typeof e?.code === 'string' && typeof e.message === 'string';
      } catch {
        clear = false;
      }
      if (!clear) {
        r.rest.unclear++;
        sample(r, `REST ${status} unclear`, `${q.method} ${q.path} → ${text.slice(0, 200)}`);
      }
    }
  }
}

export async function fuzz(o: FuzzOptions): Promise<FuzzReport> {
  const log = o.progress ?? (() => undefined);
  const started = performance.now();
  const r: FuzzReport = {
    seed: o.seed,
    seconds: 0,
    framesSent: 0,
    byLabel: {},
    commands: { sent: 0, refusedBySchema: 0, answered: 0, droppedByClose: 0, unanswered: 0 },
    acks: {},
    internal: { refused: 0, accepted: 0 },
    refusedButNotRefused: 0,
    malformedAcks: 0,
    connectionsClosedByServer: 0,
    rest: { sent: 0, byStatus: {}, serverErrors: 0, unclear: 0 },
    normal: { asked: 0, ok: 0, failed: 0, timedOut: 0, disconnects: 0, maxMs: 0 },
    exits: 0,
    unhandledRejections: 0,
    uncaughtExceptions: 0,
    errorLogLines: 0,
    heap: { before: 0, after: 0, growth: 0, rssBefore: 0, rssAfter: 0 },
    samples: [],
  };
  const server = await Server.start();
  try {
    const [fuzzToken, normalToken, restToken] = (
      await Promise.all(['fuzzer', 'normal', 'rester'].map((name) => newUser(server.url, name)))
    ).map((u) => u.accessToken) as [string, string, string];
    const schemas = commandSchemas();
    const conns = Array.from(
      { length: o.connections },
      () => new FuzzConnection(server.port, fuzzToken, r, schemas),
    );
    const stopNormal = normalClient(server.url, normalToken, r);
    // Endless: a frame the fuzzer could not send (its connection was reopening) is not counted.
    const frames = stream(frameArb(schemas, fuzzToken), Infinity, o.seed);
    const sweeper = setInterval(() => conns.forEach((c) => c.sweep(30_000)), 5_000);

    // Well-formed commands go over connections of their own, so a broken frame that makes the
    // server close its connection does not take the commands in flight with it.
    const half = Math.max(1, Math.floor(conns.length / 2));
    const forCommands = conns.slice(0, half);
    const forRaw = conns.length > 1 ? conns.slice(half) : conns;
    let turn = 0;
    const sendFrames = async (n: number) => {
      let left = n;
      await Promise.all(
        conns.map(async () => {
          for (let i = 0; left > 0; i++) {
            const next = frames.next();
            if (next.done) return;
            const group = next.value.kind === 'command' ? forCommands : forRaw;
            left--; // reserved before the await, so the workers together send exactly n
            if (!(await group[turn++ % group.length]!.send(next.value))) left++;
            if (i % 16 === 0) await yieldNow();
          }
        }),
      );
    };
    // Warm up (every code path loaded, caches filled), then the baseline heap.
    const warm = Math.min(10_000, Math.floor(o.frames / 10));
    await sendFrames(warm);
    const before = await server.ask<{ heapUsed: number; rss: number }>('heap', 'heap');
    log(`warmed up with ${warm} frames; heap ${(before.heapUsed / 2 ** 20).toFixed(1)} MiB after GC`);

    const progress = setInterval(() => {
      const s = ((performance.now() - started) / 1000).toFixed(0);
      log(
        `${s} s: ${r.framesSent}/${o.frames} frames, ${r.rest.sent}/${o.bodies} bodies, acks ${JSON.stringify(r.acks)}`,
      );
    }, 10_000);
    const requests = stream(restRequests(restToken, server.url), o.bodies, o.seed + 7);
    await Promise.all([
      sendFrames(o.frames - warm),
      ...Array.from({ length: 4 }, () => restWorker(server.url, requests, r)),
    ]);
    clearInterval(progress);
    // Let the last answers arrive, then count what is still missing.
    for (let i = 0; i < 100 && conns.some((c) => c.pending.size > 0); i++) await sleep(100);
    clearInterval(sweeper);
    conns.forEach((c) => c.sweep(0));
    await stopNormal();
    conns.forEach((c) => c.close());
    await sleep(2_000);
    const after = await server.ask<{ heapUsed: number; rss: number }>('heap', 'heap');
    const counts = await server.ask<{ unhandled: number; uncaught: number }>('counts', 'counts');
    r.unhandledRejections = counts.unhandled;
    r.uncaughtExceptions = counts.uncaught;
    r.heap = {
      before: before.heapUsed,
      after: after.heapUsed,
      growth: (after.heapUsed - before.heapUsed) / before.heapUsed,
      rssBefore: before.rss,
      rssAfter: after.rss,
    };
  } finally {
    r.exits = server.exits;
    r.errorLogLines = server.errorLines;
    for (const line of server.errors.slice(0, 5)) sample(r, 'server error log', line);
    await server.stop();
    r.seconds = Math.round((performance.now() - started) / 100) / 10;
  }
  return r;
}
