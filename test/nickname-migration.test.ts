import assert from 'node:assert/strict';
import { QueryTypes, UniqueConstraintError } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { createDatabase } from '../server/core/db';
import { ALL_MODELS } from '../server/features/models';
import { migrator } from '../server/migrations';
import { BACKEND } from './helpers/backend';
import { scratchDatabase, type ScratchDb } from './helpers/scratch-db';

describe(`migration 0009-nicknames (${BACKEND})`, () => {
  let scratch: ScratchDb;
  let db: Sequelize;

  before(async () => {
    scratch = await scratchDatabase();
    db = createDatabase({ url: scratch.url, poolMax: 2, models: ALL_MODELS });
  });
  after(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it('when existing users hold nicknames that fold to one key, then the oldest keeps it, each newer one is renamed <nickname>#<id>, and every key is set and unique', async () => {
    const umzug = migrator(db);
    await umzug.up({ to: '0008-restricted-boards' });
    const now = new Date();
    const user = (username: string, nickname: string) => ({
      username,
      usernameKey: username,
      nickname,
      passwordHash: 'x',
      createdAt: now,
      updatedAt: now,
    });
    const long = '가'.repeat(30); // from before the 2–10 rule: kept as it is
    await db
      .getQueryInterface()
      .bulkInsert('users', [
        user('old_minji', 'Minji'),
        user('wide_minji', 'Ｍｉｎｊｉ'),
        user('low_minji', 'minji'),
        user('long_one', long),
        user('long_two', long),
        user('single', '닉'),
      ]);
    await umzug.up({ to: '0009-nicknames' });

    const rows = await db.query<{ id: number; username: string; nickname: string; nicknameKey: string }>(
      'SELECT id, username, nickname, nicknameKey FROM users ORDER BY id',
      { type: QueryTypes.SELECT },
    );
    const by = new Map(rows.map((r) => [r.username, r]));
    assert.equal(by.get('old_minji')!.nickname, 'Minji');
    assert.equal(by.get('old_minji')!.nicknameKey, 'minji');
    const wide = by.get('wide_minji')!;
    assert.equal(wide.nickname, `Ｍｉｎｊｉ#${wide.id}`);
    assert.equal(wide.nicknameKey, `minji#${wide.id}`);
    const low = by.get('low_minji')!;
    assert.equal(low.nickname, `minji#${low.id}`);
    assert.equal(by.get('long_one')!.nickname, long);
    const two = by.get('long_two')!;
    const suffix = `#${two.id}`;
    assert.equal(two.nickname, '가'.repeat(30 - suffix.length) + suffix);
    assert.equal(by.get('single')!.nickname, '닉');
    assert.equal(new Set(rows.map((r) => r.nicknameKey)).size, rows.length);

    // The unique index holds from now on, in binary comparison (not the collation's folding).
    await assert.rejects(
      db.getQueryInterface().bulkInsert('users', [{ ...user('again', 'x'), nicknameKey: 'minji' }]),
      UniqueConstraintError,
    );
    await db.getQueryInterface().bulkInsert('users', [{ ...user('accent', 'x'), nicknameKey: 'mínji' }]);

    await umzug.down({ to: '0009-nicknames' });
    const columns = await db.getQueryInterface().describeTable('users');
    assert.ok(!('nicknameKey' in columns) && !('nicknameChangedAt' in columns));
  });
});
