import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { DeleteAccountInput } from '../../../shared/schemas/sessions';
import type { Actor } from '../../core/auth';
import { execute, transaction } from '../../core/db';
import type { Logger } from '../../core/logger';
import { DELETED_USER } from '../boards/render';
import { forgetInEvents } from '../events/forget';
import type { AccountsService, ClientInfo } from './accounts.service';
import type { User } from './user.model';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Ids per IN list. */
const CHUNK = 500;

export interface AccountDeletionDeps {
  db: Sequelize;
  accounts: AccountsService;
  /** DELETED_ACCOUNT_HOLD_DAYS: how long the username and school email stay refused. */
  holdDays: number;
  log?: Logger;
}

/**
 * The rows keyed to a user that go with the account, children first (deleted explicitly, not left
 * to the foreign keys' cascades): `?` is the user's id.
 */
const PERSONAL: Array<[table: string, where: string]> = [
  ['refresh_tokens', 'sessionId IN (SELECT id FROM sessions WHERE userId = ?)'],
  ['sessions', 'userId = ?'],
  [
    'entry_slots',
    'entryId IN (SELECT e.id FROM timetable_entries e JOIN timetables t ON t.id = e.timetableId WHERE t.userId = ?)',
  ],
  ['timetable_entries', 'timetableId IN (SELECT id FROM timetables WHERE userId = ?)'],
  ['timetables', 'userId = ?'],
  ['friendships', 'requesterId = ? OR addresseeId = ?'],
  ['scraps', 'userId = ?'],
  ['post_likes', 'userId = ?'],
  ['comment_likes', 'userId = ?'],
  ['notifications', 'userId = ?'],
  ['notification_settings', 'userId = ?'],
  ['post_mutes', 'userId = ?'],
  ['blocks', 'blockerId = ? OR blockedId = ?'],
  ['reports', 'reporterId = ?'],
  ['thread_aliases', 'userId = ?'],
  ['request_keys', 'userId = ?'],
  ['email_verifications', 'userId = ?'],
  ['password_resets', 'userId = ?'],
  // Its side of each 쪽지 conversation; the other side keeps the conversation, reading (탈퇴한 사용자).
  ['conversation_members', 'userId = ?'],
];

/**
 * Deleting an account (`DELETE /api/account`). After the password is checked, one transaction
 * deletes every personal row, scrubs the author from the posts and comments that stay (and from
 * the event log's copies of them), keeps the thread aliases it held taken, and holds the username
 * and school email; then every session is refused and its sockets closed on every node.
 */
export class AccountDeletion {
  constructor(private readonly deps: AccountDeletionDeps) {}

  async delete(actor: Actor, input: DeleteAccountInput, client: ClientInfo): Promise<void> {
    const user = await this.deps.accounts.confirmPassword(actor.id, input.password, client, 'password');
    const { sessions, ...counts } = await transaction(this.deps.db, (tx) => this.erase(user, tx));
    // Every node drops its cached copy (a handshake then finds no account), then every session's
    // tokens are refused and its sockets disconnected, on every node.
    this.deps.accounts.changed(user.id);
    await this.deps.accounts.revoked(sessions);
    this.deps.log?.info({ ...counts, sessions: sessions.length }, 'account deleted');
  }

