import assert from 'node:assert/strict';
import type { BoardDto, PostDto } from '../shared/dto';
import type { Ack } from '../shared/events';
import { Post } from '../server/features/boards/post.model';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardsByName, idsOf } from './helpers/boards';
import { hex, http, newUser, type TestUser } from './helpers/clients';
import { collect, flush } from './helpers/pushes';

const DEFAULT_BOARDS =
  '자유게시판 비밀게시판 새내기게시판 졸업생게시판 정보게시판 홍보게시판 장터게시판 동아리·학회 취업·진로 시사·이슈'.split(
    ' ',
  );

const boardsOf = (u: TestUser) => boardsByName(u.boards);

describe('/boards posts', () => {
  let s: RunningApp;
  let free: number;
  let secret: number;
  let info: number;
  const posts = () => s.app.db.getRepository(Post);

  before(async () => {
    s = await startApp();
    const boards = await boardsOf(await newUser(s.url, 'setup'));
    free = boards.get('자유게시판')!.id;
    secret = boards.get('비밀게시판')!.id;
    info = boards.get('정보게시판')!.id;
  });

  it('when boards:list is asked, then the ten default boards come with a postCount that grows after post:create', async () => {
    const u = await newUser(s.url, 'lister');
    const before = ok(await u.boards.ask('boards:list'));
    assert.deepEqual(
      before.map((b) => b.name),
      DEFAULT_BOARDS,
    );
    const flags = Object.fromEntries(before.map((b) => [b.name, [b.anonymousOnly, b.hotEligible]]));
    assert.deepEqual(flags['비밀게시판'], [true, true]);
    assert.deepEqual(flags['홍보게시판'], [false, false]);
    assert.deepEqual(flags['장터게시판'], [false, false]);
    assert.deepEqual(flags['자유게시판'], [false, true]);
    const count = (list: BoardDto[]) => list.find((b) => b.id === free)!.postCount;

    ok(await u.boards.ask('post:create', { boardId: free, title: `count ${hex()}`, content: '하나' }));
    const after = ok(await u.boards.ask('boards:list'));
    assert.equal(count(after), count(before) + 1);
    const rest = await http<{ boards: BoardDto[] }>(s.url, 'GET', '/api/boards', { token: u.accessToken });
    assert.equal(rest.status, 200);
    assert.equal(count(rest.body.boards), count(after));
  });

  it('when a member posts, then the ack is the PostDto with clean tags, a subscriber gets one post:created, and the author its own copy', async () => {
    const [alice, bob, carol] = [
      await newUser(s.url, 'alice', '앨리스'),
      await newUser(s.url, 'bob'),
      await newUser(s.url, 'carol'),
    ];
    ok(await bob.boards.ask('board:subscribe', { boardId: free }));
    ok(await alice.boards.ask('board:subscribe', { boardId: free }));
    const toBob = collect<PostDto>(bob.boards, 'post:created');
    const toAlice = collect<PostDto>(alice.boards, 'post:created');
    const k = hex();
    const title = `새 학기 ${k}`;
    const post = ok(
      await alice.boards.ask('post:create', {
        boardId: free,
        title: `  ${title}  `,
        content: '도서관 자리 있나요? 🙏',
        // one tag key (`react<k>`) in four spellings: trimmed, case- and width-folded, first kept
        tags: [`  React${k} `, `react${k}`, `REACT${k}`, `ｒｅａｃｔ${k}`, `스터디${k}`],
      }),
    );
    assert.equal(post.title, title);
    assert.equal(post.boardId, free);
    assert.equal(post.content, '도서관 자리 있나요? 🙏');
    assert.deepEqual([...post.tags].sort(), [`React${k}`, `스터디${k}`].sort());
    assert.equal(post.anonymous, false);
    assert.equal(post.authorName, '앨리스');
    assert.equal(post.authorId, alice.user.id);
    assert.equal(post.isMine, true);
    assert.deepEqual([post.likeCount, post.commentCount, post.scrapCount], [0, 0, 0]);
    assert.deepEqual([post.hotAt, post.bestAt], [null, null]);

    await Promise.all([flush(bob.boards), flush(alice.boards)]);
    const bobs = toBob.filter((e) => e.data.id === post.id);
    const alices = toAlice.filter((e) => e.data.id === post.id);
    assert.equal(bobs.length, 1);
    assert.equal(alices.length, 1);
    assert.equal(bobs[0]!.type, 'post:created');
    assert.equal(bobs[0]!.room, `board:${free}`);
    assert.equal(typeof bobs[0]!.id, 'number');
    assert.deepEqual(bobs[0]!.data, { ...post, isMine: false });
    assert.deepEqual(alices[0]!.data, post);
    assert.equal(alices[0]!.id, bobs[0]!.id);

    const got = ok(await carol.boards.ask('post:get', { postId: post.id }));
    assert.deepEqual(got, { ...post, isMine: false, likedByMe: false, scrappedByMe: false });
    const rest = await http<{ post: PostDto }>(s.url, 'GET', `/api/posts/${post.id}`, {
      token: carol.accessToken,
    });
    assert.equal(rest.status, 200);
    assert.deepEqual(rest.body.post, got);
    assert.equal((await http(s.url, 'GET', `/api/posts/${post.id}`)).status, 401);
  });

  it('when a post is anonymous, then it shows 익명 and no authorId in the ack, the push, posts:list, post:get and REST', async () => {
    const nick = `몰래${hex()}`;
    const [author, bob] = [await newUser(s.url, 'shy', nick), await newUser(s.url, 'bob')];
    ok(await bob.boards.ask('board:subscribe', { boardId: free }));
    const pushed = collect<PostDto>(bob.boards, 'post:created');
    const tag = `anon${hex()}`;
    const post = ok(
      await author.boards.ask('post:create', {
        boardId: free,
        title: '고민 있어요',
        content: '익명으로 씁니다',
        tags: [tag],
        anonymous: true,
      }),
    );
    assert.deepEqual(
      [post.anonymous, post.authorName, post.authorId, post.isMine],
      [true, '익명', null, true],
    );
    await flush(bob.boards);
    const push = pushed.find((e) => e.data.id === post.id);
    assert.ok(push);
    const list = ok(await bob.boards.ask('posts:list', { boardId: free, tag }));
    assert.deepEqual(idsOf(list), [post.id]);
    const got = ok(await bob.boards.ask('post:get', { postId: post.id }));
    const rest = await http<{ post: PostDto }>(s.url, 'GET', `/api/posts/${post.id}`, {
      token: bob.accessToken,
    });
    for (const seen of [push.data, list.items[0]!, got, rest.body.post]) {
      assert.deepEqual(
        [seen.anonymous, seen.authorName, seen.authorId, seen.isMine],
        [true, '익명', null, false],
      );
    }
    const everything = JSON.stringify([post, push, list, got, rest.body]);
    assert.ok(!everything.includes(author.user.username), 'username leaked');
    assert.ok(!everything.includes(nick), 'nickname leaked');
    assert.ok(!everything.includes(`"authorId":${author.user.id}`), 'author id leaked');
  });

  it('when someone posts on 비밀게시판 with anonymous:false, then the post is anonymous anyway', async () => {
    const u = await newUser(s.url, 'secret', '비밀이');
    const post = ok(
      await u.boards.ask('post:create', { boardId: secret, title: '비밀', content: '쉿', anonymous: false }),
    );
    assert.deepEqual([post.anonymous, post.authorName, post.authorId], [true, '익명', null]);
    const other = await newUser(s.url, 'reader');
    const got = ok(await other.boards.ask('post:get', { postId: post.id }));
    assert.deepEqual([got.anonymous, got.authorName, got.authorId], [true, '익명', null]);
    assert.equal((await posts().findByPk(post.id))?.anonymous, true);
  });

  it('when the author updates a post, then subscribers get post:updated and post:get shows the change', async () => {
    const [alice, bob] = [await newUser(s.url, 'editor'), await newUser(s.url, 'bob')];
    const k = hex();
    const post = ok(
      await alice.boards.ask('post:create', {
        boardId: free,
        title: '초안',
        content: '처음',
        tags: [`a${k}`],
      }),
    );
    ok(await bob.boards.ask('board:subscribe', { boardId: free }));
    const pushed = bob.boards.next('post:updated');
    const updated = ok(
      await alice.boards.ask('post:update', { postId: post.id, title: '수정본', tags: [`b${k}`] }),
    );
    assert.deepEqual(
      [updated.title, updated.content, updated.tags, updated.isMine],
      ['수정본', '처음', [`b${k}`], true],
    );
    const push = await pushed;
    assert.equal(push.data.id, post.id);
    assert.equal(push.data.title, '수정본');
    assert.equal(push.data.isMine, false);
    const got = ok(await bob.boards.ask('post:get', { postId: post.id }));
    assert.deepEqual([got.title, got.content, got.tags], ['수정본', '처음', [`b${k}`]]);
    assert.equal(ok(await bob.boards.ask('posts:list', { boardId: free, tag: `a${k}` })).items.length, 0);
  });

  it('when someone else updates or deletes a post, then FORBIDDEN and nothing changes', async () => {
    const [alice, mallory] = [await newUser(s.url, 'owner'), await newUser(s.url, 'mallory')];
    const post = ok(
      await alice.boards.ask('post:create', { boardId: free, title: '내 글', content: '원문' }),
    );
    refused(await mallory.boards.ask('post:update', { postId: post.id, title: '탈취' }), 'FORBIDDEN');
    refused(await mallory.boards.ask('post:delete', { postId: post.id }), 'FORBIDDEN');
    const got = ok(await mallory.boards.ask('post:get', { postId: post.id }));
    assert.deepEqual([got.title, got.content], ['내 글', '원문']);
    refused(await mallory.boards.ask('post:update', { postId: 2 ** 31 - 1, title: 'x' }), 'NOT_FOUND');
    refused(await mallory.boards.ask('post:get', { postId: 2 ** 31 - 1 }), 'NOT_FOUND');
  });

  it('when the author deletes a post, then post:deleted is pushed, and post:get, posts:list and REST no longer find it', async () => {
    const [alice, bob] = [await newUser(s.url, 'deleter'), await newUser(s.url, 'bob')];
    const tag = `del${hex()}`;
    const post = ok(
      await alice.boards.ask('post:create', { boardId: info, title: '곧 지움', content: '.', tags: [tag] }),
    );
    const countBefore = (await boardsOf(bob)).get('정보게시판')!.postCount;
    ok(await bob.boards.ask('board:subscribe', { boardId: info }));
    const pushed = bob.boards.next('post:deleted');
    assert.deepEqual(ok(await alice.boards.ask('post:delete', { postId: post.id })), { postId: post.id });
    const push = await pushed;
    assert.deepEqual(push.data, { postId: post.id, boardId: info });
    assert.equal(push.room, `board:${info}`);

    refused(await bob.boards.ask('post:get', { postId: post.id }), 'NOT_FOUND');
    assert.deepEqual(ok(await bob.boards.ask('posts:list', { boardId: info, tag })).items, []);
    const rest = await http(s.url, 'GET', `/api/posts/${post.id}`, { token: bob.accessToken });
    assert.equal(rest.status, 404);
    assert.equal((await boardsOf(bob)).get('정보게시판')!.postCount, countBefore - 1);
    refused(await alice.boards.ask('post:delete', { postId: post.id }), 'NOT_FOUND');
    // soft: the row stays
    assert.ok((await posts().findByPk(post.id))?.deletedAt);
  });

  describe('tags', () => {
    it('when a post has 30 tags, one of them 30 characters long, then all are kept', async () => {
      const u = await newUser(s.url, 'tagger');
      const k = hex();
      const tags = Array.from({ length: 29 }, (_, i) => `t${i}_${k}`).concat(`${k}${'가'.repeat(22)}`);
      assert.equal(tags[29]!.length, 30);
      const post = ok(
        await u.boards.ask('post:create', { boardId: free, title: '많은 태그', content: '.', tags }),
      );
      assert.deepEqual([...post.tags].sort(), [...tags].sort());
      const got = ok(await u.boards.ask('post:get', { postId: post.id }));
      assert.equal(got.tags.length, 30);
    });

    it('when there are 31 tags, or a tag is 31 characters, empty or blank, then VALIDATION on tags and nothing stored', async () => {
      const u = await newUser(s.url, 'tagger');
      const k = hex();
      const cases: Array<[string[], string]> = [
        [Array.from({ length: 31 }, (_, i) => `t${i}_${k}`), 'tags'],
        [['ok', 'x'.repeat(31)], 'tags.1'],
        [[''], 'tags.0'],
        [['fine', '   '], 'tags.1'],
      ];
      for (const [tags, field] of cases) {
        const title = `bad tags ${hex()}`;
        const err = refused(
          await u.boards.ask('post:create', { boardId: free, title, content: '.', tags }),
          'VALIDATION',
        );
        assert.ok(err.fields?.[field], `${field}: ${JSON.stringify(err.fields)}`);
        assert.equal(await posts().count({ where: { title } }), 0);
      }
    });

    it('when two tags differ only past the 30th character of their NFKC form, then both are kept', async () => {
      const u = await newUser(s.url, 'tagger');
      const k = hex();
      // '㎏' folds to 'kg' and emoji take two UTF-16 units: each key is 31 long and differs only at its end
      const tags = [
        `${k}${'㎏'.repeat(11)}a`,
        `${k}${'㎏'.repeat(11)}b`,
        `${k}㎏${'a'.repeat(19)}😀`,
        `${k}㎏${'a'.repeat(19)}😁`,
      ];
      const post = ok(
        await u.boards.ask('post:create', { boardId: free, title: '긴 태그', content: '.', tags }),
      );
      assert.deepEqual([...post.tags].sort(), [...tags].sort());
    });
  });

  describe('bad input', () => {
    it('when the title is empty or 201 characters, or the content 20,001, then VALIDATION naming the field and nothing stored', async () => {
      const u = await newUser(s.url, 'sloppy');
      const k = hex();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ title: '', content: k }, 'title'],
        [{ title: '   ', content: k }, 'title'],
        [{ title: k + 'x'.repeat(201 - k.length), content: '.' }, 'title'],
        [{ title: k, content: 'x'.repeat(20_001) }, 'content'],
        [{ title: k, content: '' }, 'content'],
      ];
      const before = await posts().count();
      for (const [fields, name] of cases) {
        const res: Ack<PostDto> = await u.boards.socket.emitWithAck('post:create', {
          boardId: free,
          ...fields,
        });
        const err = refused(res, 'VALIDATION');
        assert.ok(err.fields?.[name], `${name}: ${JSON.stringify(err.fields)}`);
      }
      assert.equal(await posts().count(), before);
      // the limits themselves are allowed
      const edge = ok(
        await u.boards.ask('post:create', {
          boardId: free,
          title: 'y'.repeat(200),
          content: 'z'.repeat(20_000),
        }),
      );
      assert.deepEqual([edge.title.length, edge.content.length], [200, 20_000]);
    });

    it('when the payload has unknown fields or is not an object, then VALIDATION and nothing stored', async () => {
      const u = await newUser(s.url, 'sloppy');
      const before = await posts().count();
      const extra: Ack<PostDto> = await u.boards.socket.emitWithAck('post:create', {
        boardId: free,
        title: 't',
        content: 'c',
        authorId: 1,
      });
      assert.ok(refused(extra, 'VALIDATION').fields?.authorId);
      for (const payload of ['{"boardId":1}', 42, null, [free, 't', 'c']]) {
        const res: Ack<PostDto> = await u.boards.socket.emitWithAck('post:create', payload);
        const err = refused(res, 'VALIDATION');
        assert.ok(
          err.fields && '' in err.fields,
          `${JSON.stringify(payload)}: ${JSON.stringify(err.fields)}`,
        );
      }
      refused(
        await u.boards.ask('post:create', { boardId: 2 ** 31 - 1, title: 't', content: 'c' }),
        'NOT_FOUND',
      );
      assert.equal(await posts().count(), before);
    });

    it('when the payload carries a __proto__ key, then VALIDATION naming it, Object.prototype unchanged, nothing stored', async () => {
      const u = await newUser(s.url, 'proto');
      const title = `proto ${hex()}`;
      const payload: unknown = JSON.parse(
        `{"__proto__":{"polluted":1},"boardId":${free},"title":"${title}","content":"c"}`,
      );
      const res: Ack<PostDto> = await u.boards.socket.emitWithAck('post:create', payload);
      const err = refused(res, 'VALIDATION');
      assert.ok(err.fields && Object.hasOwn(err.fields, '__proto__'), JSON.stringify(err.fields));
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(await posts().count({ where: { title } }), 0);
      // the socket still works
      assert.equal((await u.boards.ask('whoami')).ok, true);
    });
  });

  describe('with POST_COOLDOWN=1m', () => {
    let c: RunningApp;
    before(async () => {
      c = await startApp({ POST_COOLDOWN: '1m' });
    });

    it('when a user posts twice on one board, then RATE_LIMITED with retryAfter; another board still works', async () => {
      const [u, other] = [await newUser(c.url, 'eager'), await newUser(c.url, 'calm')];
      ok(await u.boards.ask('post:create', { boardId: free, title: '첫 글', content: '.' }));
      const title = `too soon ${hex()}`;
      const err = refused(
        await u.boards.ask('post:create', { boardId: free, title, content: '.' }),
        'RATE_LIMITED',
      );
      assert.ok(
        err.retryAfter !== undefined && err.retryAfter > 0 && err.retryAfter <= 60,
        String(err.retryAfter),
      );
      assert.equal(await c.app.db.getRepository(Post).count({ where: { title } }), 0);
      ok(await u.boards.ask('post:create', { boardId: info, title: '다른 게시판', content: '.' }));
      // the cooldown is per user
      ok(await other.boards.ask('post:create', { boardId: free, title: '나도', content: '.' }));
    });
  });
});
