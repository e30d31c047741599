import assert from 'node:assert/strict';
import type { NotificationDto, Page, PostDto } from '../shared/dto';
import type { ErrorWire } from '../shared/errors';
import type { InputOf, BoardsCommands } from '../shared/events';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardsByName, idsOf } from './helpers/boards';
import { hex, http, newUser, type TestUser } from './helpers/clients';
import { collect, flush } from './helpers/pushes';
import { scratchDatabase, type ScratchDb } from './helpers/scratch-db';

type ListInput = InputOf<BoardsCommands, 'posts:list'>;

/** Walks every page; fails on a repeated id. */
async function walk(u: TestUser, input: ListInput): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = ok(await u.boards.ask('posts:list', cursor === undefined ? input : { ...input, cursor }));
    assert.ok(page.items.length <= (input.limit ?? 20));
    ids.push(...page.items.map((p) => p.id));
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids.join(',')}`);
  return ids;
}

describe('/boards listing, likes and scraps', () => {
  let s: RunningApp;
  let free: number;
  let promo: number;

  before(async () => {
    s = await startApp({ HOT_THRESHOLD: '3', BEST_THRESHOLD: '4' });
    const boards = await boardsByName((await newUser(s.url, 'setup')).boards);
    free = boards.get('자유게시판')!.id;
    promo = boards.get('홍보게시판')!.id;
  });

  /** Fresh users, one after the other. */
  async function users<N extends string[]>(...names: N): Promise<{ [K in keyof N]: TestUser }> {
    const out: TestUser[] = [];
    for (const name of names) out.push(await newUser(s.url, name));
    return out as { [K in keyof N]: TestUser }; // one user per name, in order
  }
  const create = async (u: TestUser, input: Partial<InputOf<BoardsCommands, 'post:create'>> = {}) =>
    ok(await u.boards.ask('post:create', { boardId: free, title: '제목', content: '내용', ...input }));

  describe('posts:list', () => {
    it('when filtering by author, then only that user’s named posts match, never their anonymous ones', async () => {
      const [alice, bob] = [await newUser(s.url, 'alice'), await newUser(s.url, 'bob')];
      const named = await create(alice, { title: '실명 글' });
      await create(alice, { title: '익명 글', anonymous: true });
      await create(bob);
      const list = ok(await bob.boards.ask('posts:list', { boardId: free, author: alice.user.username }));
      assert.deepEqual(idsOf(list), [named.id]);
      assert.equal(list.nextCursor, null);
      const nobody = ok(await bob.boards.ask('posts:list', { boardId: free, author: `nobody_${hex()}` }));
      assert.deepEqual(nobody.items, []);
    });

    it('when filtering by q, then Korean text in the title or the content matches, case-insensitively', async () => {
      const u = await newUser(s.url, 'searcher');
      const k = hex();
      const inTitle = await create(u, { title: `벚꽃${k} 축제 언제?`, content: '궁금' });
      const inContent = await create(u, { title: '질문', content: `올해 벚꽃${k} 명소 Quad${k} 추천` });
      await create(u, { title: '벚꽃', content: '상관없음' });
      const ids = async (q: string) =>
        ok(await u.boards.ask('posts:list', { boardId: free, q })).items.map((p) => p.id);
      assert.deepEqual(await ids(`벚꽃${k}`), [inContent.id, inTitle.id]);
      assert.deepEqual(await ids(`quad${k}`), [inContent.id]);
      assert.deepEqual(await ids(`없는말${k}`), []);
    });

    it('when filtering by tag and dates, then only posts with that tag inside the range match', async () => {
      const u = await newUser(s.url, 'dated');
      const tag = `date${hex()}`;
      const post = await create(u, { tags: [tag] });
      await create(u, { tags: [`other${hex()}`] });
      const at = new Date(post.createdAt);
      const iso = (ms: number) => new Date(at.getTime() + ms).toISOString();
      const day = post.createdAt.slice(0, 10);
      const nextDay = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
      const count = async (range: Partial<ListInput>) =>
        ok(await u.boards.ask('posts:list', { boardId: free, tag: tag.toUpperCase(), ...range })).items
          .length;
      assert.equal(await count({}), 1);
      assert.equal(await count({ from: post.createdAt }), 1);
      assert.equal(await count({ from: iso(1) }), 0);
      assert.equal(await count({ to: post.createdAt }), 0, '`to` as a date-time is exclusive');
      assert.equal(await count({ to: iso(1) }), 1);
      assert.equal(await count({ from: day, to: day }), 1, '`to` as a date includes that whole day');
      assert.equal(await count({ from: nextDay }), 0);
      assert.equal(await count({ from: iso(-60_000), to: iso(60_000) }), 1);
    });

    it('when walking the pages newest and oldest first, then every post comes once, in order', async () => {
      const u = await newUser(s.url, 'pager');
      const tag = `page${hex()}`;
      const made: number[] = [];
      for (let i = 0; i < 7; i++) made.push((await create(u, { title: `글 ${i}`, tags: [tag] })).id);
      const newest = [...made].reverse();
      assert.deepEqual(await walk(u, { boardId: free, tag, limit: 3 }), newest);
      assert.deepEqual(await walk(u, { boardId: free, tag, limit: 3, order: 'oldest' }), made);
      assert.deepEqual(await walk(u, { boardId: free, tag, limit: 7 }), newest);
      const first = ok(await u.boards.ask('posts:list', { boardId: free, tag, limit: 3 }));
      assert.equal(first.items.length, 3);
      assert.equal(typeof first.nextCursor, 'string');
    });

    it('when ordering by likes or comments, then pages follow the counts (ties newest first) without gaps', async () => {
      const [u, l1, l2] = await users('popular', 'l1', 'l2');
      const tag = `rank${hex()}`;
      const made: number[] = [];
      for (let i = 0; i < 4; i++) made.push((await create(u, { tags: [tag] })).id);
      const [a, b, c, d] = made as [number, number, number, number];
      const like = async (liker: TestUser, postId: number) =>
        ok(await liker.boards.ask('post:like', { postId }));
      const comment = async (postId: number) =>
        ok(await l1.comments.ask('comment:create', { postId, content: '댓글' }));
      await like(l1, a);
      await like(l1, b);
      await like(l1, d);
      await like(l2, d);
      await comment(c);
      await comment(c);
      await comment(a);
      // likes: d 2, b 1, a 1, c 0 · comments: c 2, a 1, d 0, b 0
      assert.deepEqual(await walk(u, { boardId: free, tag, order: 'likes', limit: 1 }), [d, b, a, c]);
      assert.deepEqual(await walk(u, { boardId: free, tag, order: 'comments', limit: 1 }), [c, a, d, b]);
      assert.deepEqual(await walk(u, { boardId: free, tag, order: 'likes', limit: 3 }), [d, b, a, c]);
    });

    it('when the limit is 101, the cursor is foreign or the board unknown, then VALIDATION or NOT_FOUND', async () => {
      const u = await newUser(s.url, 'bad');
      assert.ok(
        refused(await u.boards.ask('posts:list', { boardId: free, limit: 101 }), 'VALIDATION').fields?.limit,
      );
      assert.ok(
        refused(await u.boards.ask('posts:list', { boardId: free, limit: 0 }), 'VALIDATION').fields?.limit,
      );
      const b64 = (text: string) => Buffer.from(text).toString('base64url');
      for (const cursor of ['nope!', b64('[1]'), b64('{}'), b64('[1, 1.5]')])
        assert.ok(
          refused(await u.boards.ask('posts:list', { boardId: free, cursor }), 'VALIDATION').fields?.cursor,
          cursor,
        );
      refused(await u.boards.ask('posts:list', { boardId: 2 ** 31 - 1 }), 'NOT_FOUND');
      refused(await u.boards.ask('posts:list', { boardId: free, order: 'random' as 'newest' }), 'VALIDATION');
    });

    it('when a cursor decodes but carries a value of the wrong type, then VALIDATION, not a silently wrong page', async () => {
      const u = await newUser(s.url, 'forger');
      const forged = (value: unknown) => Buffer.from(JSON.stringify([value, 5])).toString('base64url');
      const likes = await u.boards.ask('posts:list', {
        boardId: free,
        order: 'likes',
        cursor: forged('abc'),
      });
      assert.ok(refused(likes, 'VALIDATION').fields?.cursor);
      for (const which of ['posts:hot', 'posts:best'] as const)
        assert.ok(
          refused(await u.boards.ask(which, { cursor: forged('garbage') }), 'VALIDATION').fields?.cursor,
          which,
        );
    });

    it('when listing over REST, then GET /api/boards/:id/posts filters and pages like posts:list', async () => {
      const u = await newUser(s.url, 'rest');
      const tag = `rest${hex()}`;
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push((await create(u, { tags: [tag] })).id);
      const get = (query: string) =>
        http<Page<PostDto>>(s.url, 'GET', `/api/boards/${free}/posts?${query}`, { token: u.accessToken });
      const first = await get(`tag=${encodeURIComponent(tag)}&limit=2`);
      assert.equal(first.status, 200);
      assert.deepEqual(idsOf(first.body), [ids[2], ids[1]]);
      const second = await get(`tag=${tag}&limit=2&cursor=${first.body.nextCursor}`);
      assert.deepEqual(idsOf(second.body), [ids[0]]);
      assert.equal(second.body.nextCursor, null);
      const bad = await get('limit=101');
      assert.equal(bad.status, 400);
      assert.ok((bad.body as unknown as { error: ErrorWire }).error.fields?.limit);
      assert.equal(
        (await http(s.url, 'GET', '/api/boards/999999999/posts', { token: u.accessToken })).status,
        404,
      );
      assert.equal((await http(s.url, 'GET', `/api/boards/${free}/posts`)).status, 401);
    });
  });

  describe('tags:popular, on a database of its own (so the counts are exact)', () => {
    let scratch: ScratchDb;
    let t: RunningApp;
    before(async () => {
      scratch = await scratchDatabase();
      t = await startApp({ DATABASE_URL: scratch.url });
    });
    after(async () => {
      await t.stop();
      await scratch.drop();
    });

    it('when tags:popular is asked, then it counts live posts per tag, most used first, overall and per board', async () => {
      const u = await newUser(t.url, 'popular');
      const boards = ok(await u.boards.ask('boards:list'));
      const id = (name: string) => boards.find((b) => b.name === name)!.id;
      const [free, info] = [id('자유게시판'), id('정보게시판')];
      const on = async (boardId: number, tags: string[]) =>
        ok(await u.boards.ask('post:create', { boardId, title: 'p', content: '.', tags }));
      const first = await on(free, ['alpha', 'bravo']);
      await on(free, ['alpha', 'bravo']);
      await on(free, ['Alpha']);
      await on(info, ['alpha', 'delta']);
      await on(info, ['alpha', 'charlie']);
      const popular = async (input: { boardId?: number; limit?: number } = {}) =>
        ok(await u.boards.ask('tags:popular', input)).map((x) => `${x.name} ${x.count}`);
      assert.deepEqual(await popular(), ['alpha 5', 'bravo 2', 'charlie 1', 'delta 1']);
      assert.deepEqual(await popular({ boardId: free }), ['alpha 3', 'bravo 2']);
      assert.deepEqual(await popular({ boardId: info }), ['alpha 2', 'charlie 1', 'delta 1']);
      assert.deepEqual(await popular({ limit: 2 }), ['alpha 5', 'bravo 2']);
      ok(await u.boards.ask('post:delete', { postId: first.id }));
      assert.deepEqual(await popular({ boardId: free }), ['alpha 2', 'bravo 1']);
      const rest = await http<{ tags: Array<{ name: string; count: number }> }>(
        t.url,
        'GET',
        `/api/tags/popular?boardId=${info}&limit=2`,
        { token: u.accessToken },
      );
      assert.equal(rest.status, 200);
      assert.deepEqual(rest.body.tags, [
        { name: 'alpha', count: 2 },
        { name: 'charlie', count: 1 },
      ]);
    });
  });

  describe('likes', () => {
    it('when a member likes a post, then the ack and post:liked on the board and post rooms carry the count', async () => {
      const [author, fan, watcher] = await users('author', 'fan', 'watch');
      const post = await create(author);
      ok(await watcher.boards.ask('board:subscribe', { boardId: free }));
      ok(await watcher.comments.ask('post:subscribe', { postId: post.id }));
      const onBoard = watcher.boards.next('post:liked');
      const onPost = watcher.comments.next('post:liked');
      assert.deepEqual(ok(await fan.boards.ask('post:like', { postId: post.id })), {
        postId: post.id,
        likeCount: 1,
      });
      const [b, p] = await Promise.all([onBoard, onPost]);
      assert.deepEqual([b.data, b.room], [{ postId: post.id, likeCount: 1 }, `board:${free}`]);
      assert.deepEqual([p.data, p.room], [{ postId: post.id, likeCount: 1 }, `post:${post.id}`]);
      const got = ok(await fan.boards.ask('post:get', { postId: post.id }));
      assert.deepEqual([got.likeCount, got.likedByMe], [1, true]);

      refused(await fan.boards.ask('post:like', { postId: post.id }), 'CONFLICT');
      refused(await author.boards.ask('post:like', { postId: post.id }), 'FORBIDDEN');
      refused(await fan.boards.ask('post:like', { postId: 2 ** 31 - 1 }), 'NOT_FOUND');
      assert.equal(ok(await fan.boards.ask('post:get', { postId: post.id })).likeCount, 1);

      const unliked = watcher.boards.next('post:liked');
      assert.deepEqual(ok(await fan.boards.ask('post:unlike', { postId: post.id })), {
        postId: post.id,
        likeCount: 0,
      });
      assert.deepEqual((await unliked).data, { postId: post.id, likeCount: 0 });
      refused(await fan.boards.ask('post:unlike', { postId: post.id }), 'CONFLICT');
      refused(await fan.boards.ask('post:unlike', { postId: 2 ** 31 - 1 }), 'NOT_FOUND');
      const after = ok(await fan.boards.ask('post:get', { postId: post.id }));
      assert.deepEqual([after.likeCount, after.likedByMe], [0, false]);
    });

    it('when a post reaches HOT_THRESHOLD then BEST_THRESHOLD, then post:hot and post:best once each, and the author is notified', async () => {
      const author = await newUser(s.url, 'star');
      const fans = await users('f1', 'f2', 'f3', 'f4');
      const post = await create(author, { title: `인기글 ${hex()}` });
      const earlier = await create(author);
      ok(await author.boards.ask('board:subscribe', { boardId: free }));
      const hot = collect<PostDto>(author.boards, 'post:hot');
      const best = collect<PostDto>(author.boards, 'post:best');
      const notes = collect<NotificationDto>(author.boards, 'notification');
      const likes = async (postId: number, from: number, to: number) => {
        for (const fan of fans.slice(from, to)) ok(await fan.boards.ask('post:like', { postId }));
      };
      await likes(earlier.id, 0, 3);
      await likes(post.id, 0, 2);
      await flush(author.boards);
      assert.equal(hot.filter((e) => e.data.id === post.id).length, 0);

      await likes(post.id, 2, 3);
      await flush(author.boards);
      const hots = hot.filter((e) => e.data.id === post.id);
      assert.equal(hots.length, 1);
      assert.ok(hots[0]!.data.hotAt);
      assert.equal(hots[0]!.data.likeCount, 3);
      const note = notes.find((e) => e.data.type === 'hot' && e.data.postId === post.id);
      assert.ok(note, JSON.stringify(notes));
      assert.equal(note.room, `user:${author.user.id}`);
      assert.deepEqual([note.data.boardId, note.data.text, note.data.read], [free, post.title, false]);
      const listed = ok(await author.boards.ask('notifications:list', {}));
      assert.ok(listed.items.some((n) => n.id === note.data.id && n.type === 'hot'));
      assert.equal(ok(await author.boards.ask('whoami')).unreadNotifications, 2); // `earlier` too
      assert.equal(best.filter((e) => e.data.id === post.id).length, 0);

      await likes(post.id, 3, 4);
      await flush(author.boards);
      assert.equal(hot.filter((e) => e.data.id === post.id).length, 1, 'no second post:hot');
      const bests = best.filter((e) => e.data.id === post.id);
      assert.equal(bests.length, 1);
      assert.ok(bests[0]!.data.bestAt);
      const got = ok(await author.boards.ask('post:get', { postId: post.id }));
      assert.ok(got.hotAt && got.bestAt);
      assert.equal(got.hotAt, hots[0]!.data.hotAt);

      // newest promotion first: `post` became HOT after `earlier`
      const page1 = ok(await author.boards.ask('posts:hot', { boardId: free, limit: 1 }));
      assert.deepEqual(idsOf(page1), [post.id]);
      const page2 = ok(
        await author.boards.ask('posts:hot', { boardId: free, limit: 1, cursor: page1.nextCursor! }),
      );
      assert.deepEqual(idsOf(page2), [earlier.id]);
      assert.deepEqual(idsOf(ok(await author.boards.ask('posts:best', { limit: 1 }))), [post.id]);
    });

    it('when a post on 홍보게시판 gets enough likes, then it never becomes HOT', async () => {
      const author = await newUser(s.url, 'ad');
      const fans = [await newUser(s.url, 'f1'), await newUser(s.url, 'f2'), await newUser(s.url, 'f3')];
      const post = await create(author, { boardId: promo, title: '동아리 홍보' });
      ok(await author.boards.ask('board:subscribe', { boardId: promo }));
      const hot = collect<PostDto>(author.boards, 'post:hot');
      const notes = collect<NotificationDto>(author.boards, 'notification');
      const liked = collect<{ likeCount: number }>(author.boards, 'post:liked');
      for (const fan of fans) ok(await fan.boards.ask('post:like', { postId: post.id }));
      await flush(author.boards);
      assert.deepEqual(
        liked.map((e) => e.data.likeCount),
        [1, 2, 3],
      );
      assert.deepEqual(hot, []);
      assert.deepEqual(notes, []);
      assert.equal(ok(await author.boards.ask('post:get', { postId: post.id })).hotAt, null);
      const hotList = ok(await author.boards.ask('posts:hot', { boardId: promo, limit: 100 })).items;
      assert.ok(!hotList.some((p) => p.id === post.id));
    });
  });

  describe('scraps', () => {
    it('when members scrap posts, then scraps:list shows only mine, and scrapping twice is a CONFLICT', async () => {
      const [author, alice, bob] = await users('author', 'alice', 'bob');
      const [p1, p2] = [await create(author), await create(author)];
      assert.deepEqual(ok(await alice.boards.ask('post:scrap', { postId: p1.id })), {
        postId: p1.id,
        scrapCount: 1,
      });
      assert.deepEqual(ok(await bob.boards.ask('post:scrap', { postId: p2.id })), {
        postId: p2.id,
        scrapCount: 1,
      });
      assert.deepEqual(ok(await bob.boards.ask('post:scrap', { postId: p1.id })), {
        postId: p1.id,
        scrapCount: 2,
      });
      refused(await alice.boards.ask('post:scrap', { postId: p1.id }), 'CONFLICT');
      refused(await alice.boards.ask('post:scrap', { postId: 2 ** 31 - 1 }), 'NOT_FOUND');

      const mine = ok(await alice.boards.ask('scraps:list', {}));
      assert.deepEqual(idsOf(mine), [p1.id]);
      assert.equal(mine.nextCursor, null);
      assert.deepEqual(idsOf(ok(await bob.boards.ask('scraps:list', {}))), [p2.id, p1.id]);
      const got = ok(await alice.boards.ask('post:get', { postId: p1.id }));
      assert.deepEqual([got.scrapCount, got.scrappedByMe], [2, true]);
      ok(await author.boards.ask('post:delete', { postId: p2.id }));
      assert.deepEqual(idsOf(ok(await bob.boards.ask('scraps:list', {}))), [p1.id]);

      assert.deepEqual(ok(await alice.boards.ask('post:unscrap', { postId: p1.id })), {
        postId: p1.id,
        scrapCount: 1,
      });
      refused(await alice.boards.ask('post:unscrap', { postId: p1.id }), 'CONFLICT');
      assert.deepEqual(ok(await alice.boards.ask('scraps:list', {})).items, []);
      assert.equal(ok(await alice.boards.ask('post:get', { postId: p1.id })).scrappedByMe, false);
    });
  });
});
