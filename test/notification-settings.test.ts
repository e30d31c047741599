import assert from 'node:assert/strict';
import type { NotificationDto, NotificationSettingsDto, PushEvent } from '../shared/dto';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardId } from './helpers/boards';
import { hex, newUsers, socket, type TestUser } from './helpers/clients';
import { moderationOn, promote } from './helpers/moderation';

const ALL_ON: NotificationSettingsDto = {
  kinds: { comment: true, reply: true, hot: true, friend: true, message: true, moderation: true },
};

describe('notification settings, muted threads and the badge on every socket', () => {
  let s: RunningApp;
  let FREE: number;

  const users = <T extends readonly string[]>(...names: T) => newUsers(s.url, names, () => `닉-${hex()}`);
  /** Another device of the same user: a second /boards connection with their token. */
  const device = async (u: TestUser) => {
    const other = socket(s.url, '/boards', { token: u.accessToken });
    ok(await other.ask('whoami'));
    return other;
  };
  const newPost = async (u: TestUser) =>
    ok(await u.boards.ask('post:create', { boardId: FREE, title: `글 ${hex()}`, content: '내용' }));
  const comment = async (u: TestUser, postId: number, parentId?: number) =>
    ok(await u.comments.ask('comment:create', { postId, content: `댓글 ${hex()}`, parentId }));
  const listed = async (u: TestUser) => ok(await u.boards.ask('notifications:list', {})).items;

  before(async () => {
    // One like makes a post HOT, so the `hot` switch can be tried with two users.
    s = await startApp({ HOT_THRESHOLD: '1' });
    const [u] = await users('nsFree');
    FREE = await boardId(u.boards, '자유게시판');
  });

  it('when a new user asks for the settings, with no payload or {}, then every kind is on', async () => {
    const [a] = await users('nsNew');
    assert.deepEqual(ok(await a.boards.ask('notifications:settings')), ALL_ON);
    assert.deepEqual(ok(await a.boards.ask('notifications:settings', {})), ALL_ON);
  });

  it('when a user switches kinds on one device, then the ack has them, the other kinds keep theirs, the other device gets notification:settings, and a later read agrees', async () => {
    const [a] = await users('nsSet');
    ok(await a.boards.ask('whoami'));
    const other = await device(a);
    const pushed = other.next('notification:settings');
    const mine = a.boards.next('notification:settings');
    const set = ok(
      await a.boards.ask('notifications:settings:set', { kinds: { comment: false, hot: false } }),
    );
    const expected = { kinds: { ...ALL_ON.kinds, comment: false, hot: false } };
    assert.deepEqual(set, expected);
    assert.deepEqual(await pushed, expected);
    assert.deepEqual(await mine, expected);
    // A second change keeps the first.
    const again = ok(await other.ask('notifications:settings:set', { kinds: { hot: true, friend: false } }));
    assert.deepEqual(again, { kinds: { ...ALL_ON.kinds, comment: false, friend: false } });
    assert.deepEqual(ok(await a.boards.ask('notifications:settings')), again);
  });

  it('when `comment` is off, then a comment on my post notifies nothing, while a reply to my comment (`reply` on) still does', async () => {
    const [a, b] = await users('nsOffA', 'nsOffB');
    ok(await a.boards.ask('notifications:settings:set', { kinds: { comment: false } }));
    const post = await newPost(a);
    const mine = await comment(a, post.id);
    const next = a.boards.next('notification');
    await comment(b, post.id); // a comment on a's post: switched off
    const reply = await comment(b, post.id, mine.id); // a reply to a's comment: on
    // Pushes to one room arrive in commit order: the first push a gets is the reply's.
    const pushed = (await next) as PushEvent<NotificationDto>;
    assert.deepEqual([pushed.data.type, pushed.data.commentId], ['reply', reply.id]);
    assert.deepEqual(
      (await listed(a)).map((n) => n.type),
      ['reply'],
    );
    assert.equal(ok(await a.boards.ask('whoami')).unreadNotifications, 1);
  });

  it('when `hot` is off, then my post reaching HOT gives no notification; with it back on, the next one does', async () => {
    const [a, b] = await users('nsHotA', 'nsHotB');
    ok(await a.boards.ask('notifications:settings:set', { kinds: { hot: false } }));
    const quiet = await newPost(a);
    const next = a.boards.next('notification');
    ok(await b.boards.ask('post:like', { postId: quiet.id }));
    ok(await a.boards.ask('notifications:settings:set', { kinds: { hot: true } }));
    const loud = await newPost(a);
    ok(await b.boards.ask('post:like', { postId: loud.id }));
    const pushed = (await next) as PushEvent<NotificationDto>;
    assert.deepEqual([pushed.data.type, pushed.data.postId], ['hot', loud.id]);
    assert.deepEqual(
      (await listed(a)).map((n) => [n.type, n.postId]),
      [['hot', loud.id]],
    );
  });

  it('when I mute a post, then comments and replies in its thread notify me of nothing, other posts still do, and after unmuting it does again', async () => {
    const [a, b] = await users('nsMuteA', 'nsMuteB');
    const muted = await newPost(a);
    const other = await newPost(a);
    const mine = await comment(a, muted.id);
    assert.deepEqual(ok(await a.boards.ask('post:mute', { postId: muted.id })), {
      postId: muted.id,
      muted: true,
    });
    // Muting twice is no error.
    ok(await a.boards.ask('post:mute', { postId: muted.id }));
    const next = a.boards.next('notification');
    await comment(b, muted.id);
    await comment(b, muted.id, mine.id);
    const elsewhere = await comment(b, other.id);
    const pushed = (await next) as PushEvent<NotificationDto>;
    assert.deepEqual([pushed.data.postId, pushed.data.commentId], [other.id, elsewhere.id]);
    assert.deepEqual(
      (await listed(a)).map((n) => n.postId),
      [other.id],
    );

    assert.deepEqual(ok(await a.boards.ask('post:unmute', { postId: muted.id })), {
      postId: muted.id,
      muted: false,
    });
    const again = a.boards.next('notification');
    const heard = await comment(b, muted.id);
    assert.equal(((await again) as PushEvent<NotificationDto>).data.commentId, heard.id);
  });

  it('when I read notifications on one device, then my other device gets notification:read with the ids and the new unread count, and `all` sends {all, unread: 0}', async () => {
    const [a, b] = await users('nsReadA', 'nsReadB');
    ok(await a.boards.ask('whoami'));
    const other = await device(a);
    const post = await newPost(a);
    const arrived = a.boards.next('notification');
    await comment(b, post.id);
    await comment(b, post.id);
    await arrived;
    const [newest, oldest] = await listed(a);
    assert.equal(ok(await other.ask('whoami')).unreadNotifications, 2);

    const pushed = other.next('notification:read');
    assert.deepEqual(ok(await a.boards.ask('notifications:read', { ids: [oldest!.id] })), { unread: 1 });
    assert.deepEqual(await pushed, { ids: [oldest!.id], unread: 1 });

    const all = other.next('notification:read');
    assert.deepEqual(ok(await a.boards.ask('notifications:read', { all: true })), { unread: 0 });
    assert.deepEqual(await all, { all: true, unread: 0 });
    assert.ok(newest);
    // A connection made afterwards reads the badge from whoami: nothing to resume.
    const later = socket(s.url, '/boards', { token: a.accessToken });
    assert.equal(ok(await later.ask('whoami')).unreadNotifications, 0);
  });

  it('when someone else reads their notifications, then my sockets hear nothing of it', async () => {
    const [a, b] = await users('nsOwnA', 'nsOwnB');
    ok(await a.boards.ask('whoami'));
    const heard: unknown[] = [];
    a.boards.on('notification:read', (p) => heard.push(p));
    ok(await b.boards.ask('notifications:read', { all: true }));
    // My own read comes after b's: had b's reached me, it would have come first.
    const mine = a.boards.next('notification:read');
    ok(await a.boards.ask('notifications:read', { all: true }));
    assert.deepEqual(await mine, { all: true, unread: 0 });
    assert.deepEqual(heard, [{ all: true, unread: 0 }]);
  });

  it('when I accept a friend request on one device, then my other device gets friend:accepted too (the request leaves its list and badge)', async () => {
    const [a, b] = await users('nsFrA', 'nsFrB');
    ok(await b.timetables.ask('whoami'));
    const otherDevice = socket(s.url, '/timetables', { token: b.accessToken });
    ok(await otherDevice.ask('whoami'));
    const req = ok(await a.timetables.ask('friend:request', { username: b.user.username }));
    const [toRequester, toMyOther] = [
      a.timetables.next('friend:accepted'),
      otherDevice.next('friend:accepted'),
    ];
    ok(await b.timetables.ask('friend:accept', { requestId: req.id }));
    assert.equal((await toRequester).data.id, req.id);
    const mine = await toMyOther;
    assert.deepEqual([mine.data.id, mine.data.to.id], [req.id, b.user.id]);
    assert.deepEqual(ok(await otherDevice.ask('friends:requests')).incoming, []);
  });

  it('when `moderation` is off, then a moderator removing my post notifies me of nothing; suspended, I may still switch kinds and mute a thread', async () => {
    const [a, mod] = await users('nsModA', 'nsModM');
    await promote(s, mod);
    const m = moderationOn(s, mod);
    ok(await a.boards.ask('notifications:settings:set', { kinds: { moderation: false } }));
    const removed = await newPost(a);
    const kept = await newPost(a);
    const next = a.boards.next('notification');
    ok(await m.ask('target:remove', { target: { kind: 'post', id: removed.id }, reason: '도배' }));
    ok(await m.ask('user:suspend', { target: { kind: 'post', id: kept.id }, days: 1, reason: '도배' }));
    refused(await a.boards.ask('post:create', { boardId: FREE, title: '글', content: '…' }), 'FORBIDDEN');
    // Not writes of content: a suspended account keeps its switches and mutes.
    ok(await a.boards.ask('notifications:settings:set', { kinds: { moderation: true } }));
    ok(await a.boards.ask('post:mute', { postId: kept.id }));
    ok(await m.ask('target:remove', { target: { kind: 'post', id: kept.id }, reason: '도배' }));
    const pushed = (await next) as PushEvent<NotificationDto>;
    assert.deepEqual([pushed.data.type, pushed.data.postId], ['removed', kept.id]);
    assert.deepEqual(
      (await listed(a)).map((n) => [n.type, n.postId]),
      [['removed', kept.id]],
    );
  });

  describe('bad input', () => {
    // Each test's sockets close after it: a user of its own each.
    let a: TestUser;
    beforeEach(async () => {
      [a] = await users('nsBad');
    });

    for (const [what, payload] of [
      ['no kinds at all', {}],
      ['an empty kinds', { kinds: {} }],
      ['an unknown kind', { kinds: { likes: false } }],
      ['a kind that is not a boolean', { kinds: { comment: 'off' } }],
      ['a kind set to null', { kinds: { reply: null } }],
      ['an extra field', { kinds: { comment: false }, all: false }],
    ] as const) {
      it(`when notifications:settings:set gets ${what}, then it is VALIDATION and nothing changes`, async () => {
        // Deliberately not the declared input.
        refused(await a.boards.ask('notifications:settings:set', payload as never), 'VALIDATION');
        assert.deepEqual(ok(await a.boards.ask('notifications:settings')), ALL_ON);
      });
    }

    it('when notifications:settings gets a payload, then it is VALIDATION', async () => {
      refused(await a.boards.ask('notifications:settings', { kinds: {} } as never), 'VALIDATION');
    });

    it('when post:mute names a post that does not exist, then it is NOT_FOUND; a bad id is VALIDATION', async () => {
      refused(await a.boards.ask('post:mute', { postId: 2 ** 31 - 1 }), 'NOT_FOUND');
      refused(await a.boards.ask('post:mute', { postId: -1 }), 'VALIDATION');
      refused(await a.boards.ask('post:unmute', { postId: 'x' } as never), 'VALIDATION');
    });

    it('when post:unmute names a post that was never muted, then it answers muted: false', async () => {
      const post = await newPost(a);
      assert.deepEqual(ok(await a.boards.ask('post:unmute', { postId: post.id })), {
        postId: post.id,
        muted: false,
      });
    });
  });
});
