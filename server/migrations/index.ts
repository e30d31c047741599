import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug, type MigrationFn } from 'umzug';
import type { Logger } from '../core/logger';
import * as initial from './0001-initial';
import * as seedBoards from './0002-seed-boards';
import * as seedCatalog from './0003-seed-catalog';
import * as eventSequence from './0004-event-sequence';

export type Migration = MigrationFn<QueryInterface>;

/**
 * Every migration, in order. Listed statically (not globbed) so the same list works from
 * source under tsx and from the compiled dist/ build.
 */
const MIGRATIONS: Array<{ name: string; up: Migration; down: Migration }> = [
  { name: '0001-initial', ...initial },
  { name: '0002-seed-boards', ...seedBoards },
  { name: '0003-seed-catalog', ...seedCatalog },
  { name: '0004-event-sequence', ...eventSequence },
];

export function migrator(sequelize: Sequelize, log?: Logger): Umzug<QueryInterface> {
  return new Umzug({
    migrations: MIGRATIONS,
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'migrations' }),
    logger: log
      ? {
          info: (m) => log.info(m, 'migration'),
          warn: (m) => log.warn(m, 'migration'),
          error: (m) => log.error(m, 'migration'),
          debug: (m) => log.debug(m, 'migration'),
        }
      : undefined,
  });
}

/** Applies pending migrations; returns the names applied (empty when up to date). */
export async function migrate(sequelize: Sequelize, log?: Logger): Promise<string[]> {
  const applied = await migrator(sequelize, log).up();
  return applied.map((m) => m.name);
}
