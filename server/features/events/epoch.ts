import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';

/** A fresh epoch: 16 random hex digits. */
export function newEpoch(): string {
  return crypto.randomBytes(8).toString('hex');
}

/** The epoch of the event history in this database (migration 0005 makes the first). */
export async function readEpoch(db: Sequelize): Promise<string> {
  const [row] = await db.query<{ epoch: string }>('SELECT epoch FROM event_log_meta WHERE id = 1', {
    type: QueryTypes.SELECT,
  });
  if (!row) throw new Error('event_log_meta has no epoch row; run the migrations');
  return row.epoch;
}

/**
 * Gives the history a new epoch: every client's `since` from before is then answered
 * RESYNC_REQUIRED. Run it after restoring a backup (the restored log is a prefix of what
 * clients saw, and new events would reuse the numbers they already hold); nodes read the
 * epoch when they start, so restart them afterwards.
 */
export async function rotateEpoch(db: Sequelize): Promise<string> {
  const epoch = newEpoch();
  await db.query('UPDATE event_log_meta SET epoch = :epoch WHERE id = 1', { replacements: { epoch } });
  return epoch;
}
