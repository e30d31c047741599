import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { rooms } from '../../../shared/rooms';
import { execute } from '../../core/db';
import { DELETED_USER } from '../boards/render';

/** A deleted account as the event log must forget it. */
export interface Forgotten {
  userId: number;
  /** Its named (not anonymous) posts and comments: their authorName in moderation pushes. */
  namedTargets: Set<string>;
  /** Others' notifications its named comments caused: their actorName. */
  notificationIds: Set<number>;
  /** Whose notifications those are (their `user:<id>` rooms hold the pushes). */
  notified: Set<number>;
  /** Its 쪽지 conversations, and the users on their other side (whose rooms hold the pushes). */
  conversations?: Set<number>;
  correspondents?: Set<number>;
}

interface Row {
  id: number;
  data: string;
}

type Stored = { d: Record<string, unknown>; a?: number };
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/**
 * Rewrites what `value` says of the author `userId`: wherever it names them as an author
 * (`authorId`), the id goes, and a named author reads DELETED_USER (`authorDeleted`); an
 * anonymous one keeps its alias. Answers whether anything changed.
 */
export function scrubAuthor(value: unknown, userId: number): boolean {
  if (Array.isArray(value)) return value.reduce<boolean>((any, v) => scrubAuthor(v, userId) || any, false);
  if (!isObject(value)) return false;
  let changed = false;
  if (value.authorId === userId) {
    value.authorId = null;
    if (typeof value.authorName === 'string' && value.anonymous !== true && value.deleted !== true) {
      value.authorName = DELETED_USER;
      value.authorDeleted = true;
    }
    changed = true;
  }
  for (const v of Object.values(value)) if (scrubAuthor(v, userId)) changed = true;
  return changed;
}

/**
 * Makes the event log forget a deleted account, in the deletion's transaction: its personal rooms
 * (`user:<id>`, `watch:<id>`) go with their numbering; pushes of its posts and comments keep their
 * place in their rooms but lose the author (the stored `a`, `authorId`, the nickname); friend
 * pushes in others' rooms that name it go; others' notifications it caused and the moderators'
 * queue name it as the thread now does. Answers how many events were rewritten and deleted.
 */
export async function forgetInEvents(
  db: Sequelize,
  tx: Transaction,
  who: Forgotten,
): Promise<{ rewritten: number; deleted: number }> {
  const uid = who.userId;
  const select = (sql: string, replacements: Record<string, unknown>) =>
    db.query<Row>(sql, { replacements, type: QueryTypes.SELECT, transaction: tx });
  const own = [rooms.user(uid), rooms.watch(uid)];
  let deleted = (await execute(db, tx, 'DELETE FROM events WHERE room IN (?, ?)', own)).affectedRows;
  await execute(db, tx, 'DELETE FROM event_streams WHERE room IN (?, ?)', own);

  const rewrites = new Map<number, Stored>();
  // Pushes of what it wrote: the log keeps the author as `"a":<id>` at the end of the row (see
  // EventLog.append), and payloads name a named author as `"authorId":<id>`.
  const authored = await select(
    `SELECT id, data FROM events WHERE data LIKE :a OR data LIKE :comma OR data LIKE :brace`,
    { a: `%,"a":${uid}}`, comma: `%"authorId":${uid},%`, brace: `%"authorId":${uid}}%` },
  );
  for (const row of authored) {
    const stored = JSON.parse(row.data) as Stored;
    const changed = stored.a === uid;
    if (changed) delete stored.a;
    if (scrubAuthor(stored.d, uid) || changed) rewrites.set(Number(row.id), stored);
  }

  if (who.notificationIds.size > 0) {
    const notified = [...who.notified].map((id) => rooms.user(id));
    const rows = await select(
      `SELECT id, data FROM events WHERE type = 'notification' AND room IN (:notified)`,
      {
        notified,
      },
    );
    for (const row of rows) {
      const stored = JSON.parse(row.data) as Stored;
      if (who.notificationIds.has(Number(stored.d.id))) {
        stored.d.actorName = DELETED_USER;
        rewrites.set(Number(row.id), stored);
      }
    }
  }

  if (who.namedTargets.size > 0) {
    const rows = await select('SELECT id, data FROM events WHERE room = :room', { room: rooms.moderation });
    for (const row of rows) {
      const stored = JSON.parse(row.data) as Stored;
      const target = stored.d.target;
      if (isObject(target) && who.namedTargets.has(`${String(target.kind)}:${String(target.id)}`)) {
        target.authorName = DELETED_USER;
        rewrites.set(Number(row.id), stored);
      }
    }
  }

  if (who.conversations?.size && who.correspondents?.size) {
    const rows = await select(
      `SELECT id, data FROM events WHERE type = 'message:created' AND room IN (:rooms)`,
      {
        rooms: [...who.correspondents].map((id) => rooms.user(id)),
      },
    );
    for (const row of rows) {
      const stored = JSON.parse(row.data) as Stored;
      if (forgetCorrespondent(stored.d, who.conversations)) rewrites.set(Number(row.id), stored);
    }
  }

  for (const [id, stored] of rewrites) {
    await execute(db, tx, 'UPDATE events SET data = ? WHERE id = ?', [JSON.stringify(stored), id]);
  }

  // Friend pushes in others' rooms (requests, answers, removals) that name it: gone, as the
  // friendships themselves are. A resume simply does not see them; lists are read anew.
  const friendly = await select(
    `SELECT id, data FROM events WHERE type LIKE 'friend:%' AND (data LIKE :id OR data LIKE :friend)`,
    { id: `%"id":${uid},%`, friend: `%"friendId":${uid}}%` },
  );
  const gone = friendly
    .filter((row) => names(JSON.parse(row.data) as Stored, uid))
    .map((row) => Number(row.id));
  if (gone.length > 0) {
    const marks = gone.map(() => '?').join(', ');
    deleted += (await execute(db, tx, `DELETE FROM events WHERE id IN (${marks})`, gone)).affectedRows;
  }
  return { rewritten: rewrites.size, deleted };
}

/** Whether a friend push names the user: a party to the request, who answered it, or the friend removed. */
function names({ d }: Stored, uid: number): boolean {
  const party = (v: unknown) => isObject(v) && v.id === uid;
  return party(d.from) || party(d.to) || party(d.by) || d.friendId === uid;
}

/**
 * A `message:created` push in the other side's room, of a conversation with the deleted account:
 * the account reads DELETED_USER there, whatever it was called (an alias or a nickname).
 */
function forgetCorrespondent(d: Json, conversations: Set<number>): boolean {
  const conversation = d.conversation;
  if (!isObject(conversation) || !conversations.has(Number(conversation.id))) return false;
  conversation.other = DELETED_USER;
  conversation.otherDeleted = true;
  for (const m of [d.message, conversation.lastMessage]) {
    if (isObject(m) && m.mine === false) m.from = DELETED_USER;
  }
  return true;
}