  private async erase(user: User, tx: Transaction) {
    const { db } = this.deps;
    const uid = user.id;
    const select = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
      db.query<T>(sql, { replacements: { uid, ...replacements }, type: QueryTypes.SELECT, transaction: tx });
    const run = (sql: string, values: unknown[] = [uid]) => execute(db, tx, sql, values);

    const sessions = (
      await select<{ id: string }>('SELECT id FROM sessions WHERE userId = :uid AND revokedAt IS NULL')
    ).map((r) => r.id);
    const posts = await select<{ id: number; anonymous: number | boolean }>(
      'SELECT id, anonymous FROM posts WHERE authorId = :uid',
    );
    const comments = await select<{ id: number; anonymous: number | boolean }>(
      'SELECT id, anonymous FROM comments WHERE authorId = :uid',
    );
    const namedComments = comments.filter((c) => !c.anonymous).map((c) => Number(c.id));
    // Its reported 쪽지 in named conversations: the queue named it by nickname.
    const namedMessages = await select<{ id: number }>(
      `SELECT m.id AS id FROM messages m
       JOIN conversations c ON c.id = m.conversationId AND c.anonymous = :no
       JOIN moderation_cases k ON k.targetKind = 'message' AND k.targetId = m.id
       WHERE m.senderId = :uid`,
      { no: false },
    );
    const namedTargets = new Set([
      ...posts.filter((p) => !p.anonymous).map((p) => `post:${p.id}`),
      ...namedComments.map((id) => `comment:${id}`),
      ...namedMessages.map((m) => `message:${m.id}`),
    ]);

    // Others' notifications its named comments caused: they keep them, naming it as the thread now does.
    const notificationIds = new Set<number>();
    const notified = new Set<number>();
    for (const ids of chunks(namedComments)) {
      const rows = await select<{ id: number; userId: number; data: string }>(
        'SELECT id, userId, data FROM notifications WHERE commentId IN (:ids) AND userId <> :uid',
        { ids },
      );
      for (const row of rows) {
        const data = JSON.parse(row.data) as { actorName?: string | null };
        data.actorName = DELETED_USER;
        await run('UPDATE notifications SET data = ? WHERE id = ?', [JSON.stringify(data), row.id]);
        notificationIds.add(Number(row.id));
        notified.add(Number(row.userId));
      }
    }
    // Its 쪽지 conversations: the other sides' copies of their pushes name it as gone.
    const conversations = (
      await select<{ conversationId: number }>(
        'SELECT conversationId FROM conversation_members WHERE userId = :uid',
      )
    ).map((r) => Number(r.conversationId));
    const correspondents = new Set<number>();
    for (const ids of chunks(conversations)) {
      const rows = await select<{ userId: number }>(
        'SELECT userId FROM conversation_members WHERE conversationId IN (:ids) AND userId <> :uid',
        { ids },
      );
      for (const r of rows) correspondents.add(Number(r.userId));
    }
    const events = await forgetInEvents(db, tx, {
      userId: uid,
      namedTargets,
      notificationIds,
      notified,
      conversations: new Set(conversations),
      correspondents,
    });
    await run('UPDATE messages SET senderId = NULL WHERE senderId = ?');

    // Its 익명N numbers stay taken in their threads without naming it (CommentsService.alias).
    await run(
      `INSERT INTO retired_aliases (postId, number, createdAt)
       SELECT postId, number, createdAt FROM thread_aliases WHERE userId = ?`,
    );
    // Counters keep matching the rows left: its likes, scraps and reports no longer count.
    const less = (column: string) => `${column} = CASE WHEN ${column} > 0 THEN ${column} - 1 ELSE 0 END`;
    await run(
      `UPDATE posts SET ${less('likeCount')} WHERE id IN (SELECT postId FROM post_likes WHERE userId = ?)`,
    );
    await run(
      `UPDATE posts SET ${less('scrapCount')} WHERE id IN (SELECT postId FROM scraps WHERE userId = ?)`,
    );
    await run(
      `UPDATE comments SET ${less('likeCount')} WHERE id IN (SELECT commentId FROM comment_likes WHERE userId = ?)`,
    );
    await run(
      `UPDATE moderation_cases SET ${less('reportCount')} WHERE EXISTS (SELECT 1 FROM reports r
       WHERE r.reporterId = ? AND r.targetKind = moderation_cases.targetKind AND r.targetId = moderation_cases.targetId)`,
    );
    // Others' remembered answers (kept a day for idempotent retries) that name it: a friend
    // request to it, a block labelled with its nickname. Losing one only means a late retry runs again.
    await run(`DELETE FROM request_keys WHERE result LIKE ? ESCAPE '!' OR result LIKE ? ESCAPE '!'`, [
      `%"username":"${like(user.username)}"%`,
      `%${like(JSON.stringify(user.nickname).slice(1, -1))}%`,
    ]);
    // The moderation log stays (append-only but for this): without its id or its username.
    await run('UPDATE moderation_log SET actorId = NULL WHERE actorId = ?');
    const roles = await select<{ id: number; detail: string }>(
      "SELECT id, detail FROM moderation_log WHERE action = 'role' AND detail LIKE :prefix ESCAPE '!'",
      { prefix: `${like(user.username)}: %` },
    );
    for (const r of roles) {
      const detail = `${DELETED_USER}${r.detail.slice(user.username.length)}`;
      await run('UPDATE moderation_log SET detail = ? WHERE id = ?', [detail, r.id]);
    }

    const deleted: Record<string, number> = {};
    for (const [table, where] of PERSONAL) {
      const values = where
        .split('?')
        .slice(1)
        .map(() => uid);
      deleted[table] = (await run(`DELETE FROM ${table} WHERE ${where}`, values)).affectedRows;
    }
    // What stays for the threads' sake: no author left on it (anonymous aliases are on the rows).
    const scrubbed = {
      posts: (await run('UPDATE posts SET authorId = NULL WHERE authorId = ?')).affectedRows,
      comments: (await run('UPDATE comments SET authorId = NULL WHERE authorId = ?')).affectedRows,
    };
    await run('DELETE FROM users WHERE id = ?');

    const until = new Date(Date.now() + this.deps.holdDays * DAY_MS);
    await this.deps.accounts.holds.hold('username', user.usernameKey, until, tx);
    if (user.verifiedAt && user.emailKey)
      await this.deps.accounts.holds.hold('email', user.emailKey, until, tx);
    return { sessions, ...scrubbed, events, deleted };
  }
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** `text` as a LIKE pattern matching itself (with `ESCAPE '!'`). */
function like(text: string): string {
  return text.replace(/[!%_]/g, '!$&');
}
