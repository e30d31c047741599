import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { PushEvent } from '../../shared/dto';
import { ok, refused } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { boardId, idsOf } from '../helpers/boards';
import { hex, newUsers, socket, type TestUser } from '../helpers/clients';
import { mentions, moderationOn, promote, Recorder, report } from '../helpers/moderation';
import { collect } from '../helpers/pushes';
import { until } from '../helpers/waiting';

const boardsOn = (node: RunningApp, u: TestUser) => socket(node.url, '/boards', { token: u.accessToken });
const commentsOn = (node: RunningApp, u: TestUser) => socket(node.url, '/comments', { token: u.accessToken });

/** Reports across two Quad nodes sharing MariaDB and Redis (this file runs only in the MariaDB + Redis pass). */
describe('reports and moderation across two nodes', () => {
  let a: RunningApp;
  let b: RunningApp;
  before(async () => {
    const env = { REPORT_HIDE_THRESHOLD: '5', HOT_THRESHOLD: '1', BEST_THRESHOLD: '1' };
    a = await startApp(env);
    b = await startApp(env);
    assert.ok(a.config.REDIS_URL, 'this pass must run with Redis');
  });

  const count = async (sql: string, replacements: Record<string, unknown>): Promise<number> => {
    const [row] = await a.app.db.query<{ n: number }>(sql, { replacements, type: QueryTypes.SELECT });
    return Number(row?.n);
  };

  it('when five users on two nodes report one anonymous post at the same moment, then it is hidden exactly once, live on the other node, and gone from lists, reads, HOT/BEST and resume; the moderator learns nothing of its author', async () => {
    const names = ['author', 'reader', 'liker', 'mod', 'marker', 'r0', 'r1', 'r2', 'r3', 'r4'] as const;
    const [author, reader, liker, mod, marker, ...reporters] = await newUsers(
      a.url,
      names,
      () => `닉${hex()}`,
    );
    await promote(a, mod);
    const authorA = boardsOn(a, author);
    const secret = await boardId(authorA, '비밀게시판');
    const title = `동시 신고 ${hex()}`;

    // The reader's feed and thread are open on node B; the moderator's queue on node A.
    const readerB = boardsOn(b, reader);
    const feed = ok(await readerB.ask('board:subscribe', { boardId: secret }));
    const post = ok(await authorA.ask('post:create', { boardId: secret, title, content: '신고될 익명 글' }));
    ok(await boardsOn(b, liker).ask('post:like', { postId: post.id })); // HOT and BEST at once here
    const threadB = commentsOn(b, reader);
    ok(await threadB.ask('post:subscribe', { postId: post.id }));
    const rec = new Recorder();
    const queue = moderationOn(a, mod);
    rec.watch(queue);
    rec.ack(await queue.ask('queue:subscribe', {}));
    const hiddenOnFeed = collect<{ postId: number }>(readerB, 'post:hidden');
    const hiddenInThread = collect<{ postId: number }>(threadB, 'post:hidden');
    const created = collect<{ id: number }>(readerB, 'post:created');
    const targetHidden = collect<{ target: { id: number } }>(queue, 'target:hidden');
    const reportCreated = collect<{ target: { id: number } }>(queue, 'report:created');

    // Sockets connected first, so the five reports leave together.
    const sockets = reporters.map((r, i) => boardsOn(i % 2 === 0 ? a : b, r));
    await Promise.all(sockets.map((c) => c.ask('whoami')));
    const started = performance.now();
    const target = { kind: 'post', id: post.id } as const;
    const answers = await Promise.all(sockets.map((c) => report(c, target, 'abuse')));
    answers.forEach((res) => ok(res));
    await until(() => hiddenOnFeed.some((e) => e.data.postId === post.id), 'post:hidden on node B');
    console.log(
      `      post:hidden reached node B's feed ${Math.round(performance.now() - started)} ms after the reports left`,
    );

    // Every node's pushes arrive in the order it published them: once a later event from each
    // node is in, a duplicate from either would be too.
    const markers = await Promise.all(
      [a, b].map(async (node) =>
        ok(
          await boardsOn(node, marker).ask('post:create', {
            boardId: secret,
            title: `표지 ${hex()}`,
            content: '…',
          }),
        ),
      ),
    );
    const other = markers[0]!;
    const [q1, q2] = await newUsers(a.url, ['q1', 'q2'] as const);
    ok(await report(boardsOn(a, q1), { kind: 'post', id: other.id }));
    ok(await report(boardsOn(b, q2), { kind: 'post', id: other.id }));
    await until(
      () => markers.every((m) => created.some((e) => e.data.id === m.id)),
      'both markers on the feed',
    );
    await until(
      () => reportCreated.filter((e) => e.data.target.id === other.id).length === 2,
      'both marker reports',
    );

    assert.equal(hiddenOnFeed.filter((e) => e.data.postId === post.id).length, 1);
    assert.equal(hiddenInThread.filter((e) => e.data.postId === post.id).length, 1);
    assert.equal(targetHidden.filter((e) => e.data.target.id === post.id).length, 1);
    assert.equal(reportCreated.filter((e) => e.data.target.id === post.id).length, 5);
    assert.equal(
      await count(
        "SELECT COUNT(*) AS n FROM moderation_log WHERE action = 'hide' AND targetKind = 'post' AND targetId = :id",
        { id: post.id },
      ),
      1,
    );
    assert.equal(
      await count("SELECT COUNT(*) AS n FROM notifications WHERE type = 'hidden' AND postId = :id", {
        id: post.id,
      }),
      1,
    );
    assert.equal(
      await count(
        "SELECT reportCount AS n FROM moderation_cases WHERE targetKind = 'post' AND targetId = :id",
        { id: post.id },
      ),
      5,
    );

    // Gone for the reader, on either node: posts:list, post:get, HOT, BEST, and a resume.
    for (const node of [a, b]) {
      const client = boardsOn(node, reader);
      assert.deepEqual(idsOf(ok(await client.ask('posts:list', { boardId: secret, q: title }))), []);
      refused(await client.ask('post:get', { postId: post.id }), 'NOT_FOUND');
      for (const which of ['posts:hot', 'posts:best'] as const)
        assert.ok(
          !idsOf(ok(await client.ask(which, { boardId: secret, limit: 50 }))).includes(post.id),
          which,
        );
      const { events } = ok(await client.ask('board:subscribe', { boardId: secret, since: feed.lastId }));
      const about = (e: PushEvent) => (e.data as { id?: number }).id === post.id;
      assert.deepEqual(
        events.filter(about).map((e) => e.type),
        [],
      );
      refused(await commentsOn(node, reader).ask('post:subscribe', { postId: post.id }), 'NOT_FOUND');
    }
    // Its author still has it, marked hidden.
    assert.equal(ok(await authorA.ask('post:get', { postId: post.id })).hidden?.reason, 'abuse');

    // The moderator handles it on node A: nothing they receive names the anonymous author.
    const modBoards = boardsOn(a, mod);
    rec.watch(modBoards);
    rec.ack(await queue.ask('queue:list', { status: 'open' }));
    rec.ack(await modBoards.ask('post:get', { postId: post.id }));
    rec.ack(await queue.ask('target:remove', { target, reason: '허위 사실' }));
    rec.ack(await queue.ask('queue:list', { status: 'resolved' }));
    await queue.ask('whoami');
    assert.ok(rec.items.length > 8, `recorded ${rec.items.length} messages`);
    assert.deepEqual(mentions(rec.items, author.user), []);
  });
});
