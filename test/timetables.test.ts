import assert from 'node:assert/strict';
import type { SlotDto, TimetableDto } from '../shared/dto';
import { Timetable } from '../server/features/timetables/timetable.model';
import { ok, refused } from './helpers/acks';
import type { RunningApp } from './helpers/app';
import { newUser, socket, type TestUser } from './helpers/clients';
import { catalog, SEM, slot, startTimetablesApp, table } from './helpers/timetables';

describe('/timetables timetables', () => {
  let s: RunningApp;
  let u0: TestUser;
  before(async () => {
    ({ s, u0 } = await startTimetablesApp());
  });
  const { course, add } = catalog(() => socket(s.url, '/timetables', { token: u0.accessToken }));

  it('when a user creates two timetables, then only the first is primary and timetables:list shows both', async () => {
    const u = await newUser(s.url, 'creator');
    const first = await table(u, '  1안  ');
    assert.deepEqual(first, {
      id: first.id,
      semester: SEM,
      name: '1안',
      isPrimary: true,
      visibility: 'friends',
      ownerId: u.user.id,
      entries: [],
      totalCredits: 0,
    });
    const second = await table(u, '2안');
    assert.equal(second.isPrimary, false);
    const summary = (t: TimetableDto) => ({
      id: t.id,
      semester: SEM,
      name: t.name,
      isPrimary: t.isPrimary,
      visibility: 'friends',
    });
    assert.deepEqual(ok(await u.timetables.ask('timetables:list', { semester: SEM })), [
      summary(first),
      summary(second),
    ]);
    assert.deepEqual(ok(await u.timetables.ask('timetables:list', {})), [summary(first), summary(second)]);
    // The payload is optional in the event map: no payload at all lists every semester too.
    assert.deepEqual(ok(await u.timetables.ask('timetables:list')), [summary(first), summary(second)]);
    refused(await u.timetables.ask('timetables:list', { semester: '2099-1' }), 'NOT_FOUND');
    refused(await u.timetables.ask('timetable:create', { semester: '2099-1', name: 'x' }), 'NOT_FOUND');
    assert.ok(
      refused(await u.timetables.ask('timetable:create', { semester: SEM, name: '  ' }), 'VALIDATION').fields
        ?.name,
    );
    assert.equal(await s.app.db.getRepository(Timetable).count({ where: { userId: u.user.id } }), 2);
  });

  it('when a user creates several timetables at once, then they all succeed and exactly one is primary', async () => {
    const u = await newUser(s.url, 'racer');
    // Two sockets of one user (two devices), two creates each, all in flight together.
    const other = socket(s.url, '/timetables', { token: u.accessToken });
    await Promise.all([u.timetables.ask('whoami'), other.ask('whoami')]);
    const made = await Promise.all(
      [u.timetables, other, u.timetables, other].map((c, i) =>
        c.ask('timetable:create', { semester: SEM, name: `기기${i}` }),
      ),
    );
    assert.deepEqual(
      made.map((r) => r.ok),
      [true, true, true, true],
      JSON.stringify(made.filter((r) => !r.ok)),
    );
    const list = ok(await u.timetables.ask('timetables:list', { semester: SEM }));
    assert.equal(list.length, 4);
    assert.equal(list.filter((t) => t.isPrimary).length, 1);
  });

  it('when a timetable is renamed or its visibility set, then the summary and the stored row change', async () => {
    const u = await newUser(s.url, 'renamer');
    const t = await table(u);
    const renamed = ok(await u.timetables.ask('timetable:rename', { timetableId: t.id, name: '최종 🎓' }));
    assert.equal(renamed.name, '최종 🎓');
    for (const visibility of ['everyone', 'private', 'friends'] as const) {
      const res = ok(await u.timetables.ask('timetable:setVisibility', { timetableId: t.id, visibility }));
      assert.deepEqual(res, { id: t.id, semester: SEM, name: '최종 🎓', isPrimary: true, visibility });
      assert.equal((await s.app.db.getRepository(Timetable).findByPk(t.id))!.visibility, visibility);
    }
    const visibility = 'public' as 'everyone';
    refused(
      await u.timetables.ask('timetable:setVisibility', { timetableId: t.id, visibility }),
      'VALIDATION',
    );
    refused(
      await u.timetables.ask('timetable:rename', { timetableId: t.id, name: 'x'.repeat(51) }),
      'VALIDATION',
    );
    refused(await u.timetables.ask('timetable:rename', { timetableId: 2 ** 31 - 1, name: 'x' }), 'NOT_FOUND');
  });

  it('when setPrimary picks another timetable, then exactly one is primary afterwards', async () => {
    const u = await newUser(s.url, 'primary');
    const [a, b, c] = [await table(u, 'A'), await table(u, 'B'), await table(u, 'C')];
    const res = ok(await u.timetables.ask('timetable:setPrimary', { timetableId: b.id }));
    assert.equal(res.isPrimary, true);
    const primaries = async () =>
      ok(await u.timetables.ask('timetables:list', { semester: SEM }))
        .filter((t) => t.isPrimary)
        .map((t) => t.id);
    assert.deepEqual(await primaries(), [b.id]);
    ok(await u.timetables.ask('timetable:setPrimary', { timetableId: b.id }));
    assert.deepEqual(await primaries(), [b.id]);
    ok(await u.timetables.ask('timetable:setPrimary', { timetableId: c.id }));
    assert.deepEqual(await primaries(), [c.id]);
    assert.equal(ok(await u.timetables.ask('timetable:get', { timetableId: a.id })).isPrimary, false);
  });

  it('when the primary is deleted, then the oldest remaining one becomes primary', async () => {
    const u = await newUser(s.url, 'deleter');
    const [a, b, c] = [await table(u, 'A'), await table(u, 'B'), await table(u, 'C')];
    ok(await u.timetables.ask('timetable:setPrimary', { timetableId: c.id }));
    assert.deepEqual(ok(await u.timetables.ask('timetable:delete', { timetableId: a.id })), {
      timetableId: a.id,
    });
    const list1 = ok(await u.timetables.ask('timetables:list', { semester: SEM }));
    assert.deepEqual(
      list1.map((t) => [t.id, t.isPrimary]),
      [
        [b.id, false],
        [c.id, true],
      ],
    );
    ok(await u.timetables.ask('timetable:delete', { timetableId: c.id }));
    const list2 = ok(await u.timetables.ask('timetables:list', { semester: SEM }));
    assert.deepEqual(
      list2.map((t) => [t.id, t.isPrimary]),
      [[b.id, true]],
    );
    assert.equal(await s.app.db.getRepository(Timetable).findByPk(c.id), null);
    refused(await u.timetables.ask('timetable:delete', { timetableId: c.id }), 'NOT_FOUND');
    refused(await u.timetables.ask('timetable:get', { timetableId: c.id }), 'NOT_FOUND');
  });

  it('when timetable:get is asked, then entries come with their slots and totalCredits sums them', async () => {
    const u = await newUser(s.url, 'getter');
    const t = await table(u);
    ok(await add(u, t, 'CSE1020-01'));
    ok(await add(u, t, 'MAT2010-01'));
    ok(
      await u.timetables.ask('timetable:addCustom', {
        timetableId: t.id,
        title: '카페 알바',
        slots: [
          { day: 'SAT', start: '10:00', end: '15:00', place: '정문 카페' },
          { day: 'SUN', start: '10:00', end: '15:00' },
        ],
      }),
    );
    const got = ok(await u.timetables.ask('timetable:get', { timetableId: t.id }));
    assert.equal(got.totalCredits, 7);
    const [c1, c2, custom] = got.entries;
    assert.deepEqual(c1, {
      id: c1!.id,
      kind: 'course',
      courseId: (await course('CSE1020-01')).id,
      code: 'CSE1020-01',
      title: 'C프로그래밍',
      professor: '박미라',
      credits: 3,
      slots: ['MON', 'WED', 'FRI'].map((d) => slot(d as SlotDto['day'], '12:00', '12:50', '공학관 109')),
    });
    assert.equal(c2!.code, 'MAT2010-01');
    assert.equal(c2!.credits, 4);
    assert.deepEqual(custom, {
      id: custom!.id,
      kind: 'custom',
      courseId: null,
      code: null,
      title: '카페 알바',
      professor: null,
      credits: 0,
      slots: [slot('SAT', '10:00', '15:00', '정문 카페'), slot('SUN', '10:00', '15:00')],
    });
  });

  it('when someone else writes to my timetable, then every write is FORBIDDEN and nothing changes', async () => {
    const [owner, other] = [await newUser(s.url, 'owner'), await newUser(s.url, 'intruder')];
    const t = await table(owner);
    const second = await table(owner, '2안');
    const e = ok(await add(owner, t, 'CSE2010-01')).entries[0]!;
    const id = { timetableId: t.id };
    const courseId = (await course('CSE1020-02')).id;
    refused(await other.timetables.ask('timetable:rename', { ...id, name: '내꺼' }), 'FORBIDDEN');
    refused(
      await other.timetables.ask('timetable:setVisibility', { ...id, visibility: 'everyone' }),
      'FORBIDDEN',
    );
    refused(await other.timetables.ask('timetable:setPrimary', { timetableId: second.id }), 'FORBIDDEN');
    refused(await other.timetables.ask('timetable:addCourse', { ...id, courseId }), 'FORBIDDEN');
    refused(
      await other.timetables.ask('timetable:addCustom', {
        ...id,
        title: 'x',
        slots: [{ day: 'SUN', start: '01:00', end: '02:00' }],
      }),
      'FORBIDDEN',
    );
    refused(await other.timetables.ask('timetable:removeEntry', { ...id, entryId: e.id }), 'FORBIDDEN');
    refused(await other.timetables.ask('timetable:delete', id), 'FORBIDDEN');
    const after = ok(await owner.timetables.ask('timetable:get', id));
    assert.deepEqual(
      [after.name, after.visibility, after.isPrimary, after.entries.map((x) => x.id)],
      ['시간표', 'friends', true, [e.id]],
    );
    assert.equal(ok(await owner.timetables.ask('timetables:list', { semester: SEM })).length, 2);
  });

  it('when someone else reads my timetable, then visibility decides: everyone → anyone, friends → friends, private → nobody', async () => {
    const [owner, friend, stranger] = [
      await newUser(s.url, 'vis'),
      await newUser(s.url, 'visfriend'),
      await newUser(s.url, 'visstranger'),
    ];
    const req = ok(await owner.timetables.ask('friend:request', { username: friend.user.username }));
    ok(await friend.timetables.ask('friend:accept', { requestId: req.id }));
    const t = await table(owner);
    ok(await add(owner, t, 'CSE2010-01'));
    const get = (u: TestUser) => u.timetables.ask('timetable:get', { timetableId: t.id });
    const can = async (u: TestUser) => assert.equal(ok(await get(u)).entries[0]!.code, 'CSE2010-01');
    const setVis = async (visibility: 'everyone' | 'friends' | 'private') =>
      ok(await owner.timetables.ask('timetable:setVisibility', { timetableId: t.id, visibility }));

    await can(friend); // the default is friends
    refused(await get(stranger), 'FORBIDDEN');
    await setVis('everyone');
    await can(friend);
    await can(stranger);
    await setVis('private');
    refused(await get(friend), 'FORBIDDEN');
    refused(await get(stranger), 'FORBIDDEN');
    await can(owner);
  });
});
