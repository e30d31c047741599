import assert from 'node:assert/strict';
import type { NamespaceClient } from '../../shared/client';
import type { PushEvent } from '../../shared/dto';
import { ok, refused } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { newUser, socket, type TestUser } from '../helpers/clients';
import { findCourse, SEM } from '../helpers/timetables';

/** Resolves with the next push of `event`, or fails after a while (a lost cross-node push). */
function nextPush<T>(
  client: NamespaceClient<'/timetables'>,
  event: string,
  ms = 5_000,
): Promise<PushEvent<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    client.socket.once(event, (e: PushEvent<T>) => {
      clearTimeout(timer);
      resolve(e);
    });
  });
}

/** Friends and friends' timetables across two Quad nodes sharing MariaDB and Redis (MariaDB + Redis pass only). */
describe('friends across two nodes', () => {
  let nodeA: RunningApp;
  let nodeB: RunningApp;
  before(async () => {
    nodeA = await startApp();
    nodeB = await startApp();
    assert.ok(nodeA.config.REDIS_URL, 'this pass must run with Redis');
  });

  /** A /timetables socket of `u` on `node`, connected. */
  async function on(node: RunningApp, u: TestUser): Promise<NamespaceClient<'/timetables'>> {
    const client = socket(node.url, '/timetables', { token: u.accessToken });
    ok(await client.ask('whoami'));
    return client;
  }

  it('when A on node A asks B on node B, then the request, the accept and the timetable rules work across nodes', async () => {
    const [a, b, c] = [
      await newUser(nodeA.url, 'mnA'),
      await newUser(nodeB.url, 'mnB'),
      await newUser(nodeA.url, 'mnC'),
    ];
    const [sa, sb, sc] = [await on(nodeA, a), await on(nodeB, b), await on(nodeB, c)];

    const requested = nextPush(sb, 'friend:requested');
    const req = ok(await sa.ask('friend:request', { username: b.user.username }));
    const pushB = await requested;
    assert.deepEqual([pushB.room, pushB.data], [`user:${b.user.id}`, req]);
    assert.deepEqual(ok(await sb.ask('friends:requests', {})).incoming, [req]);

    const accepted = nextPush(sa, 'friend:accepted');
    const acc = ok(await sb.ask('friend:accept', { requestId: req.id }));
    assert.equal(acc.status, 'accepted');
    const pushA = await accepted;
    assert.deepEqual([pushA.room, pushA.data], [`user:${a.user.id}`, acc]);
    // Ids are per room (user:A, user:B): only the history they belong to is shared.
    assert.equal(pushA.epoch, pushB.epoch);

    const t = ok(await sb.ask('timetable:create', { semester: SEM, name: '노드B 시간표' }));
    assert.deepEqual([t.isPrimary, t.visibility], [true, 'friends']);
    ok(
      await sb.ask('timetable:addCourse', {
        timetableId: t.id,
        courseId: (await findCourse(sb, 'CSE2010-01')).id,
      }),
    );
    const seen = ok(await sa.ask('friend:timetable', { friendId: b.user.id, semester: SEM }));
    assert.equal(seen.id, t.id);
    assert.deepEqual(
      seen.entries.map((e) => e.code),
      ['CSE2010-01'],
    );
    refused(await sc.ask('friend:timetable', { friendId: b.user.id, semester: SEM }), 'FORBIDDEN');

    ok(await sb.ask('timetable:setVisibility', { timetableId: t.id, visibility: 'private' }));
    refused(await sa.ask('friend:timetable', { friendId: b.user.id, semester: SEM }), 'FORBIDDEN');
    refused(await sc.ask('friend:timetable', { friendId: b.user.id, semester: SEM }), 'FORBIDDEN');
  });

  it('when B was offline as A asked on another node, then B finds it on node B in friends:requests and me:resume', async () => {
    const [a, b] = [await newUser(nodeA.url, 'mnOffA'), await newUser(nodeA.url, 'mnOffB')];
    // Event ids are per room, and B's room has none yet.
    const since = 0;
    const req = ok(await (await on(nodeA, a)).ask('friend:request', { username: b.user.username }));
    const sb = await on(nodeB, b);
    assert.deepEqual(ok(await sb.ask('friends:requests', {})), { incoming: [req], outgoing: [] });
    const events = ok(await sb.ask('me:resume', { since })).events.filter(
      (e) => e.type === 'friend:requested',
    );
    assert.equal(events.length, 1);
    assert.deepEqual([events[0]!.room, events[0]!.data], [`user:${b.user.id}`, req]);
  });

  it('when A watches B from node A and B changes the primary on node B, then A gets timetable:changed; a removal reaches both', async () => {
    const [a, b] = [await newUser(nodeA.url, 'mnWA'), await newUser(nodeB.url, 'mnWB')];
    const [sa, sb] = [await on(nodeA, a), await on(nodeB, b)];
    const req = ok(await sa.ask('friend:request', { username: b.user.username }));
    ok(await sb.ask('friend:accept', { requestId: req.id }));
    const t = ok(await sb.ask('timetable:create', { semester: SEM, name: '1안' }));
    ok(await sa.ask('friend:watch', { friendId: b.user.id }));

    const changed = nextPush(sa, 'timetable:changed');
    ok(
      await sb.ask('timetable:addCustom', {
        timetableId: t.id,
        title: '동아리',
        slots: [{ day: 'FRI', start: '18:00', end: '20:00' }],
      }),
    );
    const push = await changed;
    assert.deepEqual(
      [push.room, push.data],
      [`watch:${b.user.id}`, { userId: b.user.id, semester: SEM, timetableId: t.id }],
    );

    const removedA = nextPush(sa, 'friend:removed');
    const removedB = nextPush(sb, 'friend:removed');
    ok(await sb.ask('friend:remove', { friendId: a.user.id }));
    assert.deepEqual((await removedA).data, { friendId: b.user.id });
    assert.deepEqual((await removedB).data, { friendId: a.user.id });
    refused(await sa.ask('friend:timetable', { friendId: b.user.id, semester: SEM }), 'FORBIDDEN');
  });
});
