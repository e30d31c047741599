import { DataTypes } from 'sequelize';
import { date, fk, pk, tables } from './columns';
import type { Migration } from './index';

const email = (allowNull: boolean) => ({ type: DataTypes.STRING(191), allowNull });
const count = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });

/**
 * School email verification and password reset (issue "Accounts a student can trust", items 1
 * and 2): the verified email on the user (one account per email: `emailKey` is unique), the
 * pending code of each user, and the single-use reset tokens. Codes and tokens are stored hashed.
 */
export const up: Migration = async ({ context: qi }) => {
  const t = tables(qi);
  await qi.addColumn('users', 'email', email(true));
  await qi.addColumn('users', 'emailKey', email(true));
  await qi.addColumn('users', 'school', { type: DataTypes.STRING(100), allowNull: true });
  await qi.addColumn('users', 'verifiedAt', date(true));
  await t.index('users', ['emailKey'], true);

  await t.create('email_verifications', {
    userId: { ...fk('users', 'CASCADE'), primaryKey: true },
    email: email(false),
    emailKey: email(false),
    codeHash: { type: DataTypes.STRING(64), allowNull: false },
    expiresAt: date(),
    /** Wrong codes entered against this code. */
    attempts: count(),
    /** Mails sent in the current hour's window, and when that window began. */
    sends: count(),
    windowStartedAt: date(),
    sentAt: date(),
    /** Too many wrong codes: neither a confirm nor a new code until then. */
    lockedUntil: date(true),
  });
  await t.index('email_verifications', ['emailKey']);

  await t.create('password_resets', {
    id: pk(),
    userId: fk('users', 'CASCADE'),
    tokenHash: { type: DataTypes.STRING(64), allowNull: false },
    expiresAt: date(),
    usedAt: date(true),
    createdAt: date(),
  });
  await t.index('password_resets', ['tokenHash'], true);
  await t.index('password_resets', ['userId']);
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable('password_resets');
  await qi.dropTable('email_verifications');
  await qi.removeIndex('users', 'users_emailKey_uq');
  for (const column of ['verifiedAt', 'school', 'emailKey', 'email']) await qi.removeColumn('users', column);
};
