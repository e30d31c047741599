import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { CommentDto, ModerationCaseDto, PostDto } from '../shared/dto';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardId, idsOf } from './helpers/boards';
import { connectError, hex, newUsers, type TestUser } from './helpers/clients';
import { mentions, moderationOn, promote, Recorder, report } from './helpers/moderation';
import { collect, flush } from './helpers/pushes';

/** The moderators' queue on /moderation: listing, restoring, removing. REPORT_HIDE_THRESHOLD is 2 here. */
describe('the moderation queue', () => {
  let s: RunningApp;
  let free: number;
  let secret: number;

  const users = <T extends readonly string[]>(...names: T) => newUsers(s.url, names, () => `닉${hex()}`);
  const count = async (sql: string, replacements: Record<string, unknown>): Promise<number> => {
    const [row] = await s.app.db.query<{ n: number }>(sql, { replacements, type: QueryTypes.SELECT });
    return Number(row?.n);
  };
  /** A fresh moderator (promoted before any socket of theirs connects). */
  const moderator = async () => {
    const [mod] = await users('mod');
    await promote(s, mod);
    return mod;
  };
  const caseOf = (page: { items: ModerationCaseDto[] }, kind: string, id: number) =>
    page.items.find((c) => c.target.kind === kind && c.target.id === id);

  before(async () => {
    s = await startApp({ REPORT_HIDE_THRESHOLD: '2' });
    const [u] = await users('setup');
    free = await boardId(u.boards, '자유게시판');
    secret = await boardId(u.boards, '비밀게시판');
  });

  it('when a user who is not a moderator connects to /moderation, then connect_error FORBIDDEN; a moderator and an admin get in', async () => {
    const [plain, admin] = await users('plain', 'admin');
    const refusedErr = await connectError(moderationOn(s, plain));
    assert.equal(refusedErr.data?.code, 'FORBIDDEN');
    await promote(s, admin, 'admin');
    const mod = await moderator();
    await moderationOn(s, mod).connected();
    await moderationOn(s, admin).connected();
  });

  it('when targets are reported, then queue:list shows each with its content, thread alias and counts per reason, and queue:subscribe resumes', async () => {
    const [author, commenter, r1, r2] = await users('author', 'commenter', 'r1', 'r2');
    const mod = await moderator();
    const queue = moderationOn(s, mod);
    const start = ok(await queue.ask('queue:subscribe', {}));
    const post = ok(
      await author.boards.ask('post:create', { boardId: secret, title: `큐 ${hex()}`, content: '익명 글' }),
    );
    const comment = ok(
      await commenter.comments.ask('comment:create', { postId: post.id, content: '익명 댓글' }),
    );
    const mine = ok(await author.comments.ask('comment:create', { postId: post.id, content: '글쓴이 댓글' }));
    ok(await report(r1.boards, { kind: 'post', id: post.id }, 'spam', '홍보'));
    ok(await report(r1.comments, { kind: 'comment', id: comment.id }, 'abuse'));
    ok(await report(r2.comments, { kind: 'comment', id: comment.id }, 'sexual'));
    ok(await report(r2.comments, { kind: 'comment', id: mine.id }, 'fraud'));

    const open = ok(await queue.ask('queue:list', { status: 'open' }));
    const postCase = caseOf(open, 'post', post.id)!;
    assert.deepEqual(postCase.target, {
      kind: 'post',
      id: post.id,
      boardId: secret,
      postId: post.id,
      title: post.title,
      content: '익명 글',
      authorName: '익명',
      anonymous: true,
      createdAt: post.createdAt,
    });
    assert.deepEqual([postCase.status, postCase.reportCount, postCase.hidden], ['open', 1, null]);
    assert.deepEqual(postCase.reasons, { spam: 1 });
    const commentCase = caseOf(open, 'comment', comment.id)!;
    assert.equal(commentCase.target.authorName, '익명1');
    assert.deepEqual(commentCase.reasons, { abuse: 1, sexual: 1 });
    assert.equal(commentCase.hidden?.reason, 'abuse'); // two reporters: hidden; a tie goes to the reason listed first
    assert.equal(caseOf(open, 'comment', mine.id)!.target.authorName, '익명(글쓴이)');
    assert.equal(
      caseOf(ok(await queue.ask('queue:list', { status: 'resolved' })), 'post', post.id),
      undefined,
    );

    // Paging: one at a time, newest first, the same cases.
    const first = ok(await queue.ask('queue:list', { status: 'open', limit: 1 }));
    const second = ok(await queue.ask('queue:list', { status: 'open', limit: 1, cursor: first.nextCursor! }));
    assert.deepEqual([first.items[0]!.id, second.items[0]!.id], [open.items[0]!.id, open.items[1]!.id]);

    // A new moderator socket resuming from before sees every report and the hiding, in order.
    const resumed = ok(await moderationOn(s, mod).ask('queue:subscribe', { since: start.lastId }));
    const types = resumed.events.map((e) => e.type);
    assert.deepEqual(types, [
      'report:created',
      'report:created',
      'report:created',
      'target:hidden',
      'report:created',
    ]);
  });

  it('when a moderator restores a hidden post, then post:restored reaches the board with isMine per recipient, the case resolves, and new reports start a fresh count', async () => {
    const [author, reader, r1, r2, r3, r4] = await users('author', 'reader', 'r1', 'r2', 'r3', 'r4');
    const mod = await moderator();
    const post = ok(
      await author.boards.ask('post:create', { boardId: free, title: `복구 ${hex()}`, content: '멀쩡한 글' }),
    );
    const target = { kind: 'post', id: post.id } as const;
    ok(await report(r1.boards, target, 'political'));
    ok(await report(r2.boards, target, 'political'));
    refused(await reader.boards.ask('post:get', { postId: post.id }), 'NOT_FOUND');

    ok(await reader.boards.ask('board:subscribe', { boardId: free }));
    ok(await author.boards.ask('board:subscribe', { boardId: free }));
    const queue = moderationOn(s, mod);
    ok(await queue.ask('queue:subscribe', {}));
    const toReader = collect<PostDto>(reader.boards, 'post:restored');
    const toAuthor = collect<PostDto>(author.boards, 'post:restored');
    const resolvedPushes = collect<ModerationCaseDto>(queue, 'case:resolved');
    const restored = ok(await queue.ask('target:restore', { target }));
    assert.deepEqual([restored.status, restored.resolution, restored.hidden], ['resolved', 'restored', null]);
    await Promise.all([flush(reader.boards), flush(author.boards), flush(queue)]);
    assert.deepEqual(
      toReader.map((e) => [e.data.id, e.data.isMine, e.data.hidden]),
      [[post.id, false, undefined]],
    );
    assert.deepEqual(
      toAuthor.map((e) => [e.data.id, e.data.isMine]),
      [[post.id, true]],
    );
    assert.deepEqual(
      resolvedPushes.map((e) => e.data.id),
      [restored.id],
    );
    assert.equal(ok(await reader.boards.ask('post:get', { postId: post.id })).hidden, undefined);
    assert.ok(caseOf(ok(await queue.ask('queue:list', { status: 'resolved' })), 'post', post.id));
    refused(await queue.ask('target:restore', { target }), 'CONFLICT');
    assert.equal(
      await count(
        "SELECT COUNT(*) AS n FROM moderation_log WHERE action = 'restore' AND targetId = :id AND actorId = :mod",
        {
          id: post.id,
          mod: mod.user.id,
        },
      ),
      1,
    );

    // Reviewed and kept: one new report reopens the case but does not hide it again; a second does.
    ok(await report(r3.boards, target, 'spam'));
    const reopened = caseOf(ok(await queue.ask('queue:list', { status: 'open' })), 'post', post.id)!;
    assert.deepEqual([reopened.reportCount, reopened.reasons, reopened.hidden], [1, { spam: 1 }, null]);
    assert.ok(ok(await reader.boards.ask('post:get', { postId: post.id })));
    ok(await report(r4.boards, target, 'spam'));
    refused(await reader.boards.ask('post:get', { postId: post.id }), 'NOT_FOUND');
  });

  it('when a moderator removes a post and a comment, then they are gone for everyone, the authors are told, and the cases resolve as removed', async () => {
    const [author, commenter, reader] = await users('author', 'commenter', 'reader');
    const mod = await moderator();
    const post = ok(
      await author.boards.ask('post:create', { boardId: free, title: `삭제 ${hex()}`, content: '지울 글' }),
    );
    const other = ok(
      await author.boards.ask('post:create', { boardId: free, title: `댓글 ${hex()}`, content: '글' }),
    );
    const comment = ok(
      await commenter.comments.ask('comment:create', { postId: other.id, content: '지울 댓글' }),
    );
    ok(await reader.boards.ask('board:subscribe', { boardId: free }));
    ok(await reader.comments.ask('post:subscribe', { postId: other.id }));
    const postHidden = collect(reader.boards, 'post:hidden');
    const commentHidden = collect<{ commentId: number }>(reader.comments, 'comment:hidden');
    const commented = collect<{ postId: number; commentCount: number }>(reader.boards, 'post:commented');
    const toAuthor = collect<{ type: string; postId: number }>(author.boards, 'notification');
    const toCommenter = collect<{ type: string; commentId: number }>(commenter.boards, 'notification');
    await Promise.all([flush(author.boards), flush(commenter.boards)]);

    const queue = moderationOn(s, mod);
    const removed = ok(
      await queue.ask('target:remove', { target: { kind: 'post', id: post.id }, reason: '불법 광고' }),
    );
    assert.deepEqual([removed.status, removed.resolution, removed.reportCount], ['resolved', 'removed', 0]);
    assert.equal(removed.hidden?.reason, 'moderator');
    assert.equal(removed.target.content, '지울 글'); // kept for review
    ok(await queue.ask('target:remove', { target: { kind: 'comment', id: comment.id }, reason: '욕설' }));
    await Promise.all([
      flush(reader.boards),
      flush(reader.comments),
      flush(author.boards),
      flush(commenter.boards),
    ]);

    assert.deepEqual(
      postHidden.map((e) => e.data),
      [{ postId: post.id, boardId: free }],
    );
    assert.deepEqual(
      commentHidden.map((e) => e.data.commentId),
      [comment.id],
    );
    assert.deepEqual(commented.at(-1)?.data, { postId: other.id, commentCount: 0 });
    assert.deepEqual(
      toAuthor.filter((e) => e.data.type === 'removed').map((e) => e.data.postId),
      [post.id],
    );
    assert.deepEqual(
      toCommenter.filter((e) => e.data.type === 'removed').map((e) => e.data.commentId),
      [comment.id],
    );
    for (const u of [reader, author])
      refused(await u.boards.ask('post:get', { postId: post.id }), 'NOT_FOUND');
    const threadOf = async (u: TestUser): Promise<CommentDto[]> =>
      ok(await u.comments.ask('comments:list', { postId: other.id })).items;
    assert.deepEqual(await threadOf(reader), []);
    const own = (await threadOf(commenter))[0]!;
    assert.deepEqual([own.id, own.deleted, own.hidden?.reason], [comment.id, true, 'moderator']);
    assert.ok(
      !idsOf(ok(await reader.boards.ask('posts:list', { boardId: free, limit: 50 }))).includes(post.id),
    );

    refused(
      await queue.ask('target:remove', { target: { kind: 'post', id: post.id }, reason: '다시' }),
      'CONFLICT',
    );
    refused(await queue.ask('target:restore', { target: { kind: 'post', id: post.id } }), 'NOT_FOUND');
    refused(
      await queue.ask('target:remove', { target: { kind: 'post', id: 2_000_000_000 }, reason: '없음' }),
      'NOT_FOUND',
    );
    const resolved = ok(await queue.ask('queue:list', { status: 'resolved' }));
    assert.equal(caseOf(resolved, 'comment', comment.id)?.resolution, 'removed');
    assert.equal(
      await count("SELECT COUNT(*) AS n FROM moderation_log WHERE action = 'remove' AND actorId = :mod", {
        mod: mod.user.id,
      }),
      2,
    );
  });

  it('when a moderator handles an anonymous post and comment, then nothing they receive names the anonymous authors', async () => {
    const [writer, commenter, r1, r2] = await users('writer', 'commenter', 'r1', 'r2');
    const mod = await moderator();
    const rec = new Recorder();
    const queue = moderationOn(s, mod);
    for (const c of [queue, mod.boards, mod.comments]) rec.watch(c);
    rec.ack(await queue.ask('queue:subscribe', {}));
    const post = ok(
      await writer.boards.ask('post:create', {
        boardId: secret,
        title: `익명 ${hex()}`,
        content: '익명 본문',
      }),
    );
    const comment = ok(
      await commenter.comments.ask('comment:create', { postId: post.id, content: '익명 댓글' }),
    );
    rec.ack(await mod.boards.ask('board:subscribe', { boardId: secret }));
    rec.ack(await mod.comments.ask('post:subscribe', { postId: post.id }));
    // The comment first: once its post is hidden, it is gone for the reporters too.
    for (const r of [r1, r2]) ok(await report(r.comments, { kind: 'comment', id: comment.id }, 'spam'));
    for (const r of [r1, r2]) ok(await report(r.boards, { kind: 'post', id: post.id }, 'abuse'));
    rec.ack(await queue.ask('queue:list', { status: 'open' }));
    rec.ack(await mod.boards.ask('post:get', { postId: post.id }));
    rec.ack(await mod.comments.ask('comments:list', { postId: post.id }));
    rec.ack(await queue.ask('target:restore', { target: { kind: 'comment', id: comment.id } }));
    rec.ack(await queue.ask('target:remove', { target: { kind: 'post', id: post.id }, reason: '욕설' }));
    rec.ack(await queue.ask('queue:list', { status: 'resolved' }));
    rec.ack(await queue.ask('target:restore', { target: { kind: 'post', id: post.id } }));
    await Promise.all([flush(queue), flush(mod.boards), flush(mod.comments)]);

    assert.ok(rec.items.length > 10, `recorded ${rec.items.length} messages`);
    for (const who of [writer, commenter]) assert.deepEqual(mentions(rec.items, who.user), []);
    // The search does find an identity where there is one.
    assert.equal(
      mentions([{ post: { authorId: writer.user.id } }, writer.user.username], writer.user).length,
      2,
    );
  });
});
