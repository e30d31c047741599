import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { BACKEND } from './backend';

export interface ScratchDb {
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database of the current backend, for tests that must see a schema created from
 * nothing: a new SQLite file, or a new MariaDB database next to TEST_MYSQL_URL's.
 */
export async function scratchDatabase(): Promise<ScratchDb> {
  if (BACKEND === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quad-scratch-'));
    return {
      url: `sqlite:${path.join(dir, 'scratch.sqlite')}`,
      drop: async () => fs.rmSync(dir, { recursive: true }),
    };
  }
  const base = new URL(process.env.TEST_MYSQL_URL!);
  const name = `${base.pathname.slice(1)}_s${crypto.randomBytes(3).toString('hex')}`;
  const admin = () =>
    mysql.createConnection({
      host: base.hostname,
      port: Number(base.port || 3306),
      user: decodeURIComponent(base.username),
      password: decodeURIComponent(base.password),
    });
  const conn = await admin();
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = await admin();
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}
