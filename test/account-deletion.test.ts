import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type {
  AccountExportDto,
  LoginDto,
  NotificationDto,
  Page,
  PostDto,
  SessionDto,
  ThreadDto,
} from '../shared/dto';
import type { ErrorBody } from '../shared/contract';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardsByName } from './helpers/boards';
import {
  connectError,
  hex,
  http,
  newUser,
  newUsers,
  PASSWORD,
  socket,
  type TestUser,
} from './helpers/clients';
import { traces } from './helpers/forgotten';
import { moderationOn, promote } from './helpers/moderation';
import { SEM } from './helpers/timetables';

const DELETED = '(탈퇴한 사용자)';

describe('account deletion and export', () => {
  let s: RunningApp;
  let FREE: number;

  const post = async (u: TestUser, anonymous = false): Promise<PostDto> =>
    ok(
      await u.boards.ask('post:create', { boardId: FREE, title: `글 ${hex()}`, content: '내용', anonymous }),
    );
  const comment = async (u: TestUser, postId: number, anonymous = false) =>
    ok(await u.comments.ask('comment:create', { postId, content: `댓글 ${hex()}`, anonymous }));
  const remove = (u: TestUser, password: string) =>
    http<ErrorBody>(s.url, 'DELETE', '/api/account', { token: u.accessToken, json: { password } });
  const threads = async (u: TestUser, postId: number) =>
    ok(await u.comments.ask('comments:list', { postId })).items as ThreadDto[];
  const gone = (u: TestUser) =>
    Promise.all(
      [u.boards, u.comments, u.timetables].map(
        (c) => new Promise<string>((resolve) => c.socket.once('disconnect', resolve)),
      ),
    );

  before(async () => {
    s = await startApp({ SOCKET_RATE_LIMIT: '100000' });
    const u = await newUser(s.url, 'boards');
    FREE = (await boardsByName(u.boards)).get('자유게시판')!.id;
  });

  it('when the password is wrong, then VALIDATION on password, nothing is deleted, and it counts as a failed login', async () => {
    const strict = await startApp({ LOGIN_MAX_FAILURES: '2' });
    const u = await newUser(strict.url, 'wrongpw');
    ok(await u.boards.ask('whoami'));
    for (let i = 0; i < 2; i++) {
      const res = await http<ErrorBody>(strict.url, 'DELETE', '/api/account', {
        token: u.accessToken,
        json: { password: 'not-the-password' },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'VALIDATION');
      assert.deepEqual(res.body.error.fields, { password: 'is incorrect' });
    }
    // The login-failure limit for this username is spent: even the right password waits now.
    const limited = await http<ErrorBody>(strict.url, 'DELETE', '/api/account', {
      token: u.accessToken,
      json: { password: PASSWORD },
    });
    assert.equal(limited.body.error.code, 'RATE_LIMITED');
    const login = await http<ErrorBody>(strict.url, 'POST', '/api/auth/login', {
      json: { username: u.user.username, password: PASSWORD },
    });
    assert.equal(login.body.error.code, 'RATE_LIMITED');
    const missing = await http<ErrorBody>(strict.url, 'DELETE', '/api/account', {
      token: u.accessToken,
      json: {},
    });
    assert.deepEqual(Object.keys(missing.body.error.fields ?? {}), ['password']);

    // Nothing went: the account, its session and its socket are as they were.
    assert.equal(ok(await u.boards.ask('whoami')).id, u.user.id);
    assert.equal((await http(strict.url, 'GET', '/api/auth/me', { token: u.accessToken })).status, 200);
    const [row] = await strict.app.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM users WHERE id = :id', {
      replacements: { id: u.user.id },
      type: QueryTypes.SELECT,
    });
    assert.equal(Number(row?.n), 1);
  });

  it('when a user deletes the account, then every socket closes, every row of theirs is gone table by table, their posts read (탈퇴한 사용자), anonymous aliases stay, and nothing returns their id or username', async () => {
    const [me, op, other, friend, admin, late] = await newUsers(s.url, [
      'me',
      'op',
      'other',
      'friend',
      'admin',
      'late',
    ] as const);
    const who = { id: me.user.id, username: me.user.username, nickname: me.user.nickname };
    const laptop = await http<LoginDto>(s.url, 'POST', '/api/auth/login', {
      json: { username: who.username, password: PASSWORD },
    });
    const since = ok(await op.boards.ask('board:subscribe', { boardId: FREE })).lastId;

    // What they wrote: a named and an anonymous post, a named comment, the thread's highest alias
    // (익명2, after `other`'s 익명1), and 익명(글쓴이) under their own anonymous post.
    const named = await post(me);
    const anonPost = await post(me, true);
    const opPost = await post(op);
    const first = await comment(other, opPost.id, true);
    const namedComment = await comment(me, opPost.id);
    const anonComment = await comment(me, opPost.id, true);
    const ownThread = await comment(me, anonPost.id, true);
    assert.deepEqual(
      [first.authorName, anonComment.authorName, ownThread.authorName],
      ['익명1', '익명2', '익명(글쓴이)'],
    );
    await comment(other, named.id);

    // What they did to others' things, and what others did about them.
    ok(await me.boards.ask('post:like', { postId: opPost.id }));
    ok(await me.boards.ask('post:scrap', { postId: opPost.id }));
    ok(await me.comments.ask('comment:like', { commentId: first.id }));
    ok(await op.boards.ask('post:like', { postId: named.id }));
    ok(await me.boards.ask('post:mute', { postId: opPost.id }));
    ok(await me.boards.ask('notifications:settings:set', { kinds: { hot: false } }));
    ok(await me.boards.ask('report:create', { target: { kind: 'post', id: opPost.id }, reason: 'spam' }));
    ok(await me.boards.ask('user:block', { target: { kind: 'comment', id: first.id } }));
    ok(await other.boards.ask('report:create', { target: { kind: 'post', id: named.id }, reason: 'abuse' }));
    ok(await op.boards.ask('user:block', { target: { kind: 'post', id: named.id } }));
    const request = ok(await me.timetables.ask('friend:request', { username: friend.user.username }));
    ok(await friend.timetables.ask('friend:accept', { requestId: request.id }));
    ok(await op.timetables.ask('friend:request', { username: who.username }));
    const table = ok(await me.timetables.ask('timetable:create', { semester: SEM, name: '내 시간표' }));
    const withEntry = ok(
      await me.timetables.ask('timetable:addCustom', {
        timetableId: table.id,
        title: '스터디',
        slots: [{ day: 'MON', start: '10:00', end: '11:00' }],
      }),
    );
    await promote(s, admin, 'admin');
    ok(await moderationOn(s, admin).ask('role:set', { username: who.username, role: 'moderator' }));
    const sessions = await http<{ sessions: SessionDto[] }>(s.url, 'GET', '/api/account/sessions', {
      token: me.accessToken,
    });
    assert.equal(sessions.body.sessions.length, 2);

    // Their sockets: three namespaces on this session, one on the other.
    ok(await me.boards.ask('whoami'));
    ok(await me.comments.ask('whoami'));
    ok(await me.timetables.ask('whoami'));
    const other2 = socket(s.url, '/comments', { token: laptop.body.accessToken });
    ok(await other2.ask('whoami'));
    const closed = Promise.all([
      gone(me),
      new Promise<string>((resolve) => other2.socket.once('disconnect', resolve)),
    ]);

    const res = await remove(me, PASSWORD);
    assert.equal(res.status, 204);
    assert.match(String(res.headers.get('set-cookie')), /quad_access=;/);
    const [reasons, last] = await closed;
    assert.deepEqual([...reasons, last], Array(4).fill('io server disconnect'));

    // Its tokens: refused everywhere.
    assert.equal((await http(s.url, 'GET', '/api/auth/me', { token: me.accessToken })).status, 401);
    const reconnect = await connectError(socket(s.url, '/boards', { token: laptop.body.accessToken }));
    assert.ok(
      ['TOKEN_REVOKED', 'TOKEN_INVALID'].includes(String(reconnect.data?.code)),
      reconnect.data?.code,
    );
    const refresh = await http<ErrorBody>(s.url, 'POST', '/api/auth/refresh', {
      json: { refreshToken: me.refreshToken },
    });
    assert.equal(refresh.status, 401);
    const login = await http(s.url, 'POST', '/api/auth/login', {
      json: { username: who.username, password: PASSWORD },
    });
    assert.equal(login.status, 401);

    // Table by table, column by column: nothing holds their id, username or nickname.
    assert.deepEqual(await traces(s.app.db, who), []);
    const left = async (sql: string, replacements: Record<string, unknown>) =>
      Number(
        (await s.app.db.query<{ n: number }>(sql, { replacements, type: QueryTypes.SELECT }))[0]?.n ?? 0,
      );
    const sids = sessions.body.sessions.map((x) => x.id);
    assert.equal(
      await left('SELECT COUNT(*) AS n FROM refresh_tokens WHERE sessionId IN (:sids)', { sids }),
      0,
    );
    assert.equal(
      await left('SELECT COUNT(*) AS n FROM timetable_entries WHERE timetableId = :id', { id: table.id }),
      0,
    );
    const entryId = withEntry.entries[0]!.id;
    assert.equal(
      await left('SELECT COUNT(*) AS n FROM entry_slots WHERE entryId = :entryId', { entryId }),
      0,
    );

    // The posts stay, without an author; the anonymous ones exactly as they were.
    const rest = await http<{ post: PostDto }>(s.url, 'GET', `/api/posts/${named.id}`, {
      token: op.accessToken,
    });
    assert.equal(rest.status, 200);
    assert.deepEqual(
      [
        rest.body.post.authorName,
        rest.body.post.authorId,
        rest.body.post.authorDeleted,
        rest.body.post.likeCount,
      ],
      [DELETED, null, true, 1],
    );
    const viaSocket = ok(await other.boards.ask('post:get', { postId: named.id }));
    assert.deepEqual(
      [viaSocket.authorName, viaSocket.authorDeleted, viaSocket.isMine],
      [DELETED, true, false],
    );
    const anon = ok(await other.boards.ask('post:get', { postId: anonPost.id }));
    assert.deepEqual([anon.authorName, anon.authorId, anon.authorDeleted], ['익명', null, undefined]);
    const listed = ok(await other.boards.ask('posts:list', { boardId: FREE, limit: 50 })).items;
    assert.equal(listed.find((p) => p.id === named.id)?.authorName, DELETED);
    const opNow = ok(await op.boards.ask('post:get', { postId: opPost.id }));
    assert.deepEqual([opNow.likeCount, opNow.scrapCount], [0, 0]);

    const byId = new Map((await threads(other, opPost.id)).map((c) => [c.id, c]));
    assert.deepEqual(
      [byId.get(namedComment.id)?.authorName, byId.get(namedComment.id)?.authorDeleted],
      [DELETED, true],
    );
    assert.deepEqual(
      [first.id, anonComment.id].map((id) => [byId.get(id)?.authorName, byId.get(id)?.authorDeleted]),
      [
        ['익명1', undefined],
        ['익명2', undefined],
      ],
    );
    assert.equal(byId.get(first.id)?.likeCount, 0);
    const [own] = await threads(other, anonPost.id);
    assert.deepEqual([own?.authorName, own?.isPostAuthor], ['익명(글쓴이)', true]);
    // Their number stays theirs: the next anonymous commenter is 익명3, not a second 익명2.
    assert.equal((await comment(late, opPost.id, true)).authorName, '익명3');

    // What others hold: the notification names them as the thread does; the resumed pushes too.
    const notes = ok(await op.boards.ask('notifications:list', {})).items as NotificationDto[];
    const note = notes.find((n) => n.commentId === namedComment.id);
    assert.equal(note?.actorName, DELETED);
    const resumed = ok(await op.boards.ask('board:subscribe', { boardId: FREE, since })).events;
    const pushed = resumed.find((e) => e.type === 'post:created' && (e.data as PostDto).id === named.id);
    assert.deepEqual(
      [(pushed?.data as PostDto).authorName, (pushed?.data as PostDto).authorId],
      [DELETED, null],
    );
    assert.ok(!JSON.stringify(resumed).includes(who.nickname));

    // Nothing answers to their username or id any more.
    const byAuthor = await http<Page<PostDto>>(
      s.url,
      'GET',
      `/api/boards/${FREE}/posts?author=${who.username}`,
      {
        token: op.accessToken,
      },
    );
    assert.deepEqual(byAuthor.body.items, []);
    refused(await op.timetables.ask('friend:request', { username: who.username }), 'NOT_FOUND');
    assert.deepEqual(ok(await friend.timetables.ask('friends:list')), []);
    assert.deepEqual(ok(await op.boards.ask('blocks:list')), []);
    assert.deepEqual(ok(await op.timetables.ask('friends:requests')), { incoming: [], outgoing: [] });
    const log = ok(await moderationOn(s, admin).ask('log:list', {})).items;
    assert.equal(log.find((l) => l.action === 'role')?.detail, `${DELETED}: user → moderator`);
    const queue = ok(await moderationOn(s, admin).ask('queue:list', {})).items;
    assert.equal(
      queue.find((c) => c.target.kind === 'post' && c.target.id === named.id)?.target.authorName,
      DELETED,
    );
  });

  it('when an account is deleted, then its username is refused at signup until the hold ends, in any case, and free after it', async () => {
    const u = await newUser(s.url, 'held');
    assert.equal((await remove(u, PASSWORD)).status, 204);
    const signup = (username: string) =>
      http<ErrorBody>(s.url, 'POST', '/api/auth/signup', {
        json: { username, password: PASSWORD, nickname: `새${hex()}` },
      });
    for (const name of [u.user.username, u.user.username.toUpperCase()]) {
      const res = await signup(name);
      assert.equal(res.status, 409);
      assert.deepEqual(res.body.error.fields, { username: 'is taken' });
    }
    // The hold keeps a hash: nothing in the table reads as the name.
    const holds = await s.app.db.query<{ keyHash: string }>('SELECT keyHash FROM account_holds', {
      type: QueryTypes.SELECT,
    });
    assert.ok(holds.length > 0 && holds.every((h) => /^[0-9a-f]{64}$/.test(h.keyHash)));

    await s.app.db.query('UPDATE account_holds SET until = :past', {
      replacements: { past: new Date(Date.now() - 1000) },
    });
    assert.equal((await signup(u.user.username)).status, 201);
  });

  it('when DELETED_ACCOUNT_HOLD_DAYS is 0, then the username is free at once', async () => {
    const open = await startApp({ DELETED_ACCOUNT_HOLD_DAYS: '0' });
    const u = await newUser(open.url, 'free');
    const res = await http(open.url, 'DELETE', '/api/account', {
      token: u.accessToken,
      json: { password: PASSWORD },
    });
    assert.equal(res.status, 204);
    const again = await http(open.url, 'POST', '/api/auth/signup', {
      json: { username: u.user.username, password: PASSWORD, nickname: `새${hex()}` },
    });
    assert.equal(again.status, 201);
  });

  it('when a user exports their data, then a JSON attachment with their posts (anonymous ones marked), comments with their aliases, timetables, friends by nickname and blocks as labels', async () => {
    const [me, op, friend] = await newUsers(s.url, ['exp', 'op', 'friend'] as const);
    const named = await post(me);
    const anon = await post(me, true);
    const opPost = await post(op, true);
    const c1 = await comment(me, opPost.id, true);
    ok(await me.boards.ask('post:like', { postId: opPost.id }));
    ok(await me.boards.ask('post:scrap', { postId: opPost.id }));
    ok(await me.boards.ask('report:create', { target: { kind: 'post', id: opPost.id }, reason: 'spam' }));
    ok(await me.boards.ask('user:block', { target: { kind: 'post', id: opPost.id } }));
    const request = ok(await me.timetables.ask('friend:request', { username: friend.user.username }));
    ok(await friend.timetables.ask('friend:accept', { requestId: request.id }));
    const table = ok(await me.timetables.ask('timetable:create', { semester: SEM, name: '내 시간표' }));
    await comment(friend, named.id, true);

    const res = await http<AccountExportDto>(s.url, 'GET', '/api/account/export', { token: me.accessToken });
    assert.equal(res.status, 200);
    assert.match(
      String(res.headers.get('content-disposition')),
      new RegExp(`attachment; filename="quad-export-${me.user.username}.json"`),
    );
    const data = res.body;
    assert.equal(data.user.id, me.user.id);
    assert.equal(data.user.username, me.user.username);
    assert.equal(data.sessions.length, 1);
    assert.deepEqual(
      data.posts.map((p) => [p.id, p.anonymous, p.authorName, p.deletedAt]),
      [
        [named.id, false, me.user.nickname, null],
        [anon.id, true, '익명', null],
      ],
    );
    assert.deepEqual(
      data.comments.map((c) => [c.id, c.anonymous, c.authorName]),
      [[c1.id, true, '익명1']],
    );
    assert.deepEqual(
      data.scraps.map((x) => x.postId),
      [opPost.id],
    );
    assert.deepEqual(
      data.likes.posts.map((x) => x.postId),
      [opPost.id],
    );
    assert.deepEqual(
      data.timetables.map((t) => t.id),
      [table.id],
    );
    assert.deepEqual(
      data.friends.map((f) => f.nickname),
      [friend.user.nickname],
    );
    assert.equal(data.notifications.length, 1);
    assert.equal(data.notificationSettings.kinds.comment, true);
    assert.deepEqual(
      data.reports.map((r) => [r.target, r.reason]),
      [[{ kind: 'post', id: opPost.id }, 'spam']],
    );
    // The block reads as where it came from; the anonymous author it hides stays unnamed.
    assert.equal(data.blocks.length, 1);
    assert.ok(!JSON.stringify(data).includes(op.user.username), 'no username of anyone else');
    assert.ok(!JSON.stringify(data).includes(op.user.nickname), 'not the blocked anonymous author');
    assert.ok(!JSON.stringify(data).includes(`"id":${op.user.id},`));
  });
});
