import { DataTypes } from 'sequelize';
import type { Migration } from './index';

/**
 * Idempotent writes (issue "One typed contract"): a write command that carries a `requestId`
 * claims (userId, requestId) in the transaction of its write; a retry of it finds the claim
 * and gets the first answer (`result`) instead of writing again. Rows older than 24 h are
 * pruned with the event log.
 */
export const up: Migration = async ({ context: qi }) => {
  const mysql = qi.sequelize.getDialect() !== 'sqlite';
  await qi.createTable(
    'request_keys',
    {
      userId: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
      requestId: { type: DataTypes.STRING(36).BINARY, primaryKey: true, allowNull: false },
      command: { type: DataTypes.STRING(40), allowNull: false },
      payloadHash: { type: DataTypes.STRING(64), allowNull: false },
      result: { type: mysql ? DataTypes.TEXT('medium') : DataTypes.TEXT, allowNull: true },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    mysql ? { charset: 'utf8mb4', engine: 'InnoDB' } : {},
  );
  await qi.addIndex('request_keys', ['createdAt'], { name: 'request_keys_created' });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable('request_keys');
};
