import assert from 'node:assert/strict';
import { ok } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { BACKEND } from './helpers/backend';
import { boardId } from './helpers/boards';
import { hex, newUsers } from './helpers/clients';

/**
 * What one command costs the database, statement by statement (BEGIN and COMMIT included): the
 * write path is a handful of round trips, not one per fact it needs. Counted at Sequelize#query (SQLite) or at the mysql2 connections (MySQL) on a node of its own, so nothing else runs meanwhile; no timing is asserted.
 */
describe(`database round trips per command (${BACKEND})`, () => {
  let s: RunningApp;
  let statements: string[] | undefined;

  before(async () => {
    s = await startApp();
    const record = (sql: unknown) => {
      const text = typeof sql === 'string' ? sql : String((sql as { sql?: string }).sql ?? sql);
      statements?.push(text.replace(/\s+/g, ' ').slice(0, 140));
    };
    if (s.app.db.getDialect() === 'sqlite') {
      // Every statement goes through Sequelize#query (models, raw SQL, BEGIN/COMMIT alike).
      const db = s.app.db as unknown as { query: (sql: unknown, ...rest: unknown[]) => Promise<unknown> };
      const query = db.query.bind(db);
      db.query = (sql, ...rest) => {
        record(typeof sql === 'string' ? sql : ((sql as { query?: string }).query ?? sql));
        return query(sql, ...rest);
      };
      return;
    }
    // On MySQL the hot path talks to mysql2 directly: count at each of this app's connections.
    type Conn = Record<'query' | 'execute', (sql: unknown, ...rest: unknown[]) => unknown> & {
      counted?: true;
    };
    const manager = (
      s.app.db as unknown as { connectionManager: { getConnection: (...a: unknown[]) => Promise<Conn> } }
    ).connectionManager;
    const get = manager.getConnection.bind(manager);
    manager.getConnection = async (...args) => {
      const conn = await get(...args);
      if (!conn.counted) {
        conn.counted = true;
        for (const method of ['query', 'execute'] as const) {
          const original = conn[method].bind(conn);
          conn[method] = (sql, ...rest) => {
            record(sql);
            return original(sql, ...rest);
          };
        }
      }
      return conn;
    };
  });
  after(() => s.stop());

  async function counted<T>(run: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
    statements = [];
    try {
      const result = await run();
      return { result, sql: statements };
    } finally {
      statements = undefined;
    }
  }

  it('when a post is created, then BEGIN, the post, the room sequence, the event and COMMIT; known tags add one statement, new ones a few', async () => {
    const [w] = await newUsers(s.url, ['w'], () => `닉-${hex()}`);
    const board = await boardId(w!.boards, '자유게시판');
    await w!.boards.ask('post:create', { boardId: board, title: 'warm', content: '…', tags: ['공지'] });

    const plain = await counted(() =>
      w!.boards.ask('post:create', { boardId: board, title: 'a', content: '…' }),
    );
    ok(plain.result);
    // The typed client sends a requestId with every write: claiming it is one INSERT in the
    // transaction, and storing the answer one UPDATE after the ack (counted when it is seen).
    const idempotency = 2;
    assert.ok(
      plain.sql.length <= 6 + idempotency,
      `post:create took ${plain.sql.length} statements:\n${plain.sql.join('\n')}`,
    );
    assert.ok(
      plain.sql.some((q) => /INSERT (IGNORE )?INTO `?request_keys`?/i.test(q)),
      plain.sql.join('\n'),
    );
    // Without a requestId, nothing of it.
    const bare = await counted(() =>
      w!.boards.socket.emitWithAck('post:create', { boardId: board, title: 'a2', content: '…' }),
    );
    assert.ok(bare.sql.length <= 6, `without requestId: ${bare.sql.length}:\n${bare.sql.join('\n')}`);
    assert.ok(!bare.sql.some((q) => /request_keys/.test(q)), bare.sql.join('\n'));
    // The count sees the hand-written statements as well as Sequelize's.
    for (const written of [/INSERT INTO `?posts`?/i, /INSERT INTO `?events`?/i, /event_streams/, /COMMIT/i])
      assert.ok(
        plain.sql.some((q) => written.test(q)),
        `${written} in:\n${plain.sql.join('\n')}`,
      );
    assert.ok(!plain.sql.some((q) => /FROM `?boards`?/i.test(q)), 'the board comes from the cache');
    assert.ok(!plain.sql.some((q) => /FROM `?users`?/i.test(q)), 'the nickname comes from the socket');

    const known = await counted(() =>
      w!.boards.ask('post:create', { boardId: board, title: 'b', content: '…', tags: ['공지'] }),
    );
    assert.deepEqual(ok(known.result).tags, ['공지']);
    assert.ok(
      known.sql.length <= 7 + idempotency,
      `with a known tag: ${known.sql.length}:\n${known.sql.join('\n')}`,
    );

    const fresh = await counted(() =>
      w!.boards.ask('post:create', {
        boardId: board,
        title: 'c',
        content: '…',
        tags: [`새${hex()}`, `새${hex()}`, `새${hex()}`],
      }),
    );
    assert.equal(ok(fresh.result).tags.length, 3);
    assert.ok(
      fresh.sql.length <= 9 + idempotency,
      `with three new tags: ${fresh.sql.length}:\n${fresh.sql.join('\n')}`,
    );
  });

  it('when a comment is created and a post liked, then each is a handful of statements, none re-reading boards or users', async () => {
    const [a, b] = await newUsers(s.url, ['a', 'b'], () => `닉-${hex()}`);
    const board = await boardId(a!.boards, '자유게시판');
    const post = ok(await a!.boards.ask('post:create', { boardId: board, title: 't', content: '…' }));
    ok(await b!.comments.ask('whoami')); // connected before counting
    ok(await b!.boards.ask('whoami'));

    const comment = await counted(() =>
      b!.comments.ask('comment:create', { postId: post.id, content: '댓글', anonymous: true }),
    );
    assert.equal(ok(comment.result).authorName, '익명1');
    // BEGIN, post FOR UPDATE, alias lookup + insert, comment, comment count, whether the post's
    // author wants the notification (settings and muted threads, one statement), notification,
    // room sequences, events, COMMIT.
    assert.ok(
      comment.sql.length <= 12 + 2, // + the requestId's claim and answer
      `comment:create took ${comment.sql.length}:\n${comment.sql.join('\n')}`,
    );
    assert.ok(!comment.sql.some((q) => /FROM `?(boards|users)`?/i.test(q)), comment.sql.join('\n'));

    const like = await counted(() => b!.boards.ask('post:like', { postId: post.id }));
    assert.equal(ok(like.result).likeCount, 1);
    assert.ok(like.sql.length <= 8 + 2, `post:like took ${like.sql.length}:\n${like.sql.join('\n')}`);
  });
});
