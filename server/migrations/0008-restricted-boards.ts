import { Op } from 'sequelize';
import { DEFAULT_BOARDS } from '../seeds/boards';
import type { Migration } from './index';

/** The seeded boards young accounts may not write on (NEW_ACCOUNT_DAYS): 홍보게시판. */
const RESTRICTED = DEFAULT_BOARDS.filter((b) => b.restricted).map((b) => b.name);

/**
 * Marks the seeded promotion board restricted (issue "Moderation and safety", item 7). Only by
 * name: a deployment that renamed or removed it keeps its own choice (`UPDATE boards SET
 * restricted = 1 WHERE …`, README "Configuration").
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.bulkUpdate('boards', { restricted: true }, { name: { [Op.in]: RESTRICTED } });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.bulkUpdate('boards', { restricted: false }, { name: { [Op.in]: RESTRICTED } });
};
