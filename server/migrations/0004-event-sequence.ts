import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/**
 * One row that every transaction writing to the event log updates just before its insert.
 * The row lock is held until commit, so event ids are handed out in commit order: a client
 * that has seen id N has seen every event of its rooms below N (SQLite serialises anyway).
 */
export const up: Migration = async ({ context: qi }) => {
  const options = qi.sequelize.getDialect() === 'sqlite' ? {} : { charset: 'utf8mb4', engine: 'InnoDB' };
  await qi.createTable(
    'event_sequence',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
      writes: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    },
    options,
  );
  await qi.bulkInsert('event_sequence', [{ id: 1, writes: 0 }]);
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable('event_sequence');
};
