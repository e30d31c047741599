import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import ms, { type StringValue } from 'ms';
import {
  canBind,
  checkDatabase,
  checkRedis,
  ClusterError,
  ensureFree,
  freePort,
  requiredUrls,
} from './checks';
import { prefixLines, type LogSink } from './logs';
import { findNginx, startNginx, testConfig, writeLocalConfig } from './nginx';
import { QuadNode, runTs } from './node';
import { localCertificate } from './tls';

export interface ClusterOptions {
  /** Quad nodes (default 2). */
  nodes?: number;
  /** Public ports on localhost (defaults 8443 and 8080; 0 = any free port). */
  httpsPort?: number;
  httpPort?: number;
  /** First internal node port on 127.0.0.1; node i gets basePort + i (default 3101; 0 = free ports). */
  basePort?: number;
  /** Parent of the cluster's files, which go in `<dataDir>/cluster` (default DATA_DIR or ./data). */
  dataDir?: string;
  /** Environment of the nodes: DATABASE_URL and REDIS_URL, and any other Quad setting (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where output lines go, each prefixed with its process (default: stdout). */
  log?: LogSink;
  /** How long a rolling restart waits after a node is ready again before draining the next (default 1 s). */
  settleMs?: number;
  /** Load bench/probe.ts into each node (QuadNode.probe: heap after GC), for `npm run soak`. */
  probe?: boolean;
}

export interface Cluster {
  httpsUrl: string;
  httpUrl: string;
  /** `<dataDir>/cluster`: nginx config and logs, certificate, JWT secret, pid file. */
  dir: string;
  /** The self-signed certificate (PEM), for clients that verify it. */
  ca: string;
  nodes: QuadNode[];
  /** Drains and restarts the nodes one at a time (see docs/deploy.md); one roll at a time. */
  roll(progress?: LogSink): Promise<void>;
  /** Stops every node (they drain) and then nginx. */
  stop(): Promise<void>;
}

/** A pause between two nodes of a rolling restart: the clients that moved settle on the restarted node. */
const SETTLE_MS = 1_000;

