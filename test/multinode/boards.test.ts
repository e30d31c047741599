import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { NamespaceClient } from '../../shared/client';
import type { PostDto } from '../../shared/dto';
import type { NamespaceName, NamespacePushes } from '../../shared/events';
import { ok } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { boardId } from '../helpers/boards';
import { hex, newUser, socket, type TestUser } from '../helpers/clients';

type PushOf<N extends NamespaceName, E extends keyof NamespacePushes[N]> = NamespacePushes[N][E] extends (
  event: infer P,
) => void
  ? P
  : never;

/** Every push of one event on one socket, kept in arrival order, with a way to await a matching one. */
function record<N extends NamespaceName, E extends keyof NamespacePushes[N] & string>(
  client: NamespaceClient<N>,
  event: E,
) {
  const seen: PushOf<N, E>[] = [];
  const waiters: Array<{ match: (e: PushOf<N, E>) => boolean; resolve: (e: PushOf<N, E>) => void }> = [];
  client.on(event, (...args) => {
    // The listener's parameter type is the same conditional type, which TypeScript cannot unfold here.
    const e = args[0] as PushOf<N, E>;
    seen.push(e);
    for (const w of [...waiters]) {
      if (w.match(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  return {
    seen,
    /** Resolves with the first push (already seen or to come) that matches. */
    until(match: (e: PushOf<N, E>) => boolean, what = event): Promise<PushOf<N, E>> {
      const done = seen.find(match);
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} push arrived within 10 s`)), 10_000);
        waiters.push({
          match,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
  };
}

const tag = (prefix: string) => `${prefix}${hex()}`;
const users = (node: RunningApp, n: number, base: string) =>
  Promise.all(Array.from({ length: n }, (_, i) => newUser(node.url, base, `${base}${i}`)));
const boardsOn = (node: RunningApp, u: TestUser) => socket(node.url, '/boards', { token: u.accessToken });
const commentsOn = (node: RunningApp, u: TestUser) => socket(node.url, '/comments', { token: u.accessToken });

const freeBoard = (client: NamespaceClient<'/boards'>) => boardId(client, '자유게시판');

async function count(node: RunningApp, sql: string, replacements: Record<string, unknown>): Promise<number> {
  const [row] = await node.app.db.query<{ n: number }>(sql, { replacements, type: QueryTypes.SELECT });
  return Number(row?.n);
}

/** Two Quad nodes sharing MariaDB and Redis (this file runs only in the MariaDB + Redis pass). */
describe('boards and comments across two nodes', () => {
  let a: RunningApp;
  let b: RunningApp;
  before(async () => {
    a = await startApp({ HOT_THRESHOLD: '10' });
    b = await startApp({ HOT_THRESHOLD: '10' });
    assert.ok(a.config.REDIS_URL, 'this pass must run with Redis');
  });

  it('when a post is made on node B, then a board subscriber on node A receives post:created exactly once', async () => {
    const [reader, writer] = await Promise.all([
      newUser(a.url, 'reader'),
      newUser(b.url, 'writer', '글쓴이'),
    ]);
    const readerA = boardsOn(a, reader);
    const boardId = await freeBoard(readerA);
    assert.deepEqual(ok(await readerA.ask('board:subscribe', { boardId })).events, []);
    const created = record(readerA, 'post:created');
    const writerB = boardsOn(b, writer);
    const title = tag('multinode ');
    const post = ok(await writerB.ask('post:create', { boardId, title, content: '노드 B에서' }));
    // Pushes from one node reach another in publish order: once a later post from B has
    // arrived, any duplicate of the first would have arrived before it.
    const later = ok(await writerB.ask('post:create', { boardId, title: `${title} 2`, content: '…' }));
    await created.until((e) => e.data.id === later.id);

    const mine = created.seen.filter((e) => e.data.id === post.id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.room, `board:${boardId}`);
    assert.equal(mine[0]!.type, 'post:created');
    assert.deepEqual(mine[0]!.data, { ...post, isMine: false });
    assert.ok(mine[0]!.id < created.seen.find((e) => e.data.id === later.id)!.id);
    assert.equal(ok(await readerA.ask('post:get', { postId: post.id })).title, title);
  });

  it('when user C comments through node A, then the post author connected to node B gets the notification', async () => {
    const [author, commenter] = await Promise.all([
      newUser(b.url, 'author', '작성자'),
      newUser(a.url, 'commenter', '댓글러'),
    ]);
    const authorB = boardsOn(b, author);
    const boardId = await freeBoard(authorB);
    const post = ok(
      await authorB.ask('post:create', { boardId, title: tag('notify '), content: '댓글 주세요' }),
    );
    const notified = record(authorB, 'notification');

    const commenterA = commentsOn(a, commenter);
    const comment = ok(await commenterA.ask('comment:create', { postId: post.id, content: '노드 A의 댓글' }));
    const push = await notified.until((e) => e.data.commentId === comment.id);
    // A second comment from node A: once its notification is in, a duplicate of the first would be too.
    const second = ok(await commenterA.ask('comment:create', { postId: post.id, content: '두 번째' }));
    await notified.until((e) => e.data.commentId === second.id);

    assert.equal(push.room, `user:${author.user.id}`);
    assert.equal(push.type, 'notification');
    assert.deepEqual(
      { ...push.data, id: 0, createdAt: '' },
      {
        id: 0,
        type: 'comment',
        postId: post.id,
        commentId: comment.id,
        boardId,
        text: '노드 A의 댓글',
        actorName: '댓글러',
        read: false,
        createdAt: '',
      },
    );
    assert.deepEqual(
      notified.seen.map((e) => e.data.commentId),
      [comment.id, second.id],
    );
    const stored = ok(await authorB.ask('notifications:list', {})).items;
    assert.deepEqual(
      stored.map((n) => n.id),
      notified.seen.map((e) => e.data.id).reverse(),
    );
    assert.equal(ok(await authorB.ask('whoami')).unreadNotifications, 2);
  });

  it('when a subscriber misses 50 posts and 20 comments made on both nodes, then resuming on the other node returns all 70 events in order, once', async () => {
    const [reader, writers] = await Promise.all([newUser(a.url, 'resume'), users(a, 4, 'writer')]);
    const readerA = boardsOn(a, reader);
    const boardId = await freeBoard(readerA);
    ok(await readerA.ask('board:subscribe', { boardId }));
    const beforeGap = record(readerA, 'post:created');
    const node = (i: number) => (i % 2 === 0 ? a : b);
    const posters = writers.map((w) => [boardsOn(a, w), boardsOn(b, w)] as const);
    const commenters = writers.map((w) => [commentsOn(a, w), commentsOn(b, w)] as const);
    const anchor = ok(
      await posters[0]![1].ask('post:create', { boardId, title: tag('anchor '), content: '…' }),
    );
    const last = (await beforeGap.until((e) => e.data.id === anchor.id)).id;
    readerA.close();

    // 5 rounds, each 10 posts and 4 comments at once, alternating nodes; the comments go two
    // by two to posts of the round before, so their commentCount pushes must read 1 then 2.
    const postIds: number[] = [];
    const commentedIds = new Set<number>();
    let targets = [anchor.id, anchor.id];
    for (let round = 0; round < 5; round++) {
      const posts = Array.from({ length: 10 }, (_, i) =>
        posters[i % 4]![i % 2]!.ask('post:create', {
          boardId,
          title: `resume r${round} p${i} ${node(i).port}`,
          content: '놓친 글',
        }),
      );
      const comments = Array.from({ length: 4 }, (_, i) =>
        commenters[(i + round) % 4]![i % 2]!.ask('comment:create', {
          postId: targets[i % 2]!,
          content: `resume r${round} c${i}`,
        }),
      );
      const [created, commented] = await Promise.all([Promise.all(posts), Promise.all(comments)]);
      for (const c of commented) commentedIds.add(ok(c).postId);
      postIds.push(...created.map((p) => ok(p).id));
      targets = [postIds[postIds.length - 10]!, postIds[postIds.length - 9]!];
    }
    assert.equal(new Set(postIds).size, 50);

    const readerB = boardsOn(b, reader);
    const live = record(readerB, 'post:created');
    const { events } = ok(await readerB.ask('board:subscribe', { boardId, since: last }));

    const ids = events.map((e) => e.id);
    assert.ok(
      ids.every((id, i) => id > last && (i === 0 || id > ids[i - 1]!)),
      'strictly increasing ids after since',
    );
    assert.ok(events.every((e) => e.room === `board:${boardId}`));
    const ours = new Set(postIds);
    const created = events.filter((e) => e.type === 'post:created' && ours.has((e.data as PostDto).id));
    const commented = events
      .filter((e) => e.type === 'post:commented')
      .map((e) => e.data as { postId: number; commentCount: number })
      .filter((d) => commentedIds.has(d.postId));
    assert.equal(created.length, 50);
    assert.deepEqual(new Set(created.map((e) => (e.data as PostDto).id)), ours);
    assert.equal(commented.length, 20);
    for (const postId of commentedIds) {
      const counts = commented.filter((d) => d.postId === postId).map((d) => d.commentCount);
      assert.deepEqual(counts, postId === anchor.id ? [1, 2, 3, 4] : [1, 2], `post ${postId}`);
    }
    assert.equal(created.length + commented.length, 70);

    // Live events keep flowing on node B after the resume, and none of the resumed ones repeat.
    const fresh = ok(
      await posters[1]![0].ask('post:create', { boardId, title: tag('after '), content: '…' }),
    );
    const push = await live.until((e) => e.data.id === fresh.id);
    assert.ok(push.id > ids[ids.length - 1]!);
    assert.deepEqual(
      live.seen.filter((e) => ours.has(e.data.id)),
      [],
    );
  });

  it('when 50 posts with one new tag are created at once on both nodes, then all succeed and the tag is stored once', async () => {
    const writers = await users(a, 10, 'tagger');
    const name = tag('동시태그');
    // A longer ack timeout than the default 5 s, so a slow failure shows its error code.
    const on = (node: RunningApp, w: TestUser) =>
      socket(node.url, '/boards', { token: w.accessToken, timeoutMs: 15_000 });
    const sockets = writers.map((w) => [on(a, w), on(b, w)] as const);
    const boardId = await freeBoard(sockets[0]![0]);
    await Promise.all(sockets.flat().map((s) => s.connected()));

    const acks = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        sockets[i % 10]![(i + Math.floor(i / 10)) % 2]!.ask('post:create', {
          boardId,
          title: `tag race ${i}`,
          content: '같은 새 태그',
          tags: [name],
        }),
      ),
    );

    const failed: Record<string, number> = {};
    for (const r of acks) if (!r.ok) failed[r.error.code] = (failed[r.error.code] ?? 0) + 1;
    assert.deepEqual(failed, {}, 'post:create acks that failed, by error code');
    for (const r of acks) assert.deepEqual(ok(r).tags, [name]);
    const k = name.normalize('NFKC').toLowerCase();
    assert.equal(await count(a, 'SELECT COUNT(*) AS n FROM tags WHERE nameKey = :k', { k }), 1);
    assert.equal(
      await count(
        b,
        'SELECT COUNT(*) AS n FROM post_tags pt JOIN tags t ON t.id = pt.tagId WHERE t.nameKey = :k',
        { k },
      ),
      50,
    );
    const listed = ok(await sockets[3]![1].ask('posts:list', { boardId, tag: name, limit: 100 }));
    assert.equal(listed.items.length, 50);
  });

  it('when 10 users like a post at the same moment on both nodes, then it turns HOT exactly once', async () => {
    const [author, watcher, other] = await Promise.all([
      newUser(b.url, 'hotauthor', '핫글쓴이'),
      newUser(a.url, 'watcher'),
      newUser(a.url, 'other'),
    ]);
    const likers = await users(a, 10, 'liker');
    const authorB = boardsOn(b, author);
    const watcherA = boardsOn(a, watcher);
    const boardId = await freeBoard(watcherA);
    const post = ok(await authorB.ask('post:create', { boardId, title: tag('hot '), content: '공감 부탁' }));
    ok(await watcherA.ask('board:subscribe', { boardId }));
    ok(await authorB.ask('board:subscribe', { boardId }));
    const hotA = record(watcherA, 'post:hot');
    const hotB = record(authorB, 'post:hot');
    const notified = record(authorB, 'notification');
    const createdA = record(watcherA, 'post:created');
    const createdB = record(authorB, 'post:created');
    const sockets = likers.map((u, i) => boardsOn(i % 2 === 0 ? a : b, u));
    await Promise.all(sockets.map((s) => s.connected()));

    const acks = await Promise.all(sockets.map((s) => s.ask('post:like', { postId: post.id })));

    assert.deepEqual(
      acks.map((r) => ok(r).likeCount).sort((x, y) => x - y),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    // A later push from each node: pushes from one node arrive in publish order, so once both
    // have arrived, any second post:hot (published before its like was acknowledged) has too.
    const sentinels = [
      ok(await boardsOn(a, other).ask('post:create', { boardId, title: 'after likes A', content: '…' })),
      ok(await boardsOn(b, other).ask('post:create', { boardId, title: 'after likes B', content: '…' })),
    ];
    for (const s of sentinels) {
      await createdA.until((e) => e.data.id === s.id);
      await createdB.until((e) => e.data.id === s.id);
    }

    const onA = hotA.seen.filter((e) => e.data.id === post.id);
    const onB = hotB.seen.filter((e) => e.data.id === post.id);
    assert.equal(onA.length, 1, 'post:hot on node A');
    assert.equal(onB.length, 1, 'post:hot on node B');
    assert.equal(onA[0]!.id, onB[0]!.id);
    assert.equal(onA[0]!.data.likeCount, 10);
    const stored = ok(await watcherA.ask('post:get', { postId: post.id }));
    assert.equal(stored.likeCount, 10);
    assert.ok(stored.hotAt);
    assert.equal(onA[0]!.data.hotAt, stored.hotAt);
    const hotNotes = notified.seen.filter((e) => e.data.type === 'hot' && e.data.postId === post.id);
    assert.equal(hotNotes.length, 1);
    assert.equal(
      await count(
        a,
        "SELECT COUNT(*) AS n FROM notifications WHERE userId = :u AND type = 'hot' AND postId = :p",
        {
          u: author.user.id,
          p: post.id,
        },
      ),
      1,
    );
  });

  it('when a post is liked on node B, then post:liked reaches board and thread subscribers on both nodes', async () => {
    const [author, liker, reader] = await Promise.all([
      newUser(a.url, 'likedauth'),
      newUser(b.url, 'liker'),
      newUser(a.url, 'likeread'),
    ]);
    const authorA = boardsOn(a, author);
    const boardId = await freeBoard(authorA);
    const post = ok(await authorA.ask('post:create', { boardId, title: tag('liked '), content: '…' }));
    const boardSubs = [boardsOn(a, reader), boardsOn(b, reader)];
    const threadSubs = [commentsOn(a, reader), commentsOn(b, reader)];
    for (const s of boardSubs) ok(await s.ask('board:subscribe', { boardId }));
    for (const s of threadSubs) ok(await s.ask('post:subscribe', { postId: post.id }));
    const boardPushes = boardSubs.map((s) => record(s, 'post:liked'));
    const threadPushes = threadSubs.map((s) => record(s, 'post:liked'));

    const ack = ok(await boardsOn(b, liker).ask('post:like', { postId: post.id }));
    assert.deepEqual(ack, { postId: post.id, likeCount: 1 });

    const match = (e: { data: { postId: number } }) => e.data.postId === post.id;
    const onBoards = await Promise.all(boardPushes.map((r) => r.until(match)));
    const onThreads = await Promise.all(threadPushes.map((r) => r.until(match)));
    for (const e of onBoards) {
      assert.equal(e.room, `board:${boardId}`);
      assert.deepEqual(e.data, ack);
    }
    for (const e of onThreads) {
      assert.equal(e.room, `post:${post.id}`);
      assert.deepEqual(e.data, ack);
    }
    assert.equal(onBoards[0]!.id, onBoards[1]!.id);
    assert.equal(onThreads[0]!.id, onThreads[1]!.id);
    assert.equal(ok(await boardSubs[0]!.ask('post:get', { postId: post.id })).likeCount, 1);
  });
  it('when node A changes a board, then node B serves the change at once: in boards:list and in the posts written there', async () => {
    const [writer] = await Promise.all([newUser(b.url, 'cache')]);
    const writerB = boardsOn(b, writer);
    const boardId = await freeBoard(writerB);
    // Node B has the board cached (it just listed it, and a post reads it).
    ok(await writerB.ask('post:create', { boardId, title: tag('before '), content: '…' }));
    const description = tag('바뀐 설명 ');
    const before = (await a.app.services.posts.board(boardId)).description;
    try {
      await a.app.services.posts.updateBoard(boardId, { anonymousOnly: true, description });
      const listed = async () => ok(await writerB.ask('boards:list')).find((x) => x.id === boardId)!;
      // The invalidation travels over Redis: wait for it, far below the 60 s cache TTL.
      const started = Date.now();
      while ((await listed()).description !== description) {
        assert.ok(Date.now() - started < 5000, 'node B still shows the old board after 5 s');
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal((await listed()).anonymousOnly, true);
      const post = ok(await writerB.ask('post:create', { boardId, title: tag('after '), content: '…' }));
      assert.equal(post.anonymous, true, 'node B wrote the post with the new board settings');
      assert.equal(post.authorName, '익명');
    } finally {
      await a.app.services.posts.updateBoard(boardId, { anonymousOnly: false, description: before });
    }
    const started = Date.now();
    while (
      ok(await writerB.ask('post:create', { boardId, title: tag('restored '), content: '…' })).anonymous
    ) {
      assert.ok(Date.now() - started < 5000, 'node B kept the changed board after it was restored');
      await new Promise((r) => setTimeout(r, 20));
    }
  });
});
