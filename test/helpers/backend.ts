import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';

/**
 * Which backend this mocha process tests, chosen by test/run.ts:
 * `sqlite` (embedded default, in-process adapter) or `mysql` (TEST_MYSQL_URL + TEST_REDIS_URL).
 */
export const BACKEND = process.env.QUAD_TEST_BACKEND === 'mysql' ? 'mysql' : 'sqlite';

/** One scratch directory per mocha process (SQLite file, development secret). */
export const DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'quad-test-'));

/** A Redis key prefix of this run's own, so runs never see each other's counters. */
export const REDIS_PREFIX = `quadtest-${crypto.randomBytes(4).toString('hex')}`;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set for the MariaDB + Redis test pass`);
  return value;
}

/** Environment for an app under test on this backend. */
export function backendEnv(): Record<string, string> {
  if (BACKEND === 'sqlite') return { DATA_DIR, DATABASE_URL: `sqlite:${path.join(DATA_DIR, 'quad.sqlite')}` };
  return {
    DATA_DIR,
    DATABASE_URL: required('TEST_MYSQL_URL'),
    REDIS_URL: required('TEST_REDIS_URL'),
    REDIS_PREFIX,
  };
}
