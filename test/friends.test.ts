import assert from 'node:assert/strict';
import type { FriendRequestDto, UserSummaryDto } from '../shared/dto';
import { Friendship } from '../server/features/friends/friendship.model';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { hex, newUser, socket, type TestUser } from './helpers/clients';
import { collect, flush } from './helpers/pushes';
import { befriend, timetableUsers } from './helpers/timetables';

const who = (u: TestUser): UserSummaryDto => ({
  id: u.user.id,
  username: u.user.username,
  nickname: u.user.nickname,
});

describe('/timetables friends', () => {
  let s: RunningApp;
  const rows = () => s.app.db.getRepository(Friendship);

  before(async () => {
    s = await startApp({ SOCKET_RATE_LIMIT: '100000' });
  });

  const users = <T extends readonly string[]>(...names: T) =>
    timetableUsers(s.url, names, (_, i) => `친구${i}${hex().slice(0, 6)}`);

  const request = async (from: TestUser, to: TestUser) =>
    ok(await from.timetables.ask('friend:request', { username: to.user.username }));
  const pending = async (u: TestUser) => ok(await u.timetables.ask('friends:requests', {}));
  const friendIds = async (u: TestUser) => ok(await u.timetables.ask('friends:list', {})).map((f) => f.id);

  it('when A asks B, then every socket of B gets friend:requested live and both see it in friends:requests', async () => {
    const [a, b] = await users('asker', 'asked');
    const second = socket(s.url, '/timetables', { token: b.accessToken });
    await flush(second);
    const pushed = [b.timetables.next('friend:requested'), second.next('friend:requested')];
    const req = await request(a, b);
    assert.deepEqual(req, {
      id: req.id,
      from: who(a),
      to: who(b),
      status: 'pending',
      createdAt: req.createdAt,
    });
    for (const p of await Promise.all(pushed)) {
      assert.equal(p.type, 'friend:requested');
      assert.equal(p.room, `user:${b.user.id}`);
      assert.equal(typeof p.id, 'number');
      assert.deepEqual(p.data, req);
    }
    assert.deepEqual(await pending(b), { incoming: [req], outgoing: [] });
    assert.deepEqual(await pending(a), { incoming: [], outgoing: [req] });
    const row = await rows().findByPk(req.id);
    assert.deepEqual([row?.requesterId, row?.addresseeId, row?.status], [a.user.id, b.user.id, 'pending']);
  });

  it('when B accepts, then A gets friend:accepted and both list each other as friends', async () => {
    const [a, b] = await users('acc1', 'acc2');
    const req = await request(a, b);
    const pushed = a.timetables.next('friend:accepted');
    const accepted = ok(await b.timetables.ask('friend:accept', { requestId: req.id }));
    assert.deepEqual(accepted, { ...req, status: 'accepted' });
    const push = await pushed;
    assert.equal(push.room, `user:${a.user.id}`);
    assert.deepEqual(push.data, accepted);
    const [fa] = ok(await a.timetables.ask('friends:list', {}));
    assert.deepEqual(fa, { ...who(b), since: fa!.since });
    assert.ok(!Number.isNaN(Date.parse(fa!.since)));
    assert.deepEqual(await friendIds(b), [a.user.id]);
    assert.deepEqual(await pending(a), { incoming: [], outgoing: [] });
    assert.equal((await rows().findByPk(req.id))?.status, 'accepted');
  });

  it('when B declines, then A gets friend:declined, the request is gone and A may ask again', async () => {
    const [a, b] = await users('dec1', 'dec2');
    const req = await request(a, b);
    const pushed = a.timetables.next('friend:declined');
    assert.deepEqual(ok(await b.timetables.ask('friend:decline', { requestId: req.id })), {
      requestId: req.id,
    });
    const push = await pushed;
    assert.equal(push.room, `user:${a.user.id}`);
    assert.deepEqual(push.data, { requestId: req.id, by: who(b) });
    assert.equal(await rows().findByPk(req.id), null);
    assert.deepEqual(await pending(a), { incoming: [], outgoing: [] });
    assert.deepEqual(await friendIds(a), []);
    refused(await b.timetables.ask('friend:accept', { requestId: req.id }), 'NOT_FOUND');
    assert.equal((await request(a, b)).status, 'pending');
  });

  it('when A cancels its pending request, then B gets friend:cancelled; nobody else may cancel it', async () => {
    const [a, b, c] = await users('can1', 'can2', 'can3');
    const req = await request(a, b);
    refused(await b.timetables.ask('friend:cancel', { requestId: req.id }), 'FORBIDDEN');
    refused(await c.timetables.ask('friend:cancel', { requestId: req.id }), 'FORBIDDEN');
    const pushed = b.timetables.next('friend:cancelled');
    assert.deepEqual(ok(await a.timetables.ask('friend:cancel', { requestId: req.id })), {
      requestId: req.id,
    });
    const push = await pushed;
    assert.equal(push.room, `user:${b.user.id}`);
    assert.deepEqual(push.data, { requestId: req.id, by: who(a) });
    assert.deepEqual(await pending(b), { incoming: [], outgoing: [] });
    assert.equal(await rows().findByPk(req.id), null);
    refused(await a.timetables.ask('friend:cancel', { requestId: req.id }), 'NOT_FOUND');
  });

  it('when A removes B, then both get friend:removed naming the other and neither lists the other', async () => {
    const [a, b] = await users('rem1', 'rem2');
    await befriend(a, b);
    const toA = a.timetables.next('friend:removed');
    const toB = b.timetables.next('friend:removed');
    assert.deepEqual(ok(await a.timetables.ask('friend:remove', { friendId: b.user.id })), {
      friendId: b.user.id,
    });
    const [pa, pb] = await Promise.all([toA, toB]);
    assert.deepEqual([pa.room, pa.data], [`user:${a.user.id}`, { friendId: b.user.id }]);
    assert.deepEqual([pb.room, pb.data], [`user:${b.user.id}`, { friendId: a.user.id }]);
    assert.deepEqual(await friendIds(a), []);
    assert.deepEqual(await friendIds(b), []);
    refused(await a.timetables.ask('friend:remove', { friendId: b.user.id }), 'NOT_FOUND');
  });

  it('when a request goes to myself, to nobody, twice, or to a friend, then VALIDATION, NOT_FOUND or CONFLICT', async () => {
    const [a, b, c] = await users('bad1', 'bad2', 'bad3');
    const ask = (u: TestUser, username: string) => u.timetables.ask('friend:request', { username });
    assert.ok(refused(await ask(a, a.user.username), 'VALIDATION').fields?.username);
    refused(await ask(a, `nobody_${a.user.username.slice(-8)}`), 'NOT_FOUND');
    refused(await ask(a, ''), 'VALIDATION');
    await request(a, b);
    refused(await ask(a, b.user.username), 'CONFLICT');
    await befriend(a, c);
    refused(await ask(a, c.user.username), 'CONFLICT');
    refused(await ask(c, a.user.username), 'CONFLICT');
    assert.equal(
      await rows().count({
        where: { lowUserId: Math.min(a.user.id, b.user.id), highUserId: Math.max(a.user.id, b.user.id) },
      }),
      1,
    );
  });

  it('when someone answers a request that is not addressed to them, then FORBIDDEN and it stays pending', async () => {
    const [a, b, c] = await users('rep1', 'rep2', 'rep3');
    const req = await request(a, b);
    refused(await c.timetables.ask('friend:accept', { requestId: req.id }), 'FORBIDDEN');
    refused(await a.timetables.ask('friend:accept', { requestId: req.id }), 'FORBIDDEN');
    refused(await c.timetables.ask('friend:decline', { requestId: req.id }), 'FORBIDDEN');
    refused(await a.timetables.ask('friend:decline', { requestId: req.id }), 'FORBIDDEN');
    refused(await b.timetables.ask('friend:accept', { requestId: 2 ** 31 - 1 }), 'NOT_FOUND');
    assert.equal((await rows().findByPk(req.id))?.status, 'pending');
    assert.deepEqual(await pending(b), { incoming: [req], outgoing: [] });
  });

  it('when A asks B who already asked A, then it is an accept and B gets friend:accepted', async () => {
    const [a, b] = await users('mut1', 'mut2');
    const theirs = await request(b, a);
    const pushed = b.timetables.next('friend:accepted');
    const res = await request(a, b);
    assert.deepEqual(res, { ...theirs, status: 'accepted' });
    assert.deepEqual((await pushed).data, res);
    assert.deepEqual(await friendIds(a), [b.user.id]);
    assert.deepEqual(await friendIds(b), [a.user.id]);
    assert.deepEqual(await pending(b), { incoming: [], outgoing: [] });
  });

  it('when B was offline as A asked, then B finds the request in friends:requests and in me:resume', async () => {
    const a = await newUser(s.url, 'off1');
    const b = await newUser(s.url, 'off2'); // no socket of B is open yet
    // Event ids are per room, and B's room has none yet.
    const since = 0;
    const req = await request(a, b);

    const late = collect<FriendRequestDto>(b.timetables, 'friend:requested');
    assert.deepEqual(await pending(b), { incoming: [req], outgoing: [] });
    const resumed = ok(await b.timetables.ask('me:resume', { since }));
    const mine = resumed.events.filter((e) => e.type === 'friend:requested');
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.room, `user:${b.user.id}`);
    assert.ok(mine[0]!.id > since);
    assert.deepEqual(mine[0]!.data, req);
    assert.ok(resumed.events.every((e) => e.room === `user:${b.user.id}`));
    // From the request's own id on, nothing is left to catch up; and nothing arrived live.
    assert.deepEqual(ok(await b.timetables.ask('me:resume', { since: mine[0]!.id })).events, []);
    assert.deepEqual(late, []);
    refused(await b.timetables.ask('me:resume', { since: mine[0]!.id + 1_000_000 }), 'RESYNC_REQUIRED');
  });
});