/** The source address nginx connects from, which is the only one the nodes trust (see docs/deploy.md). */
const PROXY_ADDRESS = '127.0.0.2';

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const count = options.nodes ?? 2;
  if (!Number.isInteger(count) || count < 1 || count > 16) throw new ClusterError('--nodes must be 1 to 16');

  const { databaseUrl, redisUrl } = requiredUrls(env);
  const nginxBin = findNginx();
  if (!nginxBin) {
    throw new ClusterError(
      'nginx is not installed. On Debian/Ubuntu: sudo apt-get install nginx\n' +
        "(the cluster runs its own nginx from DATA_DIR/cluster; the system's nginx service may stay stopped)",
    );
  }
  await Promise.all([checkDatabase(databaseUrl), checkRedis(redisUrl)]);

  const dataDir = path.resolve(options.dataDir ?? env.DATA_DIR ?? 'data');
  const dir = path.join(dataDir, 'cluster');
  fs.mkdirSync(dir, { recursive: true });
  const httpsPort = await port(options.httpsPort ?? 8443, 'https-port');
  const httpPort = await port(options.httpPort ?? 8080, 'http-port');
  const basePort = options.basePort ?? 3101;
  const nodePorts: number[] = [];
  for (let i = 0; i < count; i++) nodePorts.push(await port(basePort && basePort + i, 'base-port'));

  const { cert, key, created } = localCertificate(path.join(dir, 'tls'));
  if (created) log(`[cluster] created a self-signed certificate for localhost: ${cert}`);

  let proxyBind = PROXY_ADDRESS;
  if (!(await canBind(PROXY_ADDRESS))) {
    proxyBind = '127.0.0.1';
    log(
      `[cluster] warning: cannot use ${PROXY_ADDRESS} here, so nginx connects from 127.0.0.1 and the nodes ` +
        'trust X-Forwarded-* from any local process (on macOS: sudo ifconfig lo0 alias 127.0.0.2)',
    );
  }
  const conf = writeLocalConfig({ dir, httpsPort, httpPort, nodePorts, cert, key, proxyBind });
  testConfig(nginxBin, conf, dir);

  const nodeEnv: NodeJS.ProcessEnv = {
    ...env,
    NODE_ENV: env.NODE_ENV ?? 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    JWT_SECRET: env.JWT_SECRET || clusterSecret(path.join(dir, 'jwt-secret')),
    TRUST_PROXY: proxyBind,
    CORS_ORIGINS: env.CORS_ORIGINS || `https://localhost:${httpsPort}`,
    DATA_DIR: dataDir,
  };
  await migrateOnce(nodeEnv, log);

  const stopTimeoutMs = (Number(ms((env.SHUTDOWN_TIMEOUT || '10s') as StringValue)) || 10_000) + 5_000;
  const nodes = nodePorts.map(
    (p, i) =>
      new QuadNode({ name: `node${i + 1}`, port: p, env: nodeEnv, log, stopTimeoutMs, probe: options.probe }),
  );
  let nginx: ChildProcess | undefined;
  try {
    await Promise.all(nodes.map((n) => n.start()));
    nginx = startNginx(nginxBin, conf, dir, log);
    await listening(httpsPort, nginx, path.join(dir, 'nginx-error.log'));
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    nginx?.kill('SIGQUIT');
    throw err;
  }
  const nginxProcess = nginx;
  const nginxExit = new Promise<void>((resolve) => nginxProcess.once('exit', () => resolve()));

  let rolling: Promise<void> | undefined;
  const settleMs = options.settleMs ?? SETTLE_MS;
  async function roll(progress: LogSink = () => undefined): Promise<void> {
    const say = (line: string) => {
      log(`[cluster] ${line}`);
      progress(line);
    };
    for (const [i, node] of nodes.entries()) {
      const started = Date.now();
      say(`${node.name}: draining (SIGTERM)`);
      await node.stop();
      say(`${node.name}: exited after ${Date.now() - started} ms; starting`);
      await node.start();
      say(`${node.name}: ready again after ${Date.now() - started} ms`);
      // Let the clients that just moved finish reconnecting before the next node drains.
      if (i < nodes.length - 1) await new Promise((r) => setTimeout(r, settleMs));
    }
    say(`rolling restart of ${nodes.length} nodes done`);
  }

  let stopping: Promise<void> | undefined;
  return {
    httpsUrl: `https://localhost:${httpsPort}`,
    httpUrl: `http://localhost:${httpPort}`,
    dir,
    ca: fs.readFileSync(cert, 'utf8'),
    nodes,
    roll(progress) {
      rolling ??= roll(progress).finally(() => (rolling = undefined));
      return rolling;
    },
    stop() {
      stopping ??= (async () => {
        await rolling?.catch(() => undefined);
        await Promise.all(nodes.map((n) => n.stop()));
        // SIGQUIT: nginx finishes what it is sending, then exits.
        nginxProcess.kill('SIGQUIT');
        const force = setTimeout(() => nginxProcess.kill('SIGKILL'), 5_000);
        await nginxExit;
        clearTimeout(force);
      })();
      return stopping;
    },
  };
}

/** A requested port, or a free one for 0; a taken one is a ClusterError. */
async function port(requested: number, flag: string): Promise<number> {
  if (requested === 0) return freePort();
  if (!Number.isInteger(requested) || requested < 1 || requested > 65535)
    throw new ClusterError(`--${flag} must be a port number (got ${requested})`);
  await ensureFree(requested, flag);
  return requested;
}

/** The cluster's JWT secret: generated once (mode 600) and kept, so restarts keep sessions. */
function clusterSecret(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = crypto.randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** `npm run migrate` once before the nodes start, so they do not race to create the schema. */
async function migrateOnce(env: NodeJS.ProcessEnv, log: LogSink): Promise<void> {
  const child = runTs('server/scripts/migrate.ts', env);
  prefixLines(child.stdout!, 'migrate', log);
  prefixLines(child.stderr!, 'migrate', log);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0)
    throw new ClusterError(`Migrations failed (exit code ${code}); see the [migrate] lines above`);
}

/** Resolves once nginx accepts connections on `port`; rejects (quoting its error log) if it exits. */
async function listening(port: number, nginx: ChildProcess, errorLog: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (nginx.exitCode !== null || nginx.signalCode !== null) break;
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = fs.existsSync(errorLog)
    ? fs.readFileSync(errorLog, 'utf8').split('\n').slice(-10).join('\n')
    : '';
  throw new ClusterError(`nginx did not start on port ${port}:\n${tail}`);
}
