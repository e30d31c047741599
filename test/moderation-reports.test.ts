import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { PostDto, PushEvent } from '../shared/dto';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardId, idsOf } from './helpers/boards';
import { hex, newUser, newUsers, socket, type TestUser } from './helpers/clients';
import { moderationOn, promote, report } from './helpers/moderation';
import { collect, flush } from './helpers/pushes';

/** Reports (신고) and automatic hiding, on both backends. REPORT_HIDE_THRESHOLD is 3 here. */
describe('reports and automatic hiding', () => {
  let s: RunningApp;
  let free: number;

  const users = <T extends readonly string[]>(...names: T) => newUsers(s.url, names, () => `닉${hex()}`);
  const newPost = async (
    u: TestUser,
    extra: { anonymous?: boolean; title?: string } = {},
  ): Promise<PostDto> =>
    ok(
      await u.boards.ask('post:create', { boardId: free, title: `신고 ${hex()}`, content: '본문', ...extra }),
    );
  const count = async (sql: string, replacements: Record<string, unknown>): Promise<number> => {
    const [row] = await s.app.db.query<{ n: number }>(sql, { replacements, type: QueryTypes.SELECT });
    return Number(row?.n);
  };

  before(async () => {
    s = await startApp({ REPORT_HIDE_THRESHOLD: '3', HOT_THRESHOLD: '1', BEST_THRESHOLD: '1' });
    free = await boardId((await newUser(s.url, 'setup')).boards, '자유게시판');
  });

  describe('bad input', () => {
    it('when a user reports a post, then the ack is the ReportDto, and a second report by them is CONFLICT', async () => {
      const [author, reporter] = await users('author', 'reporter');
      const post = await newPost(author);
      const target = { kind: 'post', id: post.id } as const;
      const dto = ok(await report(reporter.boards, target, 'spam', '광고 글입니다'));
      assert.deepEqual({ ...dto, createdAt: '' }, { target, reason: 'spam', createdAt: '' });
      refused(await report(reporter.boards, target, 'abuse'), 'CONFLICT');
      refused(await report(reporter.comments, target, 'spam'), 'CONFLICT');
      assert.equal(await count('SELECT COUNT(*) AS n FROM reports WHERE targetId = :id', { id: post.id }), 1);
    });

    it('when the same user sends the same report twice at once, then exactly one is stored and the other is CONFLICT', async () => {
      const [author, reporter] = await users('author', 'reporter');
      const post = await newPost(author);
      const target = { kind: 'post', id: post.id } as const;
      const answers = await Promise.all([report(reporter.boards, target), report(reporter.comments, target)]);
      assert.deepEqual(answers.map((a) => a.ok).sort(), [false, true]);
      refused(
        answers.find((a) => !a.ok)!,
        'CONFLICT',
      );
      assert.equal(
        await count('SELECT reportCount AS n FROM moderation_cases WHERE targetId = :id', { id: post.id }),
        1,
      );
    });

    it('when a user reports their own post or comment, then FORBIDDEN and nothing is stored', async () => {
      const [author] = await users('author');
      const post = await newPost(author);
      const comment = ok(
        await author.comments.ask('comment:create', { postId: post.id, content: '내 댓글' }),
      );
      refused(await report(author.boards, { kind: 'post', id: post.id }), 'FORBIDDEN');
      refused(await report(author.comments, { kind: 'comment', id: comment.id }), 'FORBIDDEN');
      assert.equal(
        await count('SELECT COUNT(*) AS n FROM reports WHERE reporterId = :id', { id: author.user.id }),
        0,
      );
    });

    it('when the reason is unknown or the detail is over 500 characters, then VALIDATION names the field', async () => {
      const [author, reporter] = await users('author', 'reporter');
      const post = await newPost(author);
      const target = { kind: 'post', id: post.id } as const;
      const unknown = await reporter.boards.ask('report:create', { target, reason: 'ugly' as 'abuse' });
      assert.ok(refused(unknown, 'VALIDATION').fields?.reason);
      const long = refused(await report(reporter.boards, target, 'abuse', 'ㄱ'.repeat(501)), 'VALIDATION');
      assert.ok(long.fields?.detail);
      refused(await report(reporter.boards, target, 'abuse', ''), 'VALIDATION');
      ok(await report(reporter.boards, target, 'abuse', 'ㄱ'.repeat(500)));
    });

    it('when the target does not exist or is deleted, then NOT_FOUND', async () => {
      const [author, reporter] = await users('author', 'reporter');
      const post = await newPost(author);
      const comment = ok(
        await author.comments.ask('comment:create', { postId: post.id, content: '곧 지움' }),
      );
      refused(await report(reporter.boards, { kind: 'post', id: 2_000_000_000 }), 'NOT_FOUND');
      refused(await report(reporter.boards, { kind: 'comment', id: 2_000_000_000 }), 'NOT_FOUND');
      // Messages (쪽지): test/moderation-messages.test.ts.
      refused(await report(reporter.boards, { kind: 'message', id: 2_000_000_000 }), 'NOT_FOUND');
      ok(await author.comments.ask('comment:delete', { commentId: comment.id }));
      refused(await report(reporter.comments, { kind: 'comment', id: comment.id }), 'NOT_FOUND');
      ok(await author.boards.ask('post:delete', { postId: post.id }));
      refused(await report(reporter.boards, { kind: 'post', id: post.id }), 'NOT_FOUND');
    });
  });

  it('when REPORT_HIDE_THRESHOLD users report a post, then it is hidden once, live, and gone for everyone but its author and moderators', async () => {
    const [author, reader, liker, r1, r2, r3, lateUser, mod] = await users(
      'author',
      'reader',
      'liker',
      'r1',
      'r2',
      'r3',
      'lateUser',
      'mod',
    );
    await promote(s, mod);
    const board = ok(await reader.boards.ask('board:subscribe', { boardId: free }));
    const title = `숨김 ${hex()}`;
    const post = await newPost(author, { title });
    const target = { kind: 'post', id: post.id } as const;
    ok(await liker.boards.ask('post:like', { postId: post.id })); // HOT and BEST at once here
    const find = async (u: TestUser) =>
      idsOf(ok(await u.boards.ask('posts:list', { boardId: free, q: title })));
    assert.deepEqual(await find(reader), [post.id]);
    ok(await reader.comments.ask('post:subscribe', { postId: post.id }));
    const queue = moderationOn(s, mod);
    ok(await queue.ask('queue:subscribe', {}));
    const hiddenOnBoard = collect<{ postId: number }>(reader.boards, 'post:hidden');
    const hiddenInThread = collect<{ postId: number }>(reader.comments, 'post:hidden');
    const reported = collect(queue, 'report:created');
    const hidden = collect<{ id: number; hidden: unknown; reportCount: number }>(queue, 'target:hidden');
    const notified = collect<{ type: string; text: string; postId: number }>(author.boards, 'notification');
    ok(await author.boards.ask('whoami')); // the author's /boards socket is open before the hiding

    ok(await report(r1.boards, target, 'abuse'));
    ok(await report(r2.comments, target, 'spam'));
    ok(await report(r3.boards, target, 'abuse'));
    ok(await report(mod.boards, target, 'abuse')); // a fourth report counts, and hides nothing again
    await Promise.all([flush(reader.boards), flush(reader.comments), flush(queue), flush(author.boards)]);

    assert.deepEqual(
      hiddenOnBoard.map((e) => e.data),
      [{ postId: post.id, boardId: free }],
    );
    assert.equal(hiddenInThread.length, 1);
    assert.equal(reported.length, 4);
    assert.equal(hidden.length, 1);
    assert.equal(hidden[0]!.data.reportCount, 3);
    assert.equal((hidden[0]!.data.hidden as { reason: string }).reason, 'abuse');
    const notice = notified.filter((e) => e.data.type === 'hidden');
    assert.equal(notice.length, 1);
    assert.equal(notice[0]!.data.postId, post.id);
    assert.ok(notice[0]!.data.text.includes('욕설/비하'), notice[0]!.data.text);

    // Gone for a third user: lists, reads, the thread, HOT/BEST, likes, comments, reports.
    assert.deepEqual(await find(reader), []);
    refused(await reader.boards.ask('post:get', { postId: post.id }), 'NOT_FOUND');
    refused(await reader.comments.ask('comments:list', { postId: post.id }), 'NOT_FOUND');
    refused(
      await socket(s.url, '/comments', { token: reader.accessToken }).ask('post:subscribe', {
        postId: post.id,
      }),
      'NOT_FOUND',
    );
    for (const which of ['posts:hot', 'posts:best'] as const) {
      assert.ok(!idsOf(ok(await reader.boards.ask(which, { boardId: free }))).includes(post.id), which);
      assert.ok(
        idsOf(ok(await mod.boards.ask(which, { boardId: free }))).includes(post.id),
        `${which} for staff`,
      );
    }
    refused(await lateUser.boards.ask('post:like', { postId: post.id }), 'NOT_FOUND');
    refused(await lateUser.comments.ask('comment:create', { postId: post.id, content: '…' }), 'NOT_FOUND');
    refused(await report(lateUser.boards, target), 'NOT_FOUND');

    // A resume from before the post does not hand its content out again.
    const again = socket(s.url, '/boards', { token: reader.accessToken });
    const { events } = ok(await again.ask('board:subscribe', { boardId: free, since: board.lastId }));
    const about = (e: PushEvent) => (e.data as { id?: number; postId?: number }).id === post.id;
    assert.deepEqual(
      events.filter(about).map((e) => e.type),
      [],
    );
    assert.ok(
      events.some((e) => e.type === 'post:hidden' && (e.data as { postId: number }).postId === post.id),
    );
    const modResume = ok(
      await socket(s.url, '/boards', { token: mod.accessToken }).ask('board:subscribe', {
        boardId: free,
        since: board.lastId,
      }),
    );
    assert.deepEqual(
      modResume.events.filter(about).map((e) => e.type),
      ['post:created', 'post:hot', 'post:best'],
    );

    // Its author still sees it, marked hidden with the reason; so do moderators. The author may not edit it.
    const mine = ok(await author.boards.ask('post:get', { postId: post.id }));
    assert.equal(mine.hidden?.reason, 'abuse');
    assert.deepEqual(idsOf(ok(await author.boards.ask('posts:list', { boardId: free, q: title }))), [
      post.id,
    ]);
    assert.equal(ok(await mod.boards.ask('post:get', { postId: post.id })).hidden?.reason, 'abuse');
    refused(
      await author.boards.ask('post:update', { postId: post.id, content: '고쳐서 숨기기' }),
      'CONFLICT',
    );
    ok(await author.comments.ask('post:subscribe', { postId: post.id }));

    assert.equal(
      await count(
        "SELECT COUNT(*) AS n FROM moderation_log WHERE action = 'hide' AND targetId = :id AND actorId IS NULL",
        { id: post.id },
      ),
      1,
    );
    assert.equal(
      await count('SELECT COUNT(*) AS n FROM posts WHERE id = :id AND hiddenAt IS NOT NULL', { id: post.id }),
      1,
    );
  });

  it('when enough users report a comment, then comment:hidden reaches the thread, others no longer get it, and a resume does not replay its notification', async () => {
    const [postAuthor, commenter, reader, r1, r2, r3] = await users(
      'postAuthor',
      'commenter',
      'reader',
      'r1',
      'r2',
      'r3',
    );
    const post = await newPost(postAuthor);
    const comment = ok(
      await commenter.comments.ask('comment:create', {
        postId: post.id,
        content: '욕설 댓글',
        anonymous: true,
      }),
    );
    ok(await reader.comments.ask('post:subscribe', { postId: post.id }));
    const hiddenPushes = collect(reader.comments, 'comment:hidden');
    for (const [i, r] of [r1, r2, r3].entries())
      ok(await report(r.comments, { kind: 'comment', id: comment.id }, i === 1 ? 'flooding' : 'abuse'));
    await flush(reader.comments);
    assert.deepEqual(
      hiddenPushes.map((e) => e.data),
      [{ commentId: comment.id, postId: post.id }],
    );
    const ids = async (u: TestUser) =>
      ok(await u.comments.ask('comments:list', { postId: post.id })).items.map((c) => c.id);
    assert.deepEqual(await ids(reader), []);
    assert.deepEqual(await ids(commenter), [comment.id]);
    const own = ok(await commenter.comments.ask('comments:list', { postId: post.id })).items[0]!;
    assert.equal(own.hidden?.reason, 'abuse');
    refused(await reader.comments.ask('comment:like', { commentId: comment.id }), 'NOT_FOUND');
    refused(
      await reader.comments.ask('comment:create', { postId: post.id, parentId: comment.id, content: '답글' }),
      'NOT_FOUND',
    );

    // The post's author had a 'comment' notification quoting it: a resume leaves it out.
    const stored = ok(await postAuthor.boards.ask('notifications:list', {})).items;
    assert.ok(stored.some((n) => n.type === 'comment' && n.commentId === comment.id));
    const resumed = ok(await postAuthor.boards.ask('me:resume', { since: 0 }));
    assert.deepEqual(
      resumed.events.filter((e) => (e.data as { commentId?: number }).commentId === comment.id),
      [],
    );
    const thread = socket(s.url, '/comments', { token: reader.accessToken });
    const replay = ok(await thread.ask('post:subscribe', { postId: post.id, since: 0 }));
    assert.ok(!replay.events.some((e) => e.type === 'comment:created'));
  });
});
