import net from 'node:net';
import mysql from 'mysql2/promise';
import { createClient } from 'redis';

/** A failed prerequisite: the CLI prints its message alone, without a stack. */
export class ClusterError extends Error {}

const HOW_TO_SET = `For example, with MariaDB and Redis on this machine:
  mariadb -uroot -e 'CREATE DATABASE quad CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
  DATABASE_URL=mysql://root@127.0.0.1:3306/quad REDIS_URL=redis://127.0.0.1:6379 npm run cluster
(Debian/Ubuntu: apt-get install mariadb-server redis-server). See docs/deploy.md.`;

/** DATABASE_URL (MySQL/MariaDB) and REDIS_URL, or a ClusterError that says how to set them. */
export function requiredUrls(env: NodeJS.ProcessEnv): { databaseUrl: string; redisUrl: string } {
  const databaseUrl = env.DATABASE_URL ?? '';
  const redisUrl = env.REDIS_URL ?? '';
  const missing = [!databaseUrl && 'DATABASE_URL', !redisUrl && 'REDIS_URL'].filter(Boolean);
  if (missing.length) {
    throw new ClusterError(
      `npm run cluster needs MySQL/MariaDB and Redis shared by every node: set ${missing.join(' and ')}.\n${HOW_TO_SET}`,
    );
  }
  if (!/^(mysql|mariadb):\/\//.test(databaseUrl)) {
    throw new ClusterError(
      `DATABASE_URL must be a mysql:// or mariadb:// URL: several nodes cannot share SQLite.\n${HOW_TO_SET}`,
    );
  }
  if (!/^rediss?:\/\//.test(redisUrl))
    throw new ClusterError('REDIS_URL must start with redis:// or rediss://');
  return { databaseUrl, redisUrl };
}

/** Host and port of a URL, without its credentials (for messages). */
const where = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 3306)}${u.pathname}`;
};

/** Connects to the database once; throws a ClusterError naming it when it does not answer. */
export async function checkDatabase(url: string): Promise<void> {
  let conn: mysql.Connection | undefined;
  try {
    conn = await mysql.createConnection({ uri: url.replace(/^mariadb:/, 'mysql:'), connectTimeout: 5_000 });
    await conn.query('SELECT 1');
  } catch (err) {
    throw new ClusterError(
      `The database at ${where(url)} (DATABASE_URL) does not answer: ${(err as Error).message}`,
    );
  } finally {
    await conn?.end().catch(() => undefined);
  }
}

/** PINGs Redis once; throws a ClusterError naming it when it does not answer. */
export async function checkRedis(url: string): Promise<void> {
  const client = createClient({ url, socket: { connectTimeout: 5_000, reconnectStrategy: false } });
  client.on('error', () => undefined); // the rejected connect() below reports it
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new ClusterError(`Redis at ${where(url)} (REDIS_URL) does not answer: ${(err as Error).message}`);
  } finally {
    if (client.isOpen) await client.quit().catch(() => undefined);
  }
}

/** Whether this machine can use `address` as a source address (any 127.x on Linux; macOS has only 127.0.0.1). */
export function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(0, address, () => server.close(() => resolve(true)));
  });
}

/** A port that was free a moment ago, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Throws a ClusterError when something already listens on `port` (another cluster, say). */
export async function ensureFree(port: number, what: string): Promise<void> {
  const inUse = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (inUse)
    throw new ClusterError(
      `Port ${port} (${what}) is in use: is a cluster already running? Choose another with --${what}.`,
    );
}
