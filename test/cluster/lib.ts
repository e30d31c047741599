import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
// socket.io-client re-exports this class, but its CommonJS build drops the re-export; engine.io-client is
// the package it comes from (a dependency of socket.io-client, pinned by it).
import { NodeWebSocket } from 'engine.io-client';
import { startCluster, type Cluster } from '../../deploy/cluster';
import { connect, type ClientOptions, type NamespaceClient } from '../../shared/client';
import type { LoginDto } from '../../shared/dto';
import type { NamespaceName } from '../../shared/events';
import { scratchDatabase, type ScratchDb } from '../helpers/scratch-db';
import { PASSWORD, uniqueName, uniqueNick } from '../helpers/clients';

/**
 * A cluster of `npm run cluster` (real nginx, real node processes) on an empty database of its
 * own, on free ports (so a developer's running cluster on 8443/8080 never collides).
 */
export interface TestCluster {
  cluster: Cluster;
  db: ScratchDb;
  /** Every output line of nginx and the nodes, for failure messages. */
  output: string[];
  stop(): Promise<void>;
}

export async function startTestCluster(env: Record<string, string> = {}): Promise<TestCluster> {
  const db = await scratchDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quad-cluster-'));
  const output: string[] = [];
  const verbose = Boolean(process.env.QUAD_TEST_LOG_LEVEL);
  let cluster: Cluster;
  try {
    cluster = await startCluster({
      nodes: 2,
      httpsPort: 0,
      httpPort: 0,
      basePort: 0,
      dataDir,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        REDIS_URL: process.env.TEST_REDIS_URL,
        REDIS_PREFIX: `quadcluster-${crypto.randomBytes(4).toString('hex')}`,
        NODE_ENV: 'production',
        LOG_LEVEL: process.env.QUAD_TEST_LOG_LEVEL ?? 'warn',
        ...env,
      },
      log: (line) => {
        output.push(line);
        if (verbose) console.log(line);
      },
    });
  } catch (err) {
    await db.drop();
    throw err;
  }
  return {
    cluster,
    db,
    output,
    async stop() {
      await cluster.stop();
      await db.drop();
      // QUAD_TEST_KEEP_CLUSTER=1 keeps nginx's logs and config for a look after a failure.
      if (process.env.QUAD_TEST_KEEP_CLUSTER) console.log(`      cluster files kept in ${cluster.dir}`);
      else fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface HttpsResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A JSON body as an object; anything else as `{ text }`. */
function json(text: string): Record<string, unknown> {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return { text };
  }
}

/** One request with node:https (fetch cannot be told about a private CA), JSON in and out. */
export function request(
  url: string,
  method: string,
  options: { json?: unknown; headers?: Record<string, string>; ca?: string } = {},
): Promise<HttpsResult> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = { ...options.headers };
  if (body) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const done = (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: json(text) }));
    };
    const req = url.startsWith('https:')
      ? https.request(url, { method, headers, ca: options.ca }, done)
      : http.request(url, { method, headers }, done);
    req.on('error', reject);
    req.end(body);
  });
}

/** Signs up and logs in a fresh user through nginx. */
export async function login(cluster: Cluster, base = 'cl'): Promise<LoginDto> {
  const username = uniqueName(base);
  const signup = await request(`${cluster.httpsUrl}/api/auth/signup`, 'POST', {
    json: { username, password: PASSWORD, nickname: uniqueNick(base) },
    ca: cluster.ca,
  });
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${JSON.stringify(signup.body)}`);
  const res = await request(`${cluster.httpsUrl}/api/auth/login`, 'POST', {
    json: { username, password: PASSWORD },
    ca: cluster.ca,
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as unknown as LoginDto;
}

/** A typed client through nginx that knows which node answered its latest WebSocket handshake. */
export interface TracedClient<N extends NamespaceName> {
  client: NamespaceClient<N>;
  /** `127.0.0.1:<port>` of the node behind the current connection (nginx's X-Quad-Upstream). */
  upstream(): string | undefined;
}

/**
 * The WebSocket transport, reading nginx's X-Quad-Upstream header from the 101 response of
 * each handshake: a client's own view of which node it landed on, with nothing added to Quad.
 */
function tracedTransport(seen: (upstream: string | undefined) => void) {
  return class TracedWebSocket extends NodeWebSocket {
    override createSocket(
      uri: string,
      protocols: string | string[] | undefined,
      opts: Record<string, unknown>,
    ) {
      // `ws`'s WebSocket (untyped in engine.io-client): 'upgrade' carries the 101 response.
      const ws = super.createSocket(uri, protocols, opts) as {
        once(event: 'upgrade', cb: (res: IncomingMessage) => void): void;
      };
      ws.once('upgrade', (res) => seen(res.headers['x-quad-upstream'] as string | undefined));
      return ws;
    }
  };
}

export function tracedClient<N extends NamespaceName>(
  cluster: Cluster,
  namespace: N,
  token: string,
  options: Omit<ClientOptions, 'url' | 'token'> = {},
): TracedClient<N> {
  let upstream: string | undefined;
  const client = connect(namespace, {
    url: cluster.httpsUrl,
    token,
    timeoutMs: 15_000,
    ...options,
    socket: {
      transports: [tracedTransport((u) => (upstream = u))],
      ca: cluster.ca,
      forceNew: true,
      ...options.socket,
    },
  });
  return { client, upstream: () => upstream };
}

/** The cluster node whose internal port is in an upstream address. */
export function nodeOf(cluster: Cluster, upstream: string | undefined) {
  return cluster.nodes.find((n) => upstream?.endsWith(`:${n.port}`));
}

/** The p-th percentile (0–100) of some numbers, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
