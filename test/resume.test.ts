import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { CommentDto, NotificationDto, PostDto, PushEvent } from '../shared/dto';
import type { Ack } from '../shared/events';
import { failed, ok } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardsByName } from './helpers/boards';
import { hex, newUsers, socket, type TestUser } from './helpers/clients';
import { until, wait } from './helpers/waiting';

function assertIncreasing(events: PushEvent[], after: number): void {
  let last = after;
  for (const e of events) {
    assert.ok(e.id > last, `event ids must increase: ${e.id} after ${last}`);
    last = e.id;
  }
}

describe('event log and resume', () => {
  let s: RunningApp;
  let FREE: number;

  /** Fresh users on `app`, one per name. */
  const users = <T extends readonly string[]>(app: RunningApp, ...names: T) =>
    newUsers(app.url, names, () => `닉-${hex()}`);
  const newPost = async (u: TestUser, anonymous = false, tags?: string[]): Promise<PostDto> =>
    ok(
      await u.boards.ask('post:create', {
        boardId: FREE,
        title: `글 ${hex()}`,
        content: '내용',
        anonymous,
        tags,
      }),
    );
  const comment = async (u: TestUser, postId: number, content: string, extra = {}): Promise<CommentDto> =>
    ok(await u.comments.ask('comment:create', { postId, content, ...extra }));
  /** Subscribes to the board and returns the id of the next post:created this user sees (made by `writer`). */
  const lastSeenAfterPost = async (subscriber: TestUser, writer: TestUser): Promise<number> => {
    ok(await subscriber.boards.ask('board:subscribe', { boardId: FREE }));
    const seen = subscriber.boards.next('post:created');
    const post = await newPost(writer);
    const e = await seen;
    assert.equal(e.data.id, post.id);
    return e.id;
  };
  const resumeBoard = async (app: RunningApp, u: TestUser, since: number) =>
    socket(app.url, '/boards', { token: u.accessToken }).ask('board:subscribe', { boardId: FREE, since });
  const count = async (sql: string, replacements: Record<string, unknown>): Promise<number> => {
    const [row] = await s.app.db.query<{ n: number }>(sql, { replacements, type: QueryTypes.SELECT });
    return Number(row?.n);
  };

  before(async () => {
    s = await startApp();
    const [u] = await users(s, 'x');
    FREE = (await boardsByName(u.boards)).get('자유게시판')!.id;
  });

  it('when a board subscriber reconnects with since, then it gets exactly the missed post:created and post:commented, in order, once, and live events follow', async () => {
    const [x, y] = await users(s, 'x', 'y');
    const last = await lastSeenAfterPost(x, y);
    x.boards.close();
    const posts: PostDto[] = [];
    for (let i = 0; i < 5; i++) posts.push(await newPost(y));
    for (const p of posts.slice(0, 3)) await comment(y, p.id, '놓친 댓글');

    const again = socket(s.url, '/boards', { token: x.accessToken });
    const { events } = ok(await again.ask('board:subscribe', { boardId: FREE, since: last }));
    const summary = events.map((e) => {
      const d = e.data as { id?: number; postId?: number; commentCount?: number };
      return e.type === 'post:created' ? [e.type, d.id] : [e.type, d.postId, d.commentCount];
    });
    assert.deepEqual(summary, [
      ...posts.map((p) => ['post:created', p.id]),
      ...posts.slice(0, 3).map((p) => ['post:commented', p.id, 1]),
    ]);
    assertIncreasing(events, last);
    assert.ok(events.every((e) => e.room === `board:${FREE}`));
    assert.deepEqual(events[0]?.data, { ...posts[0], isMine: false });

    const live = again.next('post:created');
    const after = await newPost(y);
    const pushed = await live;
    assert.equal(pushed.data.id, after.id);
    assert.ok(pushed.id > events[events.length - 1]!.id);
  });

  it('when a thread subscriber reconnects with since, then post:subscribe returns exactly the missed comment:created, in order', async () => {
    const [x, y, z] = await users(s, 'x', 'y', 'z');
    const post = await newPost(y);
    ok(await x.comments.ask('post:subscribe', { postId: post.id }));
    const seen = x.comments.next('comment:created');
    await comment(z, post.id, '처음');
    const last = (await seen).id;
    x.comments.close();
    const root = await comment(y, post.id, '놓친 하나');
    const missed = [
      root,
      await comment(z, post.id, '놓친 답', { parentId: root.id }),
      await comment(z, post.id, '놓친 셋'),
    ];

    const again = socket(s.url, '/comments', { token: x.accessToken });
    const { events } = ok(await again.ask('post:subscribe', { postId: post.id, since: last }));
    assert.deepEqual(
      events.map((e) => [e.type, e.room]),
      missed.map(() => ['comment:created', `post:${post.id}`]),
    );
    assert.deepEqual(
      events.map((e) => e.data),
      missed.map((c) => ({ ...c, isMine: false })),
    );
    assertIncreasing(events, last);
  });

  it("when a user resumes with me:resume, then they get their own notification events after since, nobody else's", async () => {
    const [a, b, c] = await users(s, 'a', 'b', 'c');
    await a.boards.ask('whoami');
    const post = await newPost(a, true);
    const seen = a.boards.next('notification');
    const first = await comment(b, post.id, '하나', { anonymous: true });
    const last = (await seen).id;
    a.boards.close();
    const second = await comment(b, post.id, '둘', { anonymous: true });
    const reply = await comment(c, post.id, '답', { anonymous: true, parentId: first.id });

    const summary = (events: PushEvent[]) =>
      events.map((e) => {
        const n = e.data as NotificationDto;
        return [e.type, e.room, n.type, n.commentId, n.actorName];
      });
    const again = socket(s.url, '/boards', { token: a.accessToken });
    const mine = ok(await again.ask('me:resume', { since: last })).events;
    assert.deepEqual(summary(mine), [
      ['notification', `user:${a.user.id}`, 'comment', second.id, '익명1'],
      ['notification', `user:${a.user.id}`, 'comment', reply.id, '익명2'],
    ]);
    assertIncreasing(mine, last);
    // Ids are per room: B's own room is read from its start.
    const theirs = ok(await b.boards.ask('me:resume', { since: 0 })).events;
    assert.deepEqual(summary(theirs), [['notification', `user:${b.user.id}`, 'reply', reply.id, '익명2']]);
  });

  it('when since is beyond the newest event, then every resume answers RESYNC_REQUIRED', async () => {
    const [x] = await users(s, 'x');
    const post = await newPost(x);
    const future = 2 ** 52;
    const acks = [
      await x.boards.ask('board:subscribe', { boardId: FREE, since: future }),
      await x.comments.ask('post:subscribe', { postId: post.id, since: future }),
      await x.boards.ask('me:resume', { since: future }),
    ];
    for (const res of acks) assert.equal(failed(res).code, 'RESYNC_REQUIRED');
  });

  it('when since is older than the kept window, then RESYNC_REQUIRED; from the oldest kept event on, resume works', async () => {
    const app = await startApp({ EVENT_LOG_RETENTION: '1s' });
    const [x, y] = await users(app, 'x', 'y');
    ok(await x.boards.ask('board:subscribe', { boardId: FREE }));
    let seen = x.boards.next('post:created');
    await newPost(y);
    const old = (await seen).id;
    await wait(1_200);
    seen = x.boards.next('post:created');
    const kept = await newPost(y);
    const newest = (await seen).id;
    // What the periodic prune does to rows past the retention window.
    await app.app.db.query('DELETE FROM events WHERE room = :room AND seq < :newest', {
      replacements: { room: `board:${FREE}`, newest },
    });

    assert.equal(failed(await resumeBoard(app, x, old - 1)).code, 'RESYNC_REQUIRED');
    const { events } = ok(await resumeBoard(app, x, newest - 1));
    assert.deepEqual(
      events.map((e) => [e.id, (e.data as PostDto).id]),
      [[newest, kept.id]],
    );
  });

  it('when more events were missed than RESUME_MAX_EVENTS, then RESYNC_REQUIRED; up to it, they are returned', async () => {
    const app = await startApp({ RESUME_MAX_EVENTS: '3' });
    const [x, y] = await users(app, 'x', 'y');
    ok(await x.boards.ask('board:subscribe', { boardId: FREE }));
    const seen = x.boards.next('post:created');
    await newPost(y);
    const last = (await seen).id;
    x.boards.close();
    const posts: PostDto[] = [];
    for (let i = 0; i < 3; i++) posts.push(await newPost(y));
    const three = ok(await resumeBoard(app, x, last)).events;
    assert.deepEqual(
      three.map((e) => (e.data as PostDto).id),
      posts.map((p) => p.id),
    );
    for (let i = 0; i < 2; i++) await newPost(y);
    assert.equal(failed(await resumeBoard(app, x, last)).code, 'RESYNC_REQUIRED');
  });

  it('when two users resume the same events, then isMine is computed for each of them', async () => {
    const [x, y, z] = await users(s, 'x', 'y', 'z');
    const since = await lastSeenAfterPost(z, z);
    const anonymous = await newPost(x, true);
    const named = await newPost(x);
    const theirs = await newPost(y);
    const posts = async (u: TestUser) =>
      ok(await resumeBoard(s, u, since)).events.map((e) => {
        const d = e.data as PostDto;
        return [d.id, d.isMine, d.authorId];
      });
    assert.deepEqual(await posts(x), [
      [anonymous.id, true, null],
      [named.id, true, x.user.id],
      [theirs.id, false, y.user.id],
    ]);
    assert.deepEqual(await posts(y), [
      [anonymous.id, false, null],
      [named.id, false, x.user.id],
      [theirs.id, true, y.user.id],
    ]);

    await comment(x, theirs.id, '엑스', { anonymous: true });
    await comment(y, theirs.id, '와이');
    const thread = async (u: TestUser) => {
      const client = socket(s.url, '/comments', { token: u.accessToken });
      // Ids are per room: the thread's room is read from its start.
      const { events } = ok(await client.ask('post:subscribe', { postId: theirs.id, since: 0 }));
      return events.map((e) => (e.data as CommentDto).isMine);
    };
    assert.deepEqual(await thread(x), [true, false]);
    assert.deepEqual(await thread(y), [false, true]);
  });

  it('when the database fails in the middle of post:create, then the ack is INTERNAL, nothing is stored, pushed or logged', async () => {
    const [x, y] = await users(s, 'x', 'y');
    const last = await lastSeenAfterPost(x, y);
    const pushed: number[] = [];
    x.boards.on('post:created', (e) => pushed.push(e.data.id));
    const title = `실패할 글 ${hex()}`;
    const tag = `tag${hex()}`;
    const input = { boardId: FREE, title, content: '반쯤 써진 글', tags: [tag] };
    // A real failure in the database, half way through: the post row is written, its tag
    // link is refused (the write path does not go through model hooks, so nothing else can
    // stand in for the database here).
    const db = s.app.db;
    await db.query(
      db.getDialect() === 'sqlite'
        ? "CREATE TRIGGER quad_test_fail BEFORE INSERT ON post_tags BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        : "CREATE TRIGGER quad_test_fail BEFORE INSERT ON post_tags FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'",
    );
    let res: Ack<PostDto>;
    try {
      res = await y.boards.ask('post:create', input);
    } finally {
      await db.query('DROP TRIGGER quad_test_fail');
    }
    const error = failed(res);
    assert.equal(error.code, 'INTERNAL');
    assert.doesNotMatch(JSON.stringify(error), /injected|post_tags|insert|sequelize/i);
    await wait(300);
    assert.equal(pushed.length, 0, `pushed ${pushed.join()}`);
    assert.equal(await count('SELECT COUNT(*) AS n FROM posts WHERE title = :title', { title }), 0);
    assert.equal(await count('SELECT COUNT(*) AS n FROM tags WHERE nameKey = :tag', { tag }), 0);
    assert.deepEqual(ok(await resumeBoard(s, x, last)).events, []);

    // the same command succeeds once the database behaves
    const post = ok(await y.boards.ask('post:create', input));
    assert.deepEqual(post.tags, [tag]);
    await until(() => pushed.includes(post.id), 'the post:created push');
    const { events } = ok(await resumeBoard(s, x, last));
    assert.deepEqual(
      events.map((e) => (e.data as PostDto).id),
      [post.id],
    );
  });

  it("when a client floods post:create, then it gets RATE_LIMITED after the limit while other users' commands and deliveries go on", async () => {
    const app = await startApp({ SOCKET_RATE_LIMIT: '20', SOCKET_RATE_WINDOW: '10s' });
    const [flooder, watcher, writer] = await users(app, 'flooder', 'watcher', 'writer');
    ok(await watcher.boards.ask('board:subscribe', { boardId: FREE }));
    const delivered = new Set<number>();
    watcher.boards.on('post:created', (e) => delivered.add(e.data.id));
    const prefix = `도배 ${hex()}`;
    const flood = Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        flooder.boards.ask('post:create', { boardId: FREE, title: `${prefix} ${i}`, content: '도배' }),
      ),
    );
    const steady = (async () => {
      const made: PostDto[] = [];
      for (let i = 0; i < 5; i++) made.push(await newPost(writer));
      return made;
    })();
    const [acks, written] = await Promise.all([flood, steady]);

    const accepted = acks.flatMap((r) => (r.ok ? [r.data] : []));
    const refused = acks.flatMap((r) => (r.ok ? [] : [r.error]));
    assert.equal(accepted.length, 20);
    assert.equal(refused.length, 20);
    for (const e of refused) {
      assert.equal(e.code, 'RATE_LIMITED');
      assert.ok(
        Number.isInteger(e.retryAfter) && e.retryAfter! >= 1 && e.retryAfter! <= 10,
        String(e.retryAfter),
      );
    }
    await until(
      () => [...written, ...accepted].every((p) => delivered.has(p.id)),
      "the writer's and the accepted posts at the watcher",
    );
    const [row] = await app.app.db.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM posts WHERE title LIKE :p',
      {
        replacements: { p: `${prefix} %` },
        type: QueryTypes.SELECT,
      },
    );
    assert.equal(Number(row?.n), 20);
  });

  it('when a client sends an unknown event, then /boards and /comments ack NOT_FOUND', async () => {
    const [x] = await users(s, 'x');
    for (const client of [x.boards, x.comments]) {
      const res = (await client.socket
        .timeout(5_000)
        .emitWithAck('post:teleport', { postId: 1 })) as Ack<unknown>;
      assert.equal(failed(res).code, 'NOT_FOUND', client.namespace);
    }
  });
});
