import crypto from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { AccountHold } from './hold.model';

/** What a deleted account leaves held: its username, and its verified school email. */
export type HoldKind = 'username' | 'email';

/**
 * The stored form of a key: an HMAC-SHA-256 (hex) of the lower-cased key, keyed by the server's
 * secret, never the key itself. A plain hash of a short username could be reversed by guessing;
 * without the secret this cannot.
 */
function keyHash(secret: string, kind: HoldKind, key: string): string {
  return crypto.createHmac('sha256', secret).update(`${kind}\0${key.toLowerCase()}`).digest('hex');
}

/**
 * The usernames and school emails of deleted accounts, refused to new accounts until their hold
 * ends (DELETED_ACCOUNT_HOLD_DAYS), so nobody can take over a name others still link to someone.
 * Only a hash of each is kept: the table cannot tell whose account it was.
 */
export class AccountHolds {
  private readonly holds;

  constructor(
    db: Sequelize,
    private readonly secret: string,
  ) {
    this.holds = db.getRepository(AccountHold);
  }

  /** Holds `key` until `until` (a later hold of the same key replaces the earlier one); in the deletion's transaction. */
  async hold(kind: HoldKind, key: string, until: Date, tx: Transaction): Promise<void> {
    const hash = keyHash(this.secret, kind, key);
    // Ended holds go too: nothing else ever reads them.
    await this.holds.destroy({
      where: { [Op.or]: [{ kind, keyHash: hash }, { until: { [Op.lte]: new Date() } }] },
      transaction: tx,
    });
    if (until.getTime() > Date.now())
      await this.holds.create({ kind, keyHash: hash, until }, { transaction: tx });
  }

  /** When the hold on `key` ends, or `null` if it is free. */
  async heldUntil(kind: HoldKind, key: string, tx?: Transaction): Promise<Date | null> {
    const row = await this.holds.findOne({
      where: { kind, keyHash: keyHash(this.secret, kind, key), until: { [Op.gt]: new Date() } },
      attributes: ['until'],
      transaction: tx,
    });
    return row?.until ?? null;
  }
}
