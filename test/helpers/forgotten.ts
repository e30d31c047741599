import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';

/** Columns that hold a user's id, by name (any column ending in `userId` counts too). */
const ID_COLUMNS = new Set([
  'authorId',
  'requesterId',
  'addresseeId',
  'blockerId',
  'blockedId',
  'reporterId',
  'actorId',
  'ownerId',
  'senderId',
]);

const isIdColumn = (name: string) => ID_COLUMNS.has(name) || /userid$/i.test(name);
const isText = (type: string) => /char|text|clob/i.test(type);

/**
 * Where the database still knows a user, table by table and column by column, read from the live
 * schema (so a table added later is checked too): every id column holding their id, the users row,
 * every text column containing their username or nickname, event payloads naming them as an
 * author (`"a":<id>` at the end of a logged event, `"authorId":<id>`), and their personal rooms.
 * Answers one line per finding (empty: forgotten).
 */
export async function traces(
  db: Sequelize,
  who: { id: number; username: string; nickname: string },
): Promise<string[]> {
  const qi = db.getQueryInterface();
  const found: string[] = [];
  const count = async (sql: string, replacements: Record<string, unknown>) => {
    const [row] = await db.query<{ n: number }>(sql, { replacements, type: QueryTypes.SELECT });
    return Number(row?.n ?? 0);
  };
  const tables = (await qi.showAllTables()).map(String).sort();
  for (const table of tables) {
    const columns = await qi.describeTable(table);
    for (const [column, info] of Object.entries(columns)) {
      if (isIdColumn(column)) {
        const n = await count(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = :id`, { id: who.id });
        if (n) found.push(`${table}.${column} = ${who.id} in ${n} row(s)`);
      }
      if (isText(info.type)) {
        for (const text of [who.username, who.nickname]) {
          const n = await count(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} LIKE :p`, {
            p: `%${text}%`,
          });
          if (n) found.push(`${table}.${column} contains ${JSON.stringify(text)} in ${n} row(s)`);
        }
      }
    }
  }
  if (await count('SELECT COUNT(*) AS n FROM users WHERE id = :id', { id: who.id })) found.push('users row');
  const events = await count(
    'SELECT COUNT(*) AS n FROM events WHERE data LIKE :a OR data LIKE :comma OR data LIKE :brace',
    { a: `%,"a":${who.id}}`, comma: `%"authorId":${who.id},%`, brace: `%"authorId":${who.id}}%` },
  );
  if (events) found.push(`${events} event(s) name the id as an author`);
  const personal = [`user:${who.id}`, `watch:${who.id}`];
  for (const table of ['events', 'event_streams']) {
    const n = await count(`SELECT COUNT(*) AS n FROM ${table} WHERE room IN (:personal)`, { personal });
    if (n) found.push(`${table} keeps ${n} row(s) of its personal rooms`);
  }
  return found;
}
