import crypto from 'node:crypto';
import mysql from 'mysql2/promise';
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug, type MigrationFn } from 'umzug';
import type { Logger } from '../core/logger';
import * as initial from './0001-initial';
import * as seedBoards from './0002-seed-boards';
import * as seedCatalog from './0003-seed-catalog';
import * as eventSequence from './0004-event-sequence';
import * as eventStreams from './0005-event-streams';
import * as requestKeys from './0006-request-keys';
import * as moderation from './0007-moderation';
import * as restrictedBoards from './0008-restricted-boards';
import * as nicknames from './0009-nicknames';
import * as notificationSettings from './0010-notification-settings';
import * as emailVerification from './0011-email-verification';
import * as accountDeletion from './0012-account-deletion';
import * as messages from './0013-messages';

export type Migration = MigrationFn<QueryInterface>;

/**
 * Every migration, in order. Listed statically (not globbed) so the same list works from
 * source under tsx and from the compiled dist/ build.
 */
const MIGRATIONS: Array<{ name: string; up: Migration; down: Migration }> = [
  { name: '0001-initial', ...initial },
  { name: '0002-seed-boards', ...seedBoards },
  { name: '0003-seed-catalog', ...seedCatalog },
  { name: '0004-event-sequence', ...eventSequence },
  { name: '0005-event-streams', ...eventStreams },
  { name: '0006-request-keys', ...requestKeys },
  { name: '0007-moderation', ...moderation },
  { name: '0008-restricted-boards', ...restrictedBoards },
  { name: '0009-nicknames', ...nicknames },
  { name: '0010-notification-settings', ...notificationSettings },
  { name: '0011-email-verification', ...emailVerification },
  { name: '0012-account-deletion', ...accountDeletion },
  { name: '0013-messages', ...messages },
];

export function migrator(sequelize: Sequelize, log?: Logger): Umzug<QueryInterface> {
  return new Umzug({
    migrations: MIGRATIONS,
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'migrations' }),
    logger: log
      ? {
          info: (m) => log.info(m, 'migration'),
          warn: (m) => log.warn(m, 'migration'),
          error: (m) => log.error(m, 'migration'),
          debug: (m) => log.debug(m, 'migration'),
        }
      : undefined,
  });
}

/** How long a node waits for another node's migrations (seeds included) before it gives up. */
const LOCK_WAIT_SECONDS = 600;

/**
 * Applies pending migrations; returns the names applied (empty when up to date).
 *
 * On MySQL/MariaDB, nodes starting at the same moment take turns: each holds a named lock for
 * its whole run, and reads what is pending only once it holds it, so the node that waited
 * finds everything applied. SQLite needs no lock: one process owns the file.
 */
export async function migrate(sequelize: Sequelize, log?: Logger): Promise<string[]> {
  const release = sequelize.getDialect() === 'sqlite' ? undefined : await migrationLock(sequelize, log);
  try {
    const applied = await migrator(sequelize, log).up();
    return applied.map((m) => m.name);
  } finally {
    await release?.();
  }
}

/**
 * Takes `GET_LOCK('quad:migrations:<database>')` on a connection of its own, outside the pool:
 * a named lock belongs to the session that took it (a pooled connection would be handed to
 * other queries, and with DB_POOL_MAX=1 the migrations would wait for it forever). If this
 * node dies mid-run, its session ends and the lock with it. Resolves with the release.
 */
async function migrationLock(sequelize: Sequelize, log?: Logger): Promise<() => Promise<void>> {
  const c = sequelize.config;
  const conn = await mysql.createConnection({
    ...c.dialectOptions,
    host: c.host,
    port: Number(c.port ?? 3306),
    user: c.username,
    password: c.password ?? undefined,
    database: c.database,
  });
  // Lock names are server-wide (at most 64 characters): name the database.
  const base = `quad:migrations:${c.database}`;
  const lock =
    base.length <= 64
      ? base
      : `quad:migrations:${crypto.createHash('sha1').update(c.database).digest('hex')}`;
  const take = async (seconds: number) => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [lock, seconds]);
    return Number(rows[0]?.got) === 1;
  };
  try {
    if (await take(0)) log?.info({ lock }, 'migration lock taken');
    else {
      log?.info({ lock }, 'another node is migrating this database; waiting for it');
      const started = Date.now();
      if (!(await take(LOCK_WAIT_SECONDS)))
        throw new Error(`Waited ${LOCK_WAIT_SECONDS}s for the migration lock ${lock}; is a migration stuck?`);
      log?.info({ lock, waitedMs: Date.now() - started }, 'migration lock taken after waiting');
    }
  } catch (err) {
    conn.destroy();
    throw err;
  }
  return async () => {
    await conn.query('SELECT RELEASE_LOCK(?)', [lock]).catch(() => undefined);
    await conn.end().catch(() => conn.destroy());
  };
}
