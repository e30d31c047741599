import assert from 'node:assert/strict';
import type { Socket } from 'socket.io-client';
import type { PostDto, PushEvent } from '../shared/dto';
import { failed, ok } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardsByName } from './helpers/boards';
import { hex, http, newUsers, type TestUser } from './helpers/clients';

function omit(o: object, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

/** The first push of `event` matching `pred` (fails after 5 s rather than at mocha's timeout). */
function until<T>(
  client: { socket: Socket },
  event: string,
  pred: (e: PushEvent<T>) => boolean,
): Promise<PushEvent<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching ${event} within 5 s`)), 5_000);
    const listener = (e: PushEvent<T>) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      client.socket.off(event, listener);
      resolve(e);
    };
    client.socket.on(event, listener);
  });
}

/** Every value under one of `keys`, anywhere in a JSON value. */
function valuesUnder(value: unknown, keys: Set<string>, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) valuesUnder(v, keys, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (keys.has(k)) out.push(v);
      valuesUnder(v, keys, out);
    }
  }
  return out;
}

describe('/comments', () => {
  let s: RunningApp;
  let FREE: number;
  let SECRET: number;

  const users = <T extends readonly string[]>(...names: T) => newUsers(s.url, names, () => `닉-${hex()}`);
  const newPost = async (u: TestUser, boardId: number, anonymous = false): Promise<PostDto> =>
    ok(await u.boards.ask('post:create', { boardId, title: `글 ${hex()}`, content: '내용', anonymous }));
  const comment = (
    u: TestUser,
    postId: number,
    content: string,
    extra: { parentId?: number; anonymous?: boolean } = {},
  ) => u.comments.ask('comment:create', { postId, content, ...extra });
  const thread = async (u: TestUser, postId: number) =>
    ok(await u.comments.ask('comments:list', { postId })).items;
  /** Connected, with the personal room joined (a command round trip comes after the connection handler). */
  const ready = (...us: TestUser[]) => Promise.all(us.map((u) => u.boards.ask('whoami')));

  before(async () => {
    s = await startApp();
    const [u] = await users('ann');
    const boards = await boardsByName(u.boards);
    FREE = boards.get('자유게시판')!.id;
    SECRET = boards.get('비밀게시판')!.id;
  });

  describe('threads', () => {
    it("when someone comments, then the ack is the CommentDto, subscribers get comment:created (isMine only in the author's copy) and the board gets post:commented", async () => {
      const [a, b, c] = await users('ann', 'ben', 'cho');
      const post = await newPost(a, FREE);
      ok(await a.boards.ask('board:subscribe', { boardId: FREE }));
      for (const u of [b, c]) ok(await u.comments.ask('post:subscribe', { postId: post.id }));
      const bSaw: number[] = [];
      b.comments.on('comment:created', (e) => bSaw.push(e.data.id));
      const [mine, theirs, counted] = [
        b.comments.next('comment:created'),
        c.comments.next('comment:created'),
        a.boards.next('post:commented'),
      ];
      const dto = ok(await comment(b, post.id, '첫 댓글'));
      assert.deepEqual(omit(dto, 'id', 'createdAt'), {
        postId: post.id,
        parentId: null,
        content: '첫 댓글',
        anonymous: false,
        authorName: b.user.nickname,
        authorId: b.user.id,
        isMine: true,
        isPostAuthor: false,
        deleted: false,
        likeCount: 0,
      });
      const [m, t, n] = await Promise.all([mine, theirs, counted]);
      assert.deepEqual(m.data, dto);
      assert.deepEqual(t.data, { ...dto, isMine: false });
      assert.deepEqual([t.type, t.room, t.id], ['comment:created', `post:${post.id}`, m.id]);
      assert.deepEqual(n.data, { postId: post.id, commentCount: 1 });
      assert.ok(n.id > t.id);
      // B's own socket got its copy once, not also the room's copy
      const arrived = until<{ content: string }>(
        b.comments,
        'comment:created',
        (e) => e.data.content === '둘째',
      );
      const second = ok(await comment(c, post.id, '둘째'));
      await arrived;
      assert.deepEqual(bSaw, [dto.id, second.id]);
      assert.equal(ok(await a.boards.ask('post:get', { postId: post.id })).commentCount, 2);
    });

    it('when comments:list is asked, then top-level comments come oldest first with replies under their parent, paged by cursor', async () => {
      const [a, b, c] = await users('ann', 'ben', 'cho');
      const post = await newPost(a, FREE);
      const c1 = ok(await comment(b, post.id, '하나'));
      const c2 = ok(await comment(c, post.id, '둘'));
      const r1 = ok(await comment(c, post.id, '하나에 답', { parentId: c1.id }));
      const c3 = ok(await comment(b, post.id, '셋'));
      const r2 = ok(await comment(a, post.id, '하나에 또 답', { parentId: c1.id }));
      const r3 = ok(await comment(b, post.id, '둘에 답', { parentId: c2.id }));
      const all = ok(await c.comments.ask('comments:list', { postId: post.id }));
      assert.deepEqual(
        all.items.map((t) => [t.id, t.isMine, t.replies.map((r) => [r.id, r.parentId, r.isMine])]),
        [
          [
            c1.id,
            false,
            [
              [r1.id, c1.id, true],
              [r2.id, c1.id, false],
            ],
          ],
          [c2.id, true, [[r3.id, c2.id, false]]],
          [c3.id, false, []],
        ],
      );
      assert.equal(all.nextCursor, null);
      const first = ok(await c.comments.ask('comments:list', { postId: post.id, limit: 2 }));
      assert.deepEqual(
        first.items.map((t) => t.id),
        [c1.id, c2.id],
      );
      assert.equal(typeof first.nextCursor, 'string');
      const rest = ok(
        await c.comments.ask('comments:list', { postId: post.id, limit: 2, cursor: first.nextCursor! }),
      );
      assert.deepEqual(
        rest.items.map((t) => [t.id, t.replies.length]),
        [[c3.id, 0]],
      );
      assert.equal(rest.nextCursor, null);
    });

    it('when content is empty or over 1000 characters, then VALIDATION naming content and nothing is stored; 1 and 1000 are fine', async () => {
      const [a, b] = await users('ann', 'ben');
      const post = await newPost(a, FREE);
      for (const content of ['', '   ', 'x'.repeat(1001)]) {
        const e = failed(await comment(b, post.id, content));
        assert.equal(e.code, 'VALIDATION');
        assert.ok(e.fields?.content, JSON.stringify(e));
      }
      ok(await comment(b, post.id, 'x'));
      ok(await comment(b, post.id, 'ㅋ'.repeat(1000)));
      assert.deepEqual(
        (await thread(a, post.id)).map((t) => t.content.length),
        [1, 1000],
      );
      assert.equal(ok(await a.boards.ask('post:get', { postId: post.id })).commentCount, 2);
    });

    it('when a reply answers a reply, then VALIDATION naming parentId and nothing is stored', async () => {
      const [a, b, c] = await users('ann', 'ben', 'cho');
      const post = await newPost(a, FREE);
      const root = ok(await comment(b, post.id, '원댓글'));
      const reply = ok(await comment(c, post.id, '답글', { parentId: root.id }));
      const e = failed(await comment(b, post.id, '답글의 답글', { parentId: reply.id }));
      assert.equal(e.code, 'VALIDATION');
      assert.ok(e.fields?.parentId, JSON.stringify(e));
      assert.deepEqual(
        (await thread(a, post.id)).map((t) => [t.id, t.replies.map((r) => r.id)]),
        [[root.id, [reply.id]]],
      );
    });

    it('when the parent is on another post, or the post or comment does not exist, then NOT_FOUND', async () => {
      const [a, b] = await users('ann', 'ben');
      const post = await newPost(a, FREE);
      const elsewhere = await newPost(a, FREE);
      const foreign = ok(await comment(b, elsewhere.id, '다른 글의 댓글'));
      assert.equal(
        failed(await comment(b, post.id, '엉뚱한 답', { parentId: foreign.id })).code,
        'NOT_FOUND',
      );
      const missing = 2_000_000_000;
      assert.equal(failed(await comment(b, missing, '없는 글')).code, 'NOT_FOUND');
      assert.equal(failed(await b.comments.ask('comments:list', { postId: missing })).code, 'NOT_FOUND');
      assert.equal(failed(await b.comments.ask('post:subscribe', { postId: missing })).code, 'NOT_FOUND');
      for (const cmd of ['comment:delete', 'comment:like', 'comment:unlike'] as const) {
        assert.equal(failed(await b.comments.ask(cmd, { commentId: missing })).code, 'NOT_FOUND', cmd);
      }
      assert.deepEqual(await thread(a, post.id), []);
    });

    it('when someone else deletes a comment, then FORBIDDEN; when its author does, then it shows as deleted, its replies stay and comment:deleted is pushed', async () => {
      const [a, b, c] = await users('ann', 'ben', 'cho');
      const post = await newPost(a, FREE);
      const root = ok(await comment(b, post.id, '지울 댓글'));
      const reply = ok(await comment(c, post.id, '남을 답글', { parentId: root.id }));
      ok(await c.comments.ask('post:subscribe', { postId: post.id }));
      for (const u of [c, a]) {
        assert.equal(
          failed(await u.comments.ask('comment:delete', { commentId: root.id })).code,
          'FORBIDDEN',
        );
      }
      const pushed = c.comments.next('comment:deleted');
      const gone = { commentId: root.id, postId: post.id };
      assert.deepEqual(ok(await b.comments.ask('comment:delete', { commentId: root.id })), gone);
      assert.deepEqual((await pushed).data, gone);
      const [t] = await thread(c, post.id);
      assert.ok(t);
      assert.deepEqual(
        [t.id, t.deleted, t.content, t.authorName, t.authorId],
        [root.id, true, '', '(삭제)', null],
      );
      assert.deepEqual(
        t.replies.map((r) => [r.id, r.content, r.deleted]),
        [[reply.id, '남을 답글', false]],
      );
      assert.equal(failed(await b.comments.ask('comment:delete', { commentId: root.id })).code, 'NOT_FOUND');
      assert.equal(ok(await a.boards.ask('post:get', { postId: post.id })).commentCount, 1);
    });

    it("when comments are liked, then comment:liked carries the count; twice is CONFLICT, one's own is FORBIDDEN, unlike lowers it", async () => {
      const [a, b, c] = await users('ann', 'ben', 'cho');
      const post = await newPost(a, FREE);
      const target = ok(await comment(b, post.id, '공감해 주세요'));
      ok(await c.comments.ask('post:subscribe', { postId: post.id }));
      const ref = { commentId: target.id };
      const pushed = c.comments.next('comment:liked');
      const liked = { commentId: target.id, postId: post.id, likeCount: 1 };
      assert.deepEqual(ok(await a.comments.ask('comment:like', ref)), liked);
      assert.deepEqual((await pushed).data, liked);
      assert.equal(failed(await a.comments.ask('comment:like', ref)).code, 'CONFLICT');
      assert.equal(failed(await b.comments.ask('comment:like', ref)).code, 'FORBIDDEN');
      assert.equal(ok(await c.comments.ask('comment:like', ref)).likeCount, 2);
      assert.deepEqual(ok(await a.comments.ask('comment:unlike', ref)), { ...liked, likeCount: 1 });
      assert.equal(failed(await a.comments.ask('comment:unlike', ref)).code, 'CONFLICT');
      assert.equal((await thread(a, post.id))[0]?.likeCount, 1);
    });
  });

  describe('anonymity', () => {
    it('when anonymous commenters join an anonymous thread, then they are 익명1, 익명2… by first appearance, keep their number, and numbers are never reused', async () => {
      const [a, b, c, d, e] = await users('ann', 'ben', 'cho', 'dan', 'eun');
      const post = await newPost(a, FREE, true);
      const anon = { anonymous: true };
      const b1 = ok(await comment(b, post.id, 'B 첫 댓글', anon));
      const c1 = ok(await comment(c, post.id, 'C 첫 댓글', anon));
      const b2 = ok(await comment(b, post.id, 'B 답글', { ...anon, parentId: c1.id }));
      const c2 = ok(await comment(c, post.id, 'C 답글', { ...anon, parentId: b1.id }));
      const b3 = ok(await comment(b, post.id, 'B 두 번째 댓글', anon));
      const d1 = ok(await comment(d, post.id, 'D 곧 지움', anon));
      ok(await d.comments.ask('comment:delete', { commentId: d1.id }));
      const e1 = ok(await comment(e, post.id, 'E 댓글', anon));
      const d2 = ok(await comment(d, post.id, 'D 다시', anon));
      const acks = [b1, c1, b2, c2, b3, d1, e1, d2];
      assert.deepEqual(
        acks.map((x) => x.authorName),
        ['익명1', '익명2', '익명1', '익명2', '익명1', '익명3', '익명4', '익명3'],
      );
      for (const x of acks) assert.deepEqual([x.anonymous, x.authorId, x.isPostAuthor], [true, null, false]);
      const names = new Map<number, string>();
      for (const t of await thread(a, post.id)) {
        for (const x of [t, ...t.replies]) {
          names.set(x.id, x.authorName);
          assert.deepEqual([x.authorId, x.isMine], [null, false]);
        }
      }
      assert.deepEqual(
        acks.map((x) => names.get(x.id)),
        ['익명1', '익명2', '익명1', '익명2', '익명1', '(삭제)', '익명4', '익명3'],
      );
    });

    it("when the post's author comments on their anonymous post, then it shows as 익명(글쓴이), even with anonymous:false; named comments show the nickname", async () => {
      const [a, b, c] = await users('ann', 'ben', 'cho');
      const post = await newPost(a, FREE, true);
      const flagged = ok(await comment(a, post.id, '익명으로', { anonymous: true }));
      const unflagged = ok(await comment(a, post.id, '실명 플래그', { anonymous: false }));
      const bAnon = ok(await comment(b, post.id, 'B 익명', { anonymous: true }));
      const reply = ok(await comment(a, post.id, '글쓴이 답글', { parentId: bAnon.id }));
      const cNamed = ok(await comment(c, post.id, 'C 실명', { anonymous: false }));
      for (const x of [flagged, unflagged, reply]) {
        assert.deepEqual(
          [x.authorName, x.isPostAuthor, x.anonymous, x.authorId, x.isMine],
          ['익명(글쓴이)', true, true, null, true],
        );
      }
      assert.equal(bAnon.authorName, '익명1', 'the author takes no number');
      assert.deepEqual(
        [cNamed.authorName, cNamed.authorId, cNamed.anonymous, cNamed.isPostAuthor],
        [c.user.nickname, c.user.id, false, false],
      );
      const seenByB = new Map(
        (await thread(b, post.id)).flatMap((t) => [t, ...t.replies]).map((x) => [x.id, x]),
      );
      const fromB = seenByB.get(unflagged.id)!;
      assert.deepEqual(
        [fromB.authorName, fromB.isPostAuthor, fromB.isMine, fromB.authorId],
        ['익명(글쓴이)', true, false, null],
      );
      assert.equal(seenByB.get(cNamed.id)?.authorName, c.user.nickname);
      // on a named post the author's named comment keeps the nickname
      const named = await newPost(a, FREE);
      const own = ok(await comment(a, named.id, '실명 글쓴이'));
      assert.deepEqual([own.authorName, own.authorId, own.isPostAuthor], [a.user.nickname, a.user.id, true]);
    });

    it('when someone comments on 비밀게시판, then the comment is anonymous even with anonymous:false', async () => {
      const [a, b] = await users('ann', 'ben');
      const post = await newPost(a, SECRET);
      assert.deepEqual([post.anonymous, post.authorName, post.authorId], [true, '익명', null]);
      const bc = ok(await comment(b, post.id, '비밀 댓글', { anonymous: false }));
      const ac = ok(await comment(a, post.id, '글쓴이', { anonymous: false }));
      assert.deepEqual([bc.anonymous, bc.authorName, bc.authorId], [true, '익명1', null]);
      assert.deepEqual([ac.anonymous, ac.authorName, ac.authorId], [true, '익명(글쓴이)', null]);
      const text = JSON.stringify(await thread(b, post.id));
      for (const u of [a, b]) assert.ok(!text.includes(u.user.nickname));
    });

    it('when three users take part in an anonymous thread, then no ack, push or REST read any of them gets names another', async () => {
      const people = await users('leakA', 'leakB', 'leakC');
      const [a, b, c] = people;
      const views = new Map<TestUser, unknown[]>(people.map((u) => [u, []]));
      for (const [u, seen] of views) {
        for (const client of [u.boards, u.comments]) {
          client.socket.onAny((event: string, ...args: unknown[]) => seen.push({ event, args }));
        }
      }
      await ready(a, b, c);
      const rec = async <T>(u: TestUser, p: Promise<T>): Promise<T> => {
        const r = await p;
        views.get(u)!.push(r);
        return r;
      };
      for (const u of people) ok(await rec(u, u.boards.ask('board:subscribe', { boardId: FREE })));
      const title = `익명 글 ${hex()}`;
      const created = until<PostDto>(b.boards, 'post:created', (e) => e.data.title === title);
      const post = ok(
        await rec(
          a,
          a.boards.ask('post:create', {
            boardId: FREE,
            title,
            content: '누가?',
            tags: ['익명'],
            anonymous: true,
          }),
        ),
      );
      const since = (await created).id - 1;
      for (const u of people) ok(await rec(u, u.comments.ask('post:subscribe', { postId: post.id })));
      const anon = { anonymous: true };
      const c1 = ok(await rec(b, comment(b, post.id, 'B의 댓글', anon)));
      const c2 = ok(await rec(c, comment(c, post.id, 'C의 댓글', anon)));
      const r1 = ok(await rec(b, comment(b, post.id, 'B의 답글', { ...anon, parentId: c2.id })));
      ok(await rec(c, comment(c, post.id, 'C의 답글', { ...anon, parentId: c1.id })));
      const r3 = ok(await rec(a, comment(a, post.id, '글쓴이 답글', { ...anon, parentId: c1.id })));
      ok(await rec(a, comment(a, post.id, '실명 플래그', { anonymous: false })));
      ok(await rec(a, a.comments.ask('comment:like', { commentId: c1.id })));
      ok(await rec(b, b.comments.ask('comment:like', { commentId: c2.id })));
      ok(await rec(c, c.comments.ask('comment:like', { commentId: r3.id })));
      ok(await rec(c, c.comments.ask('comment:like', { commentId: r1.id })));
      ok(await rec(b, b.boards.ask('post:like', { postId: post.id })));
      ok(await rec(c, c.boards.ask('post:like', { postId: post.id })));
      failed(await rec(a, a.boards.ask('post:like', { postId: post.id })));
      failed(await rec(b, b.comments.ask('comment:like', { commentId: c1.id })));
      for (const u of people) {
        ok(await rec(u, u.comments.ask('comments:list', { postId: post.id })));
        ok(await rec(u, u.boards.ask('post:get', { postId: post.id })));
        ok(await rec(u, u.boards.ask('posts:list', { boardId: FREE })));
        ok(await rec(u, u.boards.ask('notifications:list', {})));
        // Ids are per room: the board from just before the post, the others from their start.
        ok(await rec(u, u.boards.ask('me:resume', { since: 0 })));
        ok(await rec(u, u.boards.ask('board:subscribe', { boardId: FREE, since })));
        ok(await rec(u, u.comments.ask('post:subscribe', { postId: post.id, since: 0 })));
        for (const path of [
          `/api/posts/${post.id}/comments`,
          `/api/posts/${post.id}`,
          `/api/boards/${FREE}/posts`,
        ]) {
          const res = await http(s.url, 'GET', path, { token: u.accessToken });
          assert.equal(res.status, 200, path);
          views.get(u)!.push(res.body);
        }
      }
      // A last comment: once everyone has it on both namespaces, every earlier push has arrived.
      const closing = `끝 ${hex()}`;
      const arrived = people.flatMap((u) => [
        until<{ content: string }>(u.comments, 'comment:created', (e) => e.data.content === closing),
        until<{ postId: number; commentCount: number }>(
          u.boards,
          'post:commented',
          (e) => e.data.postId === post.id && e.data.commentCount === 7,
        ),
      ]);
      ok(await rec(c, comment(c, post.id, closing, anon)));
      await Promise.all(arrived);

      const label = (u: TestUser) => 'ABC'[people.indexOf(u)];
      for (const viewer of people) {
        const seen = JSON.parse(JSON.stringify(views.get(viewer))) as unknown;
        const text = JSON.stringify(seen);
        const identities = valuesUnder(seen, new Set(['authorId', 'userId', 'username', 'actorId']));
        const roomNames = valuesUnder(seen, new Set(['room'])).map(String);
        for (const other of people.filter((u) => u !== viewer)) {
          const who = `${label(viewer)}'s view names ${label(other)}`;
          assert.ok(!identities.includes(other.user.id), `${who} by id`);
          assert.ok(!text.includes(other.user.nickname), `${who} by nickname`);
          assert.ok(
            !roomNames.some((r) => r === `user:${other.user.id}` || r.endsWith(`|u${other.user.id}`)),
            `${who} by room`,
          );
        }
        for (const u of people)
          assert.ok(!text.includes(u.user.username), `${label(viewer)} saw ${label(u)}'s username`);
        // not vacuous: the view holds the thread as rendered
        for (const name of ['익명1', '익명2', '익명(글쓴이)'])
          assert.ok(text.includes(`"authorName":"${name}"`), `${label(viewer)} lacks ${name}`);
        assert.ok(text.includes(closing) && text.includes('"event":"comment:created"'));
      }
      const pushText = (u: TestUser) =>
        JSON.stringify(
          views.get(u)!.filter((x) => valuesUnder(x, new Set(['event'])).includes('notification')),
        );
      assert.match(pushText(a), /"actorName":"익명1"/);
      assert.match(pushText(b), /"actorName":"익명\(글쓴이\)"/);
      assert.match(pushText(c), /"actorName":"익명1"/);
    });
  });

  describe('notifications', () => {
    it("when B comments anonymously on A's post, then A gets a comment notification naming B as in the thread; a reply notifies the parent's author", async () => {
      const [a, b, c] = await users('ann', 'ben', 'cho');
      await ready(a, b);
      const post = await newPost(a, FREE, true);
      const toA = a.boards.next('notification');
      // Every namespace joins user:<id>; only /boards delivers notification (docs/protocol.md §4).
      const elsewhere: unknown[] = [];
      for (const other of [a.comments.socket, a.timetables.socket]) {
        other.on('notification', (e: unknown) => elsewhere.push(e));
        await new Promise<void>((r) => (other.connected ? r() : other.once('connect', () => r())));
      }
      const bc = ok(await comment(b, post.id, '좋은 글이네요', { anonymous: true }));
      const n = await toA;
      await Promise.all([a.comments.ask('whoami'), a.timetables.ask('whoami')]);
      assert.deepEqual(elsewhere, []);
      assert.deepEqual([n.type, n.room], ['notification', `user:${a.user.id}`]);
      assert.deepEqual(omit(n.data, 'id', 'createdAt'), {
        type: 'comment',
        postId: post.id,
        commentId: bc.id,
        boardId: FREE,
        text: '좋은 글이네요',
        actorName: '익명1',
        read: false,
      });
      assert.ok(!JSON.stringify(n).includes(b.user.nickname));
      const [toB, toA2] = [b.boards.next('notification'), a.boards.next('notification')];
      const cr = ok(await comment(c, post.id, '저도요', { anonymous: true, parentId: bc.id }));
      const [nb, na] = await Promise.all([toB, toA2]);
      assert.deepEqual(
        [nb.room, nb.data.type, nb.data.commentId, nb.data.actorName],
        [`user:${b.user.id}`, 'reply', cr.id, '익명2'],
      );
      assert.deepEqual([na.data.type, na.data.commentId, na.data.actorName], ['comment', cr.id, '익명2']);
      const toA3 = a.boards.next('notification');
      ok(await comment(c, post.id, '실명 댓글', { anonymous: false }));
      assert.equal((await toA3).data.actorName, c.user.nickname);
    });

    it('when notifications are listed and read, then pages follow the cursor, read answers the unread count and whoami follows', async () => {
      const [a, b] = await users('ann', 'ben');
      const post = await newPost(a, FREE);
      const made: number[] = [];
      for (let i = 0; i < 3; i++) made.push(ok(await comment(b, post.id, `알림 ${i}`)).id);
      const newestFirst = [...made].reverse();
      assert.equal(ok(await a.boards.ask('whoami')).unreadNotifications, 3);
      const first = ok(await a.boards.ask('notifications:list', { limit: 2 }));
      assert.deepEqual(
        first.items.map((n) => n.commentId),
        newestFirst.slice(0, 2),
      );
      const rest = ok(await a.boards.ask('notifications:list', { limit: 2, cursor: first.nextCursor! }));
      assert.deepEqual([rest.items.map((n) => n.commentId), rest.nextCursor], [newestFirst.slice(2), null]);
      const [top] = first.items;
      assert.ok(top);
      assert.deepEqual(ok(await a.boards.ask('notifications:read', { ids: [top.id] })), { unread: 2 });
      assert.equal(ok(await a.comments.ask('whoami')).unreadNotifications, 2);
      const all = ok(await a.boards.ask('notifications:list', {})).items;
      assert.deepEqual(
        all.map((n) => n.read),
        [true, false, false],
      );
      assert.deepEqual(ok(await a.boards.ask('notifications:read', { all: true })), { unread: 0 });
      assert.equal(ok(await a.boards.ask('whoami')).unreadNotifications, 0);
      assert.ok(ok(await a.boards.ask('notifications:list', {})).items.every((n) => n.read));
    });

    it("when a user marks someone else's notification ids as read, then theirs stay unread", async () => {
      const [a, b] = await users('ann', 'ben');
      const post = await newPost(b, FREE);
      ok(await comment(a, post.id, '알림 갈 댓글'));
      const [theirs] = ok(await b.boards.ask('notifications:list', {})).items;
      assert.ok(theirs);
      assert.deepEqual(ok(await a.boards.ask('notifications:read', { ids: [theirs.id] })), { unread: 0 });
      assert.deepEqual(ok(await a.boards.ask('notifications:read', { all: true })), { unread: 0 });
      assert.equal(ok(await b.boards.ask('whoami')).unreadNotifications, 1);
      assert.equal(ok(await b.boards.ask('notifications:list', {})).items[0]?.read, false);
    });
  });
});
