import { DataTypes } from 'sequelize';
import { counter, date, fk, pk, tables } from './columns';
import type { Migration } from './index';

/**
 * Moderation and safety (issue "Moderation and safety"): roles and suspensions on users,
 * restricted boards, hidden posts and comments, reports (신고), one moderation case per reported
 * target, the append-only moderation log, and blocks (차단).
 */
export const up: Migration = async ({ context: qi }) => {
  const { create, index } = tables(qi);
  const kind = { type: DataTypes.STRING(10), allowNull: false };

  await qi.addColumn('users', 'role', { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'user' });
  await qi.addColumn('users', 'suspendedUntil', date(true));
  await qi.addColumn('users', 'suspendReason', { type: DataTypes.STRING(500), allowNull: true });
  // 홍보게시판 and the like: accounts younger than NEW_ACCOUNT_DAYS may not write there.
  await qi.addColumn('boards', 'restricted', {
    type: DataTypes.BOOLEAN,
    allowNull: false,
    defaultValue: false,
  });
  for (const table of ['posts', 'comments']) {
    await qi.addColumn(table, 'hiddenAt', date(true));
    // A report reason (the most reported one) or `moderator`.
    await qi.addColumn(table, 'hiddenReason', { type: DataTypes.STRING(16), allowNull: true });
  }

  await create('reports', {
    id: pk(),
    targetKind: kind,
    targetId: { type: DataTypes.INTEGER, allowNull: false },
    reporterId: fk('users', 'CASCADE'),
    reason: { type: DataTypes.STRING(16), allowNull: false },
    detail: { type: DataTypes.TEXT, allowNull: true },
    createdAt: date(),
  });
  // One report per user and target, also when two arrive at once on two nodes.
  await index('reports', ['targetKind', 'targetId', 'reporterId'], true);
  await index('reports', ['reporterId']);

  await create('moderation_cases', {
    id: pk(),
    targetKind: kind,
    targetId: { type: DataTypes.INTEGER, allowNull: false },
    status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'open' },
    reportCount: counter(),
    resolution: { type: DataTypes.STRING(10), allowNull: true },
    firstReportedAt: date(),
    lastReportedAt: date(),
    resolvedAt: date(true),
  });
  await index('moderation_cases', ['targetKind', 'targetId'], true);
  await index('moderation_cases', ['status', 'id']);

  // Append-only: rows are inserted, never updated or deleted (an actor's account may go).
  await create('moderation_log', {
    id: pk(),
    actorId: fk('users', 'SET NULL', true),
    action: { type: DataTypes.STRING(16), allowNull: false },
    targetKind: { type: DataTypes.STRING(10), allowNull: true },
    targetId: { type: DataTypes.INTEGER, allowNull: true },
    detail: { type: DataTypes.STRING(200), allowNull: true },
    reason: { type: DataTypes.TEXT, allowNull: true },
    createdAt: date(),
  });

  await create('blocks', {
    id: pk(),
    blockerId: fk('users', 'CASCADE'),
    blockedId: fk('users', 'CASCADE'),
    // Where the block came from, as its owner saw it (익명3 in '…'): never the identity.
    label: { type: DataTypes.STRING(300), allowNull: false },
    createdAt: date(),
  });
  await index('blocks', ['blockerId', 'blockedId'], true);
  await index('blocks', ['blockedId']);
};

export const down: Migration = async ({ context: qi }) => {
  for (const table of ['blocks', 'moderation_log', 'moderation_cases', 'reports']) await qi.dropTable(table);
  for (const table of ['posts', 'comments']) {
    await qi.removeColumn(table, 'hiddenReason');
    await qi.removeColumn(table, 'hiddenAt');
  }
  await qi.removeColumn('boards', 'restricted');
  for (const column of ['suspendReason', 'suspendedUntil', 'role']) await qi.removeColumn('users', column);
};
