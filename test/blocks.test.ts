import assert from 'node:assert/strict';
import type { CommentDto, PostDto, PushEvent } from '../shared/dto';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardsByName } from './helpers/boards';
import { hex, newUsers, type TestUser } from './helpers/clients';
import { collect, flush } from './helpers/pushes';
import { until } from './helpers/waiting';

/** Everything a user could learn an author's identity from, as it would appear in JSON. */
function identityOf(u: TestUser): string[] {
  return [u.user.username, u.user.nickname, `"blockedId"`, `"authorId":${u.user.id}`];
}

function assertNoIdentity(what: string, value: unknown, u: TestUser): void {
  const text = JSON.stringify(value);
  for (const leak of identityOf(u)) assert.ok(!text.includes(leak), `${what} reveals ${leak}: ${text}`);
}

describe('blocks (차단)', () => {
  let s: RunningApp;
  let FREE: number;

  const users = <T extends readonly string[]>(...names: T) => newUsers(s.url, names, () => `닉-${hex()}`);
  const post = async (u: TestUser, title = `글 ${hex()}`, anonymous = false): Promise<PostDto> =>
    ok(await u.boards.ask('post:create', { boardId: FREE, title, content: '내용', anonymous }));
  const comment = async (
    u: TestUser,
    postId: number,
    extra: { parentId?: number } = {},
  ): Promise<CommentDto> =>
    ok(
      await u.comments.ask('comment:create', { postId, content: `댓글 ${hex()}`, anonymous: true, ...extra }),
    );
  const ids = (events: PushEvent<{ id: number }>[]) => events.map((e) => e.data.id);

  before(async () => {
    // Each user here sends far fewer than a window's worth; the limit is tested on its own app.
    s = await startApp();
    const [u] = await users('ann');
    FREE = (await boardsByName(u.boards)).get('자유게시판')!.id;
  });

  it("when a user blocks an anonymous commenter from a thread, then that commenter's later posts and comments never reach them (pushes, lists, reads, resume) while a third user sees them all", async () => {
    const [op, troll, blocker, third] = await users('op', 'troll', 'blocker', 'third');
    const title = `오늘 학식 뭐임 ${hex()}`;
    const thread = await post(op, title);
    const first = await comment(troll, thread.id);
    assert.equal(first.authorName, '익명1');

    // Both follow the board and the thread, as the dashboard does (typed feeds), and every raw push is kept.
    const feeds = new Map<TestUser, { posts: number[]; comments: number[] }>();
    const raw = new Map<
      TestUser,
      { posts: PushEvent<{ id: number }>[]; comments: PushEvent<{ id: number }>[] }
    >();
    const since = new Map<TestUser, { board: number; thread: number }>();
    for (const u of [blocker, third]) {
      const seen = { posts: [] as number[], comments: [] as number[] };
      u.boards.onEvent('post:created', (e) => seen.posts.push(e.data.id));
      u.comments.onEvent('comment:created', (e) => seen.comments.push(e.data.id));
      feeds.set(u, seen);
      raw.set(u, {
        posts: collect(u.boards, 'post:created'),
        comments: collect(u.comments, 'comment:created'),
      });
      const board = ok(await u.boards.subscribe('board:subscribe', { boardId: FREE }));
      const posts = ok(await u.comments.subscribe('post:subscribe', { postId: thread.id }));
      since.set(u, { board: board.lastId, thread: posts.lastId });
    }

    const block = ok(await blocker.comments.ask('user:block', { target: { kind: 'comment', id: first.id } }));
    assert.equal(block.label, `익명1 in '${title}'`);
    assert.deepEqual(Object.keys(block).sort(), ['createdAt', 'id', 'label']);
    assertNoIdentity('the block', block, troll);

    // The troll writes on, anonymously and not; the original poster writes after them.
    const trollPosts = [await post(troll, `광고 ${hex()}`, true), await post(troll, `광고 ${hex()}`, false)];
    const trollComments = [
      await comment(troll, thread.id),
      await comment(troll, thread.id, { parentId: first.id }),
    ];
    const opPost = await post(op);
    const opComment = await comment(op, thread.id);

    const thirdRaw = raw.get(third)!;
    await until(() => thirdRaw.posts.length >= 3 && thirdRaw.comments.length >= 3, "the third user's pushes");
    assert.deepEqual(ids(thirdRaw.posts), [...trollPosts.map((p) => p.id), opPost.id]);
    assert.deepEqual(ids(thirdRaw.comments), [...trollComments.map((c) => c.id), opComment.id]);

    // Not one push of the troll's reached the blocker's sockets; the original poster's did.
    const blockerRaw = raw.get(blocker)!;
    await until(
      () => blockerRaw.posts.length >= 1 && blockerRaw.comments.length >= 1,
      "the blocker's pushes",
    );
    await Promise.all([flush(blocker.boards), flush(blocker.comments)]);
    assert.deepEqual(ids(blockerRaw.posts), [opPost.id]);
    assert.deepEqual(ids(blockerRaw.comments), [opComment.id]);

    // The typed client sees a gap where the troll's events were; it resumes, and the resume skips them too.
    const started = Date.now();
    const blockerFeed = feeds.get(blocker)!;
    await until(
      () => blockerFeed.posts.includes(opPost.id) && blockerFeed.comments.includes(opComment.id),
      "the blocker's feeds to settle",
    );
    console.log(
      `      (the blocker's typed feeds delivered past the withheld events after ${Date.now() - started} ms)`,
    );
    assert.deepEqual(blockerFeed.posts, [opPost.id]);
    assert.deepEqual(blockerFeed.comments, [opComment.id]);
    assert.deepEqual(feeds.get(third)!.posts, [...trollPosts.map((p) => p.id), opPost.id]);

    // Resuming with `since` (a reconnect) skips them as well; the third user's resume has them.
    for (const [u, expectPosts, expectComments] of [
      [blocker, [opPost.id], [opComment.id]],
      [third, [...trollPosts.map((p) => p.id), opPost.id], [...trollComments.map((c) => c.id), opComment.id]],
    ] as const) {
      const from = since.get(u)!;
      const board = ok(await u.boards.ask('board:subscribe', { boardId: FREE, since: from.board }));
      const posts = board.events.filter((e) => e.type === 'post:created').map((e) => (e.data as PostDto).id);
      assert.deepEqual(posts, expectPosts);
      const again = ok(await u.comments.ask('post:subscribe', { postId: thread.id, since: from.thread }));
      const comments = again.events
        .filter((e) => e.type === 'comment:created')
        .map((e) => (e.data as CommentDto).id);
      assert.deepEqual(comments, expectComments);
    }

    // Lists and reads.
    const listed = async (u: TestUser) =>
      ok(await u.boards.ask('posts:list', { boardId: FREE, limit: 100 })).items.map((p) => p.id);
    const blockerList = await listed(blocker);
    for (const p of trollPosts)
      assert.ok(!blockerList.includes(p.id), `post ${p.id} is listed for the blocker`);
    assert.ok(blockerList.includes(opPost.id));
    const thirdList = await listed(third);
    for (const p of trollPosts) assert.ok(thirdList.includes(p.id));
    refused(await blocker.boards.ask('post:get', { postId: trollPosts[0]!.id }), 'NOT_FOUND');
    ok(await third.boards.ask('post:get', { postId: trollPosts[0]!.id }));

    const threadOf = async (u: TestUser) =>
      ok(await u.comments.ask('comments:list', { postId: thread.id })).items.flatMap((c) => [
        c.id,
        ...c.replies.map((r) => r.id),
      ]);
    assert.deepEqual(await threadOf(blocker), [opComment.id]);
    assert.deepEqual(
      (await threadOf(third)).sort((a, b) => a - b),
      [first.id, ...trollComments.map((c) => c.id), opComment.id].sort((a, b) => a - b),
    );
  });

  it('when a user lists their blocks, then each shows where it came from (newest first) and never who', async () => {
    const [named, anon, author, blocker] = await users('named', 'anon', 'author', 'blocker');
    const title = `${'긴 제목 '.repeat(10)}${hex()}`;
    const anonymousPost = await post(anon, `익명글 ${hex()}`, true);
    const namedPost = await post(named, title);
    const byAuthor = await comment(author, (await post(author, `내글 ${hex()}`, true)).id);

    const a = ok(await blocker.boards.ask('user:block', { target: { kind: 'post', id: anonymousPost.id } }));
    const b = ok(await blocker.boards.ask('user:block', { target: { kind: 'post', id: namedPost.id } }));
    const c = ok(await blocker.comments.ask('user:block', { target: { kind: 'comment', id: byAuthor.id } }));
    assert.equal(a.label, `익명 in '${anonymousPost.title}'`);
    assert.equal(b.label, `${named.user.nickname} in '${[...title].slice(0, 39).join('')}…'`);
    assert.match(c.label, /^익명\(글쓴이\) in '내글 /);

    const list = ok(await blocker.boards.ask('blocks:list'));
    assert.deepEqual(
      list.map((x) => x.id),
      [c.id, b.id, a.id],
    );
    assert.deepEqual(list[0], c);
    for (const u of [anon, author]) assertNoIdentity('blocks:list', list, u);

    // Nobody else sees them, nor can undo them.
    const [other] = await users('other');
    assert.deepEqual(ok(await other.boards.ask('blocks:list')), []);
    refused(await other.boards.ask('user:unblock', { blockId: a.id }), 'NOT_FOUND');
    assert.equal(ok(await blocker.boards.ask('blocks:list')).length, 3);
  });

  it('when a user blocks themselves, the same author twice, or something missing, then VALIDATION, CONFLICT and NOT_FOUND, and nothing is stored twice', async () => {
    const [me, them] = await users('me', 'them');
    const mine = await post(me, `내글 ${hex()}`, true);
    const myComment = await comment(me, mine.id);
    for (const [kind, id] of [
      ['post', mine.id],
      ['comment', myComment.id],
    ] as const) {
      const error = refused(await me.boards.ask('user:block', { target: { kind, id } }), 'VALIDATION');
      assert.ok(error.fields?.target);
    }

    const theirs = await post(them, `글 ${hex()}`, true);
    const theirComment = await comment(them, mine.id);
    ok(await me.boards.ask('user:block', { target: { kind: 'post', id: theirs.id } }));
    // Their other comment is theirs too: the same person, already blocked.
    refused(
      await me.comments.ask('user:block', { target: { kind: 'comment', id: theirComment.id } }),
      'CONFLICT',
    );

    const gone = await post(them, `지울 글 ${hex()}`);
    ok(await them.boards.ask('post:delete', { postId: gone.id }));
    for (const target of [
      { kind: 'post', id: gone.id },
      { kind: 'post', id: 2_000_000_000 },
      { kind: 'comment', id: 2_000_000_000 },
      { kind: 'message', id: 1 },
    ] as const) {
      refused(await me.boards.ask('user:block', { target }), 'NOT_FOUND');
    }
    refused(await me.boards.ask('user:unblock', { blockId: 2_000_000_000 }), 'NOT_FOUND');
    assert.equal(ok(await me.boards.ask('blocks:list')).length, 1);
  });

  it('when the blocked user comments on or replies in the blocker’s thread, then the blocker gets no notification; others still do', async () => {
    const [owner, troll, friend] = await users('owner', 'troll', 'friend');
    const mine = await post(owner, `내 글 ${hex()}`);
    const trollComment = await comment(troll, mine.id);
    ok(await owner.comments.ask('user:block', { target: { kind: 'comment', id: trollComment.id } }));
    const before = ok(await owner.boards.ask('notifications:list', {})).items.length;
    const notified = collect(owner.boards, 'notification');

    const ownersComment = await comment(owner, mine.id);
    await comment(troll, mine.id);
    await comment(troll, mine.id, { parentId: ownersComment.id });
    await comment(friend, mine.id);

    await until(() => notified.length >= 1, 'the friend’s notification');
    await flush(owner.boards);
    assert.equal(notified.length, 1);
    const items = ok(await owner.boards.ask('notifications:list', {})).items;
    assert.equal(items.length, before + 1);
    assertNoIdentity('the notifications', items, troll);
  });

  it("when the blocker unblocks, then the author's content reaches them again, live and in lists", async () => {
    const [troll, blocker] = await users('troll', 'blocker');
    const earlier = await post(troll, `글 ${hex()}`, true);
    const block = ok(await blocker.boards.ask('user:block', { target: { kind: 'post', id: earlier.id } }));
    ok(await blocker.boards.subscribe('board:subscribe', { boardId: FREE }));
    const pushed = collect<PostDto>(blocker.boards, 'post:created');

    const hidden = await post(troll, `숨김 ${hex()}`, true);
    assert.deepEqual(ok(await blocker.boards.ask('user:unblock', { blockId: block.id })), {
      blockId: block.id,
    });
    refused(await blocker.boards.ask('user:unblock', { blockId: block.id }), 'NOT_FOUND');
    assert.deepEqual(ok(await blocker.boards.ask('blocks:list')), []);

    const shown = await post(troll, `보임 ${hex()}`, true);
    await until(() => pushed.some((e) => e.data.id === shown.id), 'the post after the unblock');
    assert.ok(!pushed.some((e) => e.data.id === hidden.id));
    const listed = ok(await blocker.boards.ask('posts:list', { boardId: FREE, limit: 100 })).items.map(
      (p) => p.id,
    );
    for (const p of [earlier, hidden, shown])
      assert.ok(listed.includes(p.id), `post ${p.id} is listed again`);
    ok(await blocker.boards.ask('post:get', { postId: hidden.id }));
  });
});
