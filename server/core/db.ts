import fs from 'node:fs';
import path from 'node:path';
import { Transaction, UniqueConstraintError } from 'sequelize';
import { AppError } from './errors';
import { Sequelize, type ModelCtor, type SequelizeOptions } from 'sequelize-typescript';
import type { Logger } from './logger';

export interface DatabaseOptions {
  url: string;
  poolMax: number;
  log?: Logger;
  /** The features' models (server/features/models.ts): core knows no feature. */
  models: ModelCtor[];
}

/** Opens MySQL/MariaDB (`mysql://`, `mariadb://`) or SQLite (`sqlite:path`, `sqlite::memory:`). */
export function createDatabase({ url, poolMax, log, models }: DatabaseOptions): Sequelize {
  const common: SequelizeOptions = {
    models,
    // Each Sequelize instance gets its own copy of every model (db.getRepository(Model)), so
    // several apps in one process (tests, benchmarks) never share a connection pool by accident.
    repositoryMode: true,
    logging: log ? (sql) => log.trace({ sql }, 'sql') : false,
    pool: { max: poolMax, min: 0, idle: 10_000, acquire: 10_000 },
    define: { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
  };

  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    const storage = file === '' || file === ':memory:' ? ':memory:' : path.resolve(file);
    if (storage !== ':memory:') fs.mkdirSync(path.dirname(storage), { recursive: true });
    return new Sequelize({
      ...common,
      dialect: 'sqlite',
      dialectModule: configuredSqlite(),
      storage,
      // Take the write lock at BEGIN: deferred transactions deadlock when two upgrade at once.
      transactionType: Transaction.TYPES.IMMEDIATE,
      retry: { max: 5, match: [/SQLITE_BUSY/] },
    });
  }

  const db = new Sequelize(url.replace(/^mariadb:/, 'mysql:'), {
    ...common,
    dialect: 'mysql',
    timezone: '+00:00',
    dialectOptions: {
      charset: 'utf8mb4',
      dateStrings: false,
      supportBigNumbers: true,
      bigNumberStrings: false,
    },
  });
  directTransactionStatements(db);
  return db;
}

/**
 * BEGIN, COMMIT and ROLLBACK of a plain top-level transaction go straight to its connection:
 * through Sequelize's query pipeline each cost several times the driver's own work, and every
 * write pays two of them. Sequelize still runs the transaction (connection, hooks, cleanup,
 * a connection it cannot roll back is destroyed); savepoints and read-only transactions keep
 * its own statements.
 */
function directTransactionStatements(db: Sequelize): void {
  type Tx = Transaction & { parent?: Transaction; finished?: string; options: { readOnly?: boolean } };
  const qi = db.getQueryInterface() as unknown as Record<
    'startTransaction' | 'commitTransaction' | 'rollbackTransaction',
    (tx: Tx, options?: object) => Promise<unknown>
  >;
  const sequelize = {
    start: qi.startTransaction.bind(qi),
    commit: qi.commitTransaction.bind(qi),
    rollback: qi.rollbackTransaction.bind(qi),
  };
  const plain = (tx: Tx) => !tx.parent && !tx.options.readOnly;
  qi.startTransaction = (tx, options) =>
    plain(tx) ? run(connectionOf(tx), 'START TRANSACTION', []) : sequelize.start(tx, options);
  qi.commitTransaction = (tx, options) => {
    if (!plain(tx)) return sequelize.commit(tx, options);
    tx.finished = 'commit';
    return run(connectionOf(tx), 'COMMIT', []);
  };
  qi.rollbackTransaction = (tx, options) => {
    if (!plain(tx)) return sequelize.rollback(tx, options);
    tx.finished = 'rollback';
    return run(connectionOf(tx), 'ROLLBACK', []);
  };
}

export function isSqlite(db: Sequelize): boolean {
  return db.getDialect() === 'sqlite';
}

