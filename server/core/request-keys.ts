import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import { QueryTypes, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { execute, isSqlite } from './db';
import { AppError } from './errors';

/** How long a `requestId` is remembered: a retry within it gets the first answer. */
export const REQUEST_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** The `requestId` of the command being run, set by the command table for its whole run. */
export interface RequestKey {
  userId: number;
  requestId: string;
  command: string;
  payloadHash: string;
  /** Set once this run's first write has claimed the key (a command may write more than once). */
  claimed: boolean;
}

/** A retry of a request that was already applied: the command table answers `result` again. */
export class Replay extends Error {
  /** `result` undefined: the answer is not stored yet (see RequestKeys.answer). */
  constructor(
    readonly result: unknown,
    readonly key?: RequestKey,
  ) {
    super('replay of an applied request');
  }
}

interface Row {
  command: string;
  payloadHash: string;
  result: string | null;
  createdAt: Date | string;
}

/**
 * Idempotent writes. The command table runs a command that carries a `requestId` inside
 * `run(key, …)`; the event log's write transaction calls `claim(tx)` first thing, which takes
 * (userId, requestId) in that same transaction. A second run of the key (a retry after a lost
 * ack, on any node) waits on that row until the first commits, then finds it: same command and
 * payload → `Replay` with the stored answer (nothing is written); anything else → CONFLICT.
 * If the first rolled back, the retry simply runs. The answer is stored (`remember`) right after
 * the ack is sent (one UPDATE, off the ack's path); a retry comes after a reconnect, later than
 * that, and one that comes sooner waits up to a second for it.
 */
export class RequestKeys {
  private readonly context = new AsyncLocalStorage<RequestKey>();

  constructor(private readonly db: Sequelize) {}

  static hash(command: string, input: unknown): string {
    return crypto
      .createHash('sha256')
      .update(command)
      .update('\0')
      .update(JSON.stringify(input) ?? '')
      .digest('hex');
  }

  run<T>(key: RequestKey, work: () => Promise<T>): Promise<T> {
    return this.context.run(key, work);
  }

  /** In a write's transaction: claims the current key, or throws Replay / CONFLICT. No key: nothing. */
  async claim(tx: Transaction): Promise<void> {
    const key = this.context.getStore();
    if (!key || key.claimed) return;
    if (await this.take(tx, key)) return;
    // Someone had it: the first run of this key, committed (the INSERT waited for it).
    let row = await this.read(key, tx);
    // SQLite answers the date as text, MariaDB as a Date.
    if (row && new Date(row.createdAt).getTime() < Date.now() - REQUEST_KEY_TTL_MS) {
      // Older than its 24 h and not pruned yet: forgotten, so this is a new request.
      await execute(this.db, tx, 'DELETE FROM request_keys WHERE userId = ? AND requestId = ?', [
        key.userId,
        key.requestId,
      ]);
      if (await this.take(tx, key)) return;
      row = await this.read(key, tx);
    }
    if (row && (row.command !== key.command || row.payloadHash !== key.payloadHash)) {
      throw new AppError('CONFLICT', 'This requestId was used for another command or payload', {
        fields: { requestId: 'already used for a different request' },
      });
    }
    // Its answer is stored right after its ack; a duplicate sent at the same time may get here
    // first. Wait for it outside this transaction, whose read of the row would hold up the UPDATE.
    throw new Replay(row?.result == null ? undefined : JSON.parse(row.result), key);
  }

  /** A replay whose answer was not stored yet: waits up to a second for it, else CONFLICT. */
  async answer(replay: Replay): Promise<unknown> {
    if (replay.result !== undefined || !replay.key) return replay.result;
    for (let i = 0; i < 20; i++) {
      const row = await this.read(replay.key);
      if (row?.result != null) return JSON.parse(row.result) as unknown;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new AppError(
      'CONFLICT',
      'This request was applied, but its answer was lost; reload what it changed',
      {
        fields: { requestId: 'applied; answer unknown' },
      },
    );
  }

  /** After the command succeeded: stores its answer for retries (only if its run claimed the key). */
  async remember(key: RequestKey, result: unknown): Promise<void> {
    if (!key.claimed) return;
    await this.db.query('UPDATE request_keys SET result = ? WHERE userId = ? AND requestId = ?', {
      replacements: [JSON.stringify(result ?? null), key.userId, key.requestId],
    });
  }

  /** Deletes keys past their 24 h (with the event log's pruning). */
  async prune(now = Date.now()): Promise<void> {
    await this.db.query('DELETE FROM request_keys WHERE createdAt < ?', {
      replacements: [new Date(now - REQUEST_KEY_TTL_MS)],
    });
  }

  /** Takes the key for this run; false when a committed row holds it (after waiting for its transaction). */
  private async take(tx: Transaction, key: RequestKey): Promise<boolean> {
    key.claimed = await this.insert(tx, key);
    return key.claimed;
  }

  private async insert(tx: Transaction, key: RequestKey): Promise<boolean> {
    const values = [key.userId, key.requestId, key.command, key.payloadHash, new Date()];
    const columns = '(userId, requestId, command, payloadHash, createdAt) VALUES (?, ?, ?, ?, ?)';
    if (!isSqlite(this.db)) {
      // INSERT IGNORE waits for a transaction holding the same key, then skips the row.
      const { affectedRows } = await execute(
        this.db,
        tx,
        `INSERT IGNORE INTO request_keys ${columns}`,
        values,
      );
      return affectedRows > 0;
    }
    // SQLite has one writer at a time, so nothing is in flight; a failed statement keeps the transaction.
    try {
      await execute(this.db, tx, `INSERT INTO request_keys ${columns}`, values);
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintError) return false;
      throw err;
    }
  }

  private async read(key: RequestKey, tx?: Transaction): Promise<Row | undefined> {
    const rows = await this.db.query<Row>(
      'SELECT command, payloadHash, result, createdAt FROM request_keys WHERE userId = ? AND requestId = ?',
      { replacements: [key.userId, key.requestId], type: QueryTypes.SELECT, transaction: tx },
    );
    return rows[0];
  }
}
