import assert from 'node:assert/strict';
import type { MyCommentDto, Page, PostDto } from '../shared/dto';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardsByName } from './helpers/boards';
import { hex, http, newUsers, type TestUser } from './helpers/clients';

describe('my posts and comments (me:posts, me:comments)', () => {
  let s: RunningApp;
  let FREE: number;
  let SECRET: number;

  const post = async (u: TestUser, boardId: number, anonymous = false): Promise<PostDto> =>
    ok(await u.boards.ask('post:create', { boardId, title: `글 ${hex()}`, content: '내용', anonymous }));
  const comment = async (u: TestUser, postId: number, anonymous = false) =>
    ok(await u.comments.ask('comment:create', { postId, content: `댓글 ${hex()}`, anonymous }));

  before(async () => {
    // One report hides a post at once, so a hidden one of mine is quick to make.
    s = await startApp({ REPORT_HIDE_THRESHOLD: '1' });
    const [u] = await newUsers(s.url, ['boards'] as const);
    const boards = await boardsByName(u.boards);
    FREE = boards.get('자유게시판')!.id;
    SECRET = boards.get('비밀게시판')!.id;
  });

  it('when I list my posts, then every board, anonymous and hidden ones included (for me alone), newest first, not deleted, and another user sees only theirs', async () => {
    const [me, other] = await newUsers(s.url, ['me', 'other'] as const);
    const named = await post(me, FREE);
    const anon = await post(me, FREE, true);
    const secret = await post(me, SECRET); // 비밀게시판 is anonymous only
    const gone = await post(me, FREE);
    ok(await me.boards.ask('post:delete', { postId: gone.id }));
    const hidden = await post(me, FREE);
    ok(await other.boards.ask('report:create', { target: { kind: 'post', id: hidden.id }, reason: 'spam' }));
    const theirs = await post(other, FREE, true);

    const mine = ok(await me.boards.ask('me:posts', {}));
    assert.deepEqual(
      mine.items.map((p) => p.id),
      [hidden.id, secret.id, anon.id, named.id],
    );
    assert.equal(mine.nextCursor, null);
    for (const p of mine.items) assert.equal(p.isMine, true);
    const byId = new Map(mine.items.map((p) => [p.id, p]));
    assert.deepEqual(
      [byId.get(anon.id)!.anonymous, byId.get(anon.id)!.authorName, byId.get(anon.id)!.authorId],
      [true, '익명', null],
    );
    assert.equal(byId.get(secret.id)!.anonymous, true);
    assert.equal(byId.get(named.id)!.authorName, me.user.nickname);
    assert.ok(byId.get(hidden.id)!.hidden, 'the hidden one is marked');
    assert.equal(byId.get(named.id)!.hidden, undefined);

    const others = ok(await other.boards.ask('me:posts', {}));
    assert.deepEqual(
      others.items.map((p) => p.id),
      [theirs.id],
    );
    assert.equal(others.items[0]!.isMine, true);
    assert.ok(!JSON.stringify(others).includes(me.user.nickname), "nothing of mine in another's list");

    // REST: the same page.
    const rest = await http<Page<PostDto>>(s.url, 'GET', '/api/me/posts', { token: me.accessToken });
    assert.equal(rest.status, 200);
    assert.deepEqual(rest.body, mine);
  });

  it('when I list my comments, then every board, anonymous ones included with their thread alias, each with its post id, board and title; deleted ones and those on deleted posts left out', async () => {
    const [me, op, other] = await newUsers(s.url, ['me', 'op', 'other'] as const);
    const p1 = await post(op, FREE);
    const p2 = await post(op, SECRET);
    const p3 = await post(op, FREE);
    const named = await comment(me, p1.id);
    const anon = await comment(me, p1.id, true);
    const secret = await comment(me, p2.id); // anonymous only
    const gone = await comment(me, p1.id);
    ok(await me.comments.ask('comment:delete', { commentId: gone.id }));
    await comment(me, p3.id);
    ok(await op.boards.ask('post:delete', { postId: p3.id }));
    const theirs = await comment(other, p1.id, true);

    const mine = ok(await me.boards.ask('me:comments', {}));
    assert.deepEqual(
      mine.items.map((c) => c.id),
      [secret.id, anon.id, named.id],
    );
    const byId = new Map<number, MyCommentDto>(mine.items.map((c) => [c.id, c]));
    assert.deepEqual(
      [byId.get(named.id)!.postId, byId.get(named.id)!.boardId, byId.get(named.id)!.postTitle],
      [p1.id, FREE, p1.title],
    );
    assert.deepEqual(
      [byId.get(secret.id)!.boardId, byId.get(secret.id)!.postTitle, byId.get(secret.id)!.anonymous],
      [SECRET, p2.title, true],
    );
    const a = byId.get(anon.id)!;
    assert.deepEqual([a.anonymous, a.authorName, a.authorId, a.isMine], [true, anon.authorName, null, true]);
    assert.match(a.authorName, /^익명\d+$/);
    assert.equal(byId.get(named.id)!.authorName, me.user.nickname);

    const others = ok(await other.boards.ask('me:comments', {}));
    assert.deepEqual(
      others.items.map((c) => c.id),
      [theirs.id],
    );
    assert.ok(!JSON.stringify(others).includes(me.user.nickname));

    const rest = await http<Page<MyCommentDto>>(s.url, 'GET', '/api/me/comments', { token: me.accessToken });
    assert.equal(rest.status, 200);
    assert.deepEqual(rest.body, mine);
  });

  it('when my posts and comments fill several pages, then the cursor walks them newest first, each once', async () => {
    const [me, op] = await newUsers(s.url, ['pager', 'op'] as const);
    const posts: number[] = [];
    const comments: number[] = [];
    const target = await post(op, FREE);
    for (let i = 0; i < 5; i++) {
      posts.push((await post(me, i % 2 ? FREE : SECRET, i % 2 === 0)).id);
      comments.push((await comment(me, target.id, i % 2 === 0)).id);
    }
    for (const command of ['me:posts', 'me:comments'] as const) {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = ok(await me.boards.ask(command, { limit: 2, ...(cursor && { cursor }) }));
        seen.push(...page.items.map((x) => x.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      assert.deepEqual(seen, (command === 'me:posts' ? posts : comments).slice().reverse(), command);
    }
    const rest = await http<Page<PostDto>>(s.url, 'GET', '/api/me/posts?limit=2', { token: me.accessToken });
    assert.equal(rest.body.items.length, 2);
    assert.ok(rest.body.nextCursor);
  });

  it('when the input is bad (limit out of range, a cursor the server never gave, unknown fields, no token), then VALIDATION or 401', async () => {
    const [me] = await newUsers(s.url, ['bad'] as const);
    for (const command of ['me:posts', 'me:comments'] as const) {
      refused(await me.boards.ask(command, { limit: 0 }), 'VALIDATION');
      refused(await me.boards.ask(command, { limit: 101 }), 'VALIDATION');
      refused(await me.boards.ask(command, { cursor: 'nope' }), 'VALIDATION');
      refused(await me.boards.ask(command, { userId: 1 } as never), 'VALIDATION');
    }
    assert.equal((await http(s.url, 'GET', '/api/me/posts?cursor=x')).status, 401);
    assert.equal(
      (await http(s.url, 'GET', '/api/me/comments?limit=500', { token: me.accessToken })).status,
      400,
    );
  });
});
