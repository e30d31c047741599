import { DataTypes, QueryTypes } from 'sequelize';
import { NICKNAME_KEY_MAX, nicknameKey } from '../features/accounts/nickname-key';
import { date, tables } from './columns';
import type { Migration } from './index';

/** Users updated per statement in the backfill. */
const BATCH = 500;

/**
 * Nickname rules (issue "Accounts a student can trust", item 3): `nicknameKey` (NFKC +
 * lower-case, unique, binary collation so MySQL's case- and accent-folding collation adds no
 * rule of its own) and `nicknameChangedAt` (NULL: never changed since signup).
 *
 * Backfill: each user's key, oldest account first. When two existing nicknames fold to one key,
 * the older account keeps its nickname and each newer one is renamed `<nickname>#<user id>` (cut
 * to fit 30 characters), which no one else can hold; the renamed may pick another nickname at
 * once (nicknameChangedAt stays NULL). Nicknames outside 2–10 characters from before the rule
 * are kept: the length applies to new ones.
 *
 * The column stays nullable in the schema (adding a NOT NULL column to a filled SQLite table
 * would rebuild it); every insert sets it, and NULLs never collide in a unique index anyway.
 */
export const up: Migration = async ({ context: qi }) => {
  const t = tables(qi);
  await qi.addColumn('users', 'nicknameKey', {
    type: DataTypes.STRING(NICKNAME_KEY_MAX).BINARY,
    allowNull: true,
  });
  await qi.addColumn('users', 'nicknameChangedAt', date(true));

  const users = await qi.sequelize.query<{ id: number; nickname: string }>(
    'SELECT id, nickname FROM users ORDER BY id',
    { type: QueryTypes.SELECT },
  );
  const taken = new Set<string>();
  const rows: Array<{ id: number; nickname: string | null; key: string }> = [];
  for (const u of users) {
    let nickname: string | null = null;
    let key = nicknameKey(u.nickname);
    for (let n = 0; taken.has(key); n++) {
      const suffix = n === 0 ? `#${u.id}` : `#${u.id}-${n}`;
      nickname = [...u.nickname].slice(0, 30 - suffix.length).join('') + suffix;
      key = nicknameKey(nickname);
    }
    taken.add(key);
    rows.push({ id: Number(u.id), nickname, key });
  }
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const replacements: Record<string, unknown> = { ids: batch.map((r) => r.id) };
    const keyCases = batch.map((r, j) => {
      replacements[`i${j}`] = r.id;
      replacements[`k${j}`] = r.key;
      return `WHEN :i${j} THEN :k${j}`;
    });
    await qi.sequelize.query(
      `UPDATE users SET nicknameKey = CASE id ${keyCases.join(' ')} END WHERE id IN (:ids)`,
      {
        replacements,
      },
    );
    for (const r of batch.filter((b) => b.nickname !== null)) {
      await qi.bulkUpdate('users', { nickname: r.nickname }, { id: r.id });
    }
  }
  await t.index('users', ['nicknameKey'], true);
};

export const down: Migration = async ({ context: qi }) => {
  await qi.removeIndex('users', 'users_nicknameKey_uq');
  await qi.removeColumn('users', 'nicknameChangedAt');
  await qi.removeColumn('users', 'nicknameKey');
};
