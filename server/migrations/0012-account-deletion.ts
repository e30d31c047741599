import { DataTypes } from 'sequelize';
import { date, fk, pk, tables } from './columns';
import type { Migration } from './index';

/**
 * Account deletion (issue "Accounts a student can trust", item 4).
 *
 * `account_holds`: a deleted account's username (and verified school email) stay refused to new
 * accounts until `until` (DELETED_ACCOUNT_HOLD_DAYS). Keys are stored as a 64-hex-digit hash of their
 * normalised form, never as the name or address itself.
 *
 * `retired_aliases`: the 익명N numbers a deleted account held in threads. Its thread_aliases rows
 * go with the account (they name it); the number stays taken here, so the next anonymous
 * commenter in that thread is never given it again.
 */
export const up: Migration = async ({ context: qi }) => {
  const t = tables(qi);
  await t.create('account_holds', {
    id: pk(),
    kind: { type: DataTypes.STRING(16), allowNull: false },
    keyHash: { type: DataTypes.STRING(64).BINARY, allowNull: false },
    until: date(),
    createdAt: date(),
  });
  await t.index('account_holds', ['kind', 'keyHash'], true);

  await t.create('retired_aliases', {
    postId: { ...fk('posts', 'CASCADE'), primaryKey: true },
    number: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    createdAt: date(),
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable('retired_aliases');
  await qi.dropTable('account_holds');
};
