import fs from 'node:fs';
import path from 'node:path';
import { Op } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { ROOT } from '../core/paths';
import { importCatalog } from '../features/timetables/catalog-import';
import type { Migration } from './index';

/** The sample catalog for the current semester, shipped as the same CSV format `courses:import` reads. */
export const SAMPLE_CATALOG = path.join(ROOT, 'server/seeds/courses-2026-2.csv');

export const up: Migration = async ({ context: qi }) => {
  // The query interface comes from createDatabase(), so its Sequelize is the sequelize-typescript one.
  const db = qi.sequelize as Sequelize;
  const result = await importCatalog(db, fs.readFileSync(SAMPLE_CATALOG, 'utf8'));
  if (!result.ok) throw new Error(`sample catalog is invalid: ${result.errors[0]?.reason}`);
};

export const down: Migration = async ({ context: qi }) => {
  await qi.bulkDelete('semesters', { code: { [Op.eq]: '2026-2' } });
};
