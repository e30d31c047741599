import { Op } from 'sequelize';
import { DEFAULT_BOARDS } from '../seeds/boards';
import type { Migration } from './index';

export const up: Migration = async ({ context: qi }) => {
  const now = new Date();
  await qi.bulkInsert(
    'boards',
    DEFAULT_BOARDS.map((b, i) => ({
      name: b.name,
      description: b.description,
      anonymousOnly: b.anonymousOnly ?? false,
      hotEligible: b.hotEligible ?? true,
      position: i + 1,
      createdAt: now,
      updatedAt: now,
    })),
  );
};

export const down: Migration = async ({ context: qi }) => {
  await qi.bulkDelete('boards', { name: { [Op.in]: DEFAULT_BOARDS.map((b) => b.name) } });
};