/**
 * sqlite3 with every connection configured as Quad needs. Sequelize opens one connection per
 * transaction and runs no connect hooks for SQLite, so this is where the settings go: wait for
 * a lock instead of failing at once, and write-ahead logging so readers never block the writer.
 */
function configuredSqlite() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sqlite3 = require('sqlite3') as typeof import('sqlite3');
  class Database extends sqlite3.Database {
    constructor(file: string, mode: number, callback: (err: Error | null) => void) {
      super(file, mode, (err) => {
        if (!err) {
          this.configure('busyTimeout', 10_000);
          if (file !== ':memory:') this.run('PRAGMA journal_mode = WAL');
        }
        callback(err);
      });
    }
  }
  return { ...sqlite3, Database };
}

const queues = new WeakMap<Sequelize, Promise<void>>();

const DEADLOCK = /ER_LOCK_DEADLOCK|ER_LOCK_WAIT_TIMEOUT|Deadlock found|Lock wait timeout|SQLITE_BUSY/;
const ATTEMPTS = 4;

/**
 * A managed transaction, retried when the database picks it as a deadlock victim (concurrent
 * writers on several nodes), so `work` must be safe to run again. On SQLite, where there is a
 * single writer anyway, this process's transactions take turns instead of contending for the file.
 */
export async function transaction<T>(db: Sequelize, work: (tx: Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (isSqlite(db) ? inTurn(db, () => db.transaction(work)) : db.transaction(work));
    } catch (err) {
      if (attempt >= ATTEMPTS || !DEADLOCK.test(String((err as Error).message))) throw err;
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
    }
  }
}

async function inTurn<T>(db: Sequelize, run: () => Promise<T>): Promise<T> {
  const previous = queues.get(db) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  queues.set(
    db,
    previous.then(() => mine),
  );
  await previous;
  try {
    return await run();
  } finally {
    release();
  }
}

/** Awaits an insert; a unique-constraint violation (a duplicate) becomes CONFLICT. */
export async function insertOnce<T>(insert: Promise<T>, conflict: string | AppError): Promise<T> {
  try {
    return await insert;
  } catch (err) {
    if (err instanceof UniqueConstraintError)
      throw typeof conflict === 'string' ? new AppError('CONFLICT', conflict) : conflict;
    throw err;
  }
}

export interface WriteResult {
  /** The AUTO_INCREMENT id of the (first) row inserted, or LAST_INSERT_ID(expr)'s value. */
  insertId: number;
  affectedRows: number;
}

interface RawConnection {
  query(sql: string, values: unknown[], done: (err: Error | null, result: WriteResult) => void): void;
}

/**
 * One write statement (`?` placeholders) on the transaction's own connection. On MySQL/MariaDB it
 * goes straight to mysql2, without Sequelize's query pipeline (option merging, model building,
 * hooks, SQL formatting for the log), which cost more CPU per statement than the driver itself
 * on the hottest write path (`post:create` → ~0.1 ms of 0.3 ms per statement, measured with
 * `npm run bench -- --cpu-prof`). On SQLite it goes through Sequelize as usual. For the few
 * statements a hot command needs; everything else stays on the models.
 */
export async function execute(
  db: Sequelize,
  tx: Transaction,
  sql: string,
  values: unknown[],
): Promise<WriteResult> {
  if (isSqlite(db)) {
    const [, statement] = (await db.query(sql, { replacements: values, transaction: tx })) as [
      unknown,
      { lastID?: number; changes?: number },
    ];
    return { insertId: Number(statement?.lastID ?? 0), affectedRows: Number(statement?.changes ?? 0) };
  }
  return run(connectionOf(tx), sql, values);
}

function connectionOf(tx: Transaction): RawConnection {
  return (tx as unknown as { connection: RawConnection }).connection;
}

function run(connection: RawConnection, sql: string, values: unknown[]): Promise<WriteResult> {
  return new Promise((resolve, reject) =>
    connection.query(sql, values, (err, result) =>
      err ? reject(err) : resolve({ insertId: Number(result.insertId), affectedRows: result.affectedRows }),
    ),
  );
}
