import assert from 'node:assert/strict';
import type { PushEvent, TimetableDto } from '../shared/dto';
import type { SlotInput } from '../shared/schemas/timetables';
import { ok, refused } from './helpers/acks';
import type { RunningApp } from './helpers/app';
import { newUser, socket, type TestUser } from './helpers/clients';
import { befriend, catalog, SEM, startTimetablesApp, table, timetableUsers } from './helpers/timetables';

type Changed = { userId: number; semester: string; timetableId: number };

describe('/timetables friends’ timetables and free time', () => {
  let s: RunningApp;
  let u0: TestUser;

  before(async () => {
    ({ s, u0 } = await startTimetablesApp());
  });
  const { add } = catalog(() => socket(s.url, '/timetables', { token: u0.accessToken }), { cache: false });

  const users = <T extends readonly string[]>(...names: T) => timetableUsers(s.url, names);
  const addCourse = async (u: TestUser, t: TimetableDto, code: string) => ok(await add(u, t, code));
  const addCustom = async (u: TestUser, t: TimetableDto, title: string, ...slots: SlotInput[]) =>
    ok(await u.timetables.ask('timetable:addCustom', { timetableId: t.id, title, slots }));
  const setVisibility = async (
    u: TestUser,
    t: TimetableDto,
    visibility: 'everyone' | 'friends' | 'private',
  ) => ok(await u.timetables.ask('timetable:setVisibility', { timetableId: t.id, visibility }));
  const friendTable = (viewer: TestUser, owner: TestUser) =>
    viewer.timetables.ask('friend:timetable', { friendId: owner.user.id, semester: SEM });

  it('when a friend’s primary timetable is asked for, then its visibility decides who may read it', async () => {
    const [a, b, c] = await users('ftA', 'ftB', 'ftC');
    await befriend(a, b);
    const p1 = await table(b, '1안');
    await addCourse(b, p1, 'CSE2010-01');
    const p2 = await table(b, '2안');
    await addCustom(b, p2, '알바', { day: 'SAT', start: '10:00', end: '18:00' });

    const seen = ok(await friendTable(a, b));
    assert.deepEqual(seen, ok(await b.timetables.ask('timetable:get', { timetableId: p1.id })));
    assert.equal(seen.ownerId, b.user.id);
    assert.deepEqual(
      seen.entries.map((e) => e.code),
      ['CSE2010-01'],
    );
    refused(await friendTable(c, b), 'FORBIDDEN'); // visibility friends, C is not one

    await setVisibility(b, p1, 'everyone');
    assert.equal(ok(await friendTable(c, b)).id, p1.id);
    await setVisibility(b, p1, 'private');
    refused(await friendTable(a, b), 'FORBIDDEN');
    refused(await friendTable(c, b), 'FORBIDDEN');

    // Another primary, visible to friends: A reads it, C still may not.
    ok(await b.timetables.ask('timetable:setPrimary', { timetableId: p2.id }));
    assert.deepEqual(
      ok(await friendTable(a, b)).entries.map((e) => e.title),
      ['알바'],
    );
    refused(await friendTable(c, b), 'FORBIDDEN');
    refused(await friendTable(b, c), 'NOT_FOUND'); // C has no timetable at all
    refused(
      await a.timetables.ask('friend:timetable', { friendId: b.user.id, semester: '2099-1' }),
      'NOT_FOUND',
    );
  });

  it('when A watches friend B, then B’s changes to the primary (entries, or which one is primary) reach A as timetable:changed', async () => {
    const [a, b, c] = await users('wA', 'wB', 'wC');
    await befriend(a, b);
    const p1 = await table(b, '1안');
    const p2 = await table(b, '2안');
    refused(await c.timetables.ask('friend:watch', { friendId: b.user.id }), 'FORBIDDEN');
    const watched = ok(await a.timetables.ask('friend:watch', { friendId: b.user.id }));
    assert.equal(watched.friendId, b.user.id);
    assert.deepEqual(watched.events, []);
    const changes: PushEvent<Changed>[] = [];
    a.timetables.on('timetable:changed', (e) => changes.push(e));
    const toC: unknown[] = [];
    c.timetables.on('timetable:changed', (e) => toC.push(e));
    const flush = () => Promise.all([a.timetables.ask('whoami'), c.timetables.ask('whoami')]);
    const changed = (timetableId: number): Changed => ({ userId: b.user.id, semester: SEM, timetableId });

    const entry = (await addCourse(b, p1, 'CSE2010-01')).entries[0]!; // primary: pushed
    await addCustom(b, p2, '동아리', { day: 'FRI', start: '18:00', end: '20:00' }); // not primary: silent
    ok(await b.timetables.ask('timetable:setPrimary', { timetableId: p2.id })); // now p2 is primary
    ok(await b.timetables.ask('timetable:removeEntry', { timetableId: p1.id, entryId: entry.id })); // silent
    await addCustom(b, p2, '스터디', { day: 'MON', start: '18:00', end: '20:00' }); // primary: pushed
    ok(await b.timetables.ask('timetable:delete', { timetableId: p2.id })); // p1 becomes primary
    await flush();
    assert.deepEqual(
      changes.map((e) => e.data),
      [changed(p1.id), changed(p2.id), changed(p2.id), changed(p1.id)],
    );
    for (const e of changes) assert.deepEqual([e.type, e.room], ['timetable:changed', `watch:${b.user.id}`]);
    assert.ok(changes.every((e, i) => i === 0 || e.id > changes[i - 1]!.id));
    assert.deepEqual(toC, []);

    ok(await a.timetables.ask('friend:unwatch', { friendId: b.user.id }));
    await addCustom(b, p1, '운동', { day: 'SUN', start: '08:00', end: '09:00' });
    await flush();
    assert.equal(changes.length, 4);
  });

  it('when A resumes a watch with since, then the changes A missed come in the ack, in order, and the typed client resumes it after a reconnect by itself', async () => {
    const [a, b] = await users('rwA', 'rwB');
    await befriend(a, b);
    const p = await table(b, '1안');
    const first = ok(await a.timetables.subscribe('friend:watch', { friendId: b.user.id }));
    const seen: PushEvent<Changed>[] = [];
    a.timetables.onEvent('timetable:changed', (e) => seen.push(e));
    await addCustom(b, p, '알바', { day: 'TUE', start: '18:00', end: '20:00' });
    await a.timetables.ask('whoami');
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.id, first.lastId + 1);

    // Away: two changes while A's socket is gone; back, the client resumes the watch with since.
    a.timetables.socket.disconnect();
    await addCustom(b, p, '운동', { day: 'SUN', start: '08:00', end: '09:00' });
    await addCustom(b, p, '스터디', { day: 'MON', start: '18:00', end: '20:00' });
    a.timetables.socket.connect();
    await a.timetables.connected();
    for (let i = 0; i < 100 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      seen.map((e) => e.id),
      [first.lastId + 1, first.lastId + 2, first.lastId + 3],
    );

    // A client of its own resumes by hand: the ack carries what came after since.
    const other = socket(s.url, '/timetables', { token: a.accessToken });
    const res = ok(
      await other.ask('friend:watch', { friendId: b.user.id, since: first.lastId + 1, epoch: first.epoch }),
    );
    assert.deepEqual(
      res.events.map((e) => [e.type, e.id]),
      [
        ['timetable:changed', first.lastId + 2],
        ['timetable:changed', first.lastId + 3],
      ],
    );
  });

  it('when a friendship ends, then neither keeps watching the other', async () => {
    const [a, b] = [await newUser(s.url, 'exA'), await newUser(s.url, 'exB')];
    await befriend(a, b);
    const p = await table(b, '1안');
    ok(await a.timetables.ask('friend:watch', { friendId: b.user.id }));
    const changes: unknown[] = [];
    a.timetables.on('timetable:changed', (e) => changes.push(e));
    await addCustom(b, p, '알바', { day: 'TUE', start: '18:00', end: '20:00' });
    await a.timetables.ask('whoami');
    assert.equal(changes.length, 1);
    ok(await b.timetables.ask('friend:remove', { friendId: a.user.id }));
    await addCustom(b, p, '운동', { day: 'SUN', start: '08:00', end: '09:00' });
    await Promise.all([a.timetables.ask('whoami'), b.timetables.ask('whoami')]);
    assert.equal(changes.length, 1);
  });

  describe('freetime:find', () => {
    /**
     * Me:      C프로그래밍 MON/WED/FRI 12:00–12:50, 스터디 MON 09:00–10:15 (and a second, not
     *          primary timetable blocking THU, which must not count).
     * Friend:  알바 MON 10:00–12:00 and TUE 13:00–15:00, 동아리 WED 12:50–14:00 (touching my WED class).
     */
    async function setUp() {
      const [me, friend, other] = await users('ftMe', 'ftFriend', 'ftOther');
      await befriend(me, friend);
      const mine = await table(me);
      await addCourse(me, mine, 'CSE1020-01');
      await addCustom(me, mine, '스터디', { day: 'MON', start: '09:00', end: '10:15' });
      await addCustom(me, await table(me, '2안'), '종일', { day: 'THU', start: '09:00', end: '22:00' });
      const theirs = await table(friend);
      await addCustom(
        friend,
        theirs,
        '알바',
        { day: 'MON', start: '10:00', end: '12:00' },
        { day: 'TUE', start: '13:00', end: '15:00', place: '편의점' },
      );
      await addCustom(friend, theirs, '동아리', { day: 'WED', start: '12:50', end: '14:00' });
      return { me, friend, other, theirs };
    }

    it('when me and a friend ask with the defaults, then the MON–FRI 09:00–22:00 gaps of 30+ minutes come back', async () => {
      const { me, friend } = await setUp();
      const free = ok(
        await me.timetables.ask('freetime:find', { semester: SEM, friendIds: [friend.user.id] }),
      );
      assert.deepEqual(free, [
        { day: 'MON', start: '12:50', end: '22:00', minutes: 550 },
        { day: 'TUE', start: '09:00', end: '13:00', minutes: 240 },
        { day: 'TUE', start: '15:00', end: '22:00', minutes: 420 },
        { day: 'WED', start: '09:00', end: '12:00', minutes: 180 },
        { day: 'WED', start: '14:00', end: '22:00', minutes: 480 },
        { day: 'THU', start: '09:00', end: '22:00', minutes: 780 },
        { day: 'FRI', start: '09:00', end: '12:00', minutes: 180 },
        { day: 'FRI', start: '12:50', end: '22:00', minutes: 550 },
      ]);
    });

    it('when days, from, to and minMinutes are given, then only those gaps, in weekday order', async () => {
      const { me, friend } = await setUp();
      const ask = (minMinutes: number) =>
        me.timetables.ask('freetime:find', {
          semester: SEM,
          friendIds: [friend.user.id],
          days: ['FRI', 'MON'],
          from: '10:00',
          to: '13:30',
          minMinutes,
        });
      assert.deepEqual(ok(await ask(40)), [
        { day: 'MON', start: '12:50', end: '13:30', minutes: 40 },
        { day: 'FRI', start: '10:00', end: '12:00', minutes: 120 },
        { day: 'FRI', start: '12:50', end: '13:30', minutes: 40 },
      ]);
      assert.deepEqual(ok(await ask(45)), [{ day: 'FRI', start: '10:00', end: '12:00', minutes: 120 }]);
    });

    it('when two friends are listed, then everyone’s busy time counts', async () => {
      const { me, friend, other } = await setUp();
      await befriend(other, me);
      const t = await table(other);
      await setVisibility(other, t, 'everyone');
      await addCustom(other, t, '실험', { day: 'THU', start: '09:00', end: '21:00' });
      const free = ok(
        await me.timetables.ask('freetime:find', {
          semester: SEM,
          friendIds: [friend.user.id, other.user.id],
          days: ['THU', 'SAT'],
        }),
      );
      assert.deepEqual(free, [
        { day: 'THU', start: '21:00', end: '22:00', minutes: 60 },
        { day: 'SAT', start: '09:00', end: '22:00', minutes: 780 },
      ]);
    });

    it('when a listed user is not a friend, there are 21, or a friend’s timetable is private, then it is refused', async () => {
      const { me, friend, other, theirs } = await setUp();
      const ask = (friendIds: number[], semester = SEM) =>
        me.timetables.ask('freetime:find', { semester, friendIds });
      assert.ok(refused(await ask([friend.user.id, other.user.id]), 'VALIDATION').fields?.friendIds);
      const many = Array.from({ length: 21 }, (_, i) => friend.user.id + i);
      assert.ok(refused(await ask(many), 'VALIDATION').fields?.friendIds);
      assert.ok(refused(await ask([]), 'VALIDATION').fields?.friendIds);
      refused(await ask([friend.user.id], '2099-1'), 'NOT_FOUND');
      const backwards = await me.timetables.ask('freetime:find', {
        semester: SEM,
        friendIds: [friend.user.id],
        from: '18:00',
        to: '09:00',
      });
      assert.ok(refused(backwards, 'VALIDATION').fields?.to);
      await setVisibility(friend, theirs, 'private');
      refused(await ask([friend.user.id]), 'FORBIDDEN');
    });
  });
});
