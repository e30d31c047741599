import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { createDatabase } from '../../server/core/db';
import { ALL_MODELS } from '../../server/features/models';
import { createLogger, type Logger } from '../../server/core/logger';
import { startApp } from '../helpers/app';
import { http } from '../helpers/clients';
import { scratchDatabase, type ScratchDb } from '../helpers/scratch-db';

interface LogLine {
  msg: string;
  applied?: string[];
  waitedMs?: number;
}

/** A node's logger, keeping its lines in memory. */
function recorded(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { log: createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) }), lines };
}

const ALL = [
  '0001-initial',
  '0002-seed-boards',
  '0003-seed-catalog',
  '0004-event-sequence',
  '0005-event-streams',
  '0006-request-keys',
  '0007-moderation',
  '0008-restricted-boards',
  '0009-nicknames',
  '0010-notification-settings',
  '0011-email-verification',
  '0012-account-deletion',
  '0013-messages',
];

/** Two nodes against one fresh MariaDB database (this file runs only in the MariaDB + Redis pass). */
describe('migration lock', () => {
  let scratch: ScratchDb;
  before(async () => {
    scratch = await scratchDatabase();
  });
  after(async () => {
    await scratch.drop();
  });

  it('when two nodes start at the same instant on an empty database, then exactly one migrates while the other waits, each migration is recorded once, and both serve', async () => {
    const logs = [recorded(), recorded()] as const;
    const nodes = await Promise.all(logs.map(({ log }) => startApp({ DATABASE_URL: scratch.url }, { log })));
    try {
      for (const node of nodes) assert.equal((await http(node.url, 'GET', '/readyz')).status, 200);

      const applied = logs.map(({ lines }) => lines.find((l) => l.msg === 'migrations applied')?.applied);
      assert.equal(applied.filter(Boolean).length, 1, `applied per node: ${JSON.stringify(applied)}`);
      const [migrator, waiter] = applied[0] ? logs : [logs[1], logs[0]];
      assert.deepEqual(migrator.lines.find((l) => l.msg === 'migrations applied')?.applied, ALL);
      assert.ok(migrator.lines.some((l) => l.msg === 'migration lock taken'));
      const waited = waiter.lines.find((l) => l.msg === 'migration lock taken after waiting');
      assert.ok(
        waiter.lines.some((l) => l.msg === 'another node is migrating this database; waiting for it'),
      );
      assert.ok(waited && waited.waitedMs! > 0, 'the second node waited for the lock');
      assert.ok(waiter.lines.some((l) => l.msg === 'migrations up to date'));

      const db = createDatabase({ url: scratch.url, poolMax: 1, models: ALL_MODELS });
      try {
        const rows = await db.query<{ name: string; n: number }>(
          'SELECT name, COUNT(*) AS n FROM migrations GROUP BY name ORDER BY name',
          { type: QueryTypes.SELECT },
        );
        assert.deepEqual(
          rows.map((r) => [r.name, Number(r.n)]),
          ALL.map((name) => [name, 1]),
        );
        const [boards] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM boards', {
          type: QueryTypes.SELECT,
        });
        assert.equal(Number(boards?.n), 10, 'the seeds ran once');
      } finally {
        await db.close();
      }
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
    }
  });
});
