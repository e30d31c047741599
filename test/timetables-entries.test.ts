import assert from 'node:assert/strict';
import { TimetableEntry } from '../server/features/timetables/timetable.model';
import { ok, refused } from './helpers/acks';
import type { RunningApp } from './helpers/app';
import { newUser, socket, type TestUser } from './helpers/clients';
import { catalog, slot, startTimetablesApp, table } from './helpers/timetables';

describe('/timetables entries', () => {
  let s: RunningApp;
  let u0: TestUser;
  before(async () => {
    ({ s, u0 } = await startTimetablesApp());
  });
  const { add } = catalog(() => socket(s.url, '/timetables', { token: u0.accessToken }));
  const entryCount = (timetableId: number) =>
    s.app.db.getRepository(TimetableEntry).count({ where: { timetableId } });

  it('when the same course is added twice, then CONFLICT and one entry stays', async () => {
    const u = await newUser(s.url, 'twice');
    const t = await table(u);
    ok(await add(u, t, 'CSE2010-01'));
    const err = refused(await add(u, t, 'CSE2010-01'), 'CONFLICT');
    assert.match(err.message, /자료구조/);
    assert.equal(await entryCount(t.id), 1);
    refused(
      await u.timetables.ask('timetable:addCourse', { timetableId: t.id, courseId: 2 ** 31 - 1 }),
      'NOT_FOUND',
    );
    refused(await add(u, { ...t, id: 2 ** 31 - 1 }, 'CSE2010-01'), 'NOT_FOUND');
  });

  it('when a course overlaps one already there, then CONFLICT names the entry, the day and the overlapping times', async () => {
    const u = await newUser(s.url, 'clash');
    const t = await table(u);
    // 컴파일러 MON/WED 10:30–11:45; 디지털논리회로 MON/WED/FRI 11:00–11:50.
    const there = ok(await add(u, t, 'CSE4020-01')).entries[0]!;
    const err = refused(await add(u, t, 'EEE2040-01'), 'CONFLICT');
    assert.deepEqual(err.clash, {
      entryId: there.id,
      title: '컴파일러',
      day: 'MON',
      start: '11:00',
      end: '11:45',
    });
    assert.match(err.message, /디지털논리회로/);
    assert.match(err.message, /컴파일러/);
    assert.equal(await entryCount(t.id), 1);
  });

  it('when a multi-slot course clashes only on its second slot, then it is refused too', async () => {
    const u = await newUser(s.url, 'second');
    const t = await table(u);
    // English Conversation 1 THU 11:00–12:50; 건축학개론 MON 10:30–11:45 (free) and THU 10:30–11:45.
    const there = ok(await add(u, t, 'ENG1020-02')).entries[0]!;
    const err = refused(await add(u, t, 'ARC1010-01'), 'CONFLICT');
    assert.deepEqual(err.clash, {
      entryId: there.id,
      title: 'English Conversation 1',
      day: 'THU',
      start: '11:00',
      end: '11:45',
    });
    assert.equal(await entryCount(t.id), 1);
  });

  it('when slots touch at an edge, then both are accepted', async () => {
    const u = await newUser(s.url, 'edge');
    const t = await table(u);
    // 컴파일러 MON 10:30–11:45: the catalog has no course starting at 11:45, so custom entries touch it.
    ok(await add(u, t, 'CSE4020-01'));
    ok(
      await u.timetables.ask('timetable:addCustom', {
        timetableId: t.id,
        title: '점심',
        slots: [{ day: 'MON', start: '11:45', end: '12:00' }],
      }),
    );
    ok(
      await u.timetables.ask('timetable:addCustom', {
        timetableId: t.id,
        title: '아침 스터디',
        slots: [{ day: 'WED', start: '09:00', end: '10:30' }],
      }),
    );
    // 데이터베이스 MON/WED 12:00–13:15 starts where 점심 ends.
    ok(await add(u, t, 'CSE3030-01'));
    const got = ok(await u.timetables.ask('timetable:get', { timetableId: t.id }));
    assert.deepEqual(
      got.entries.map((e) => e.title),
      ['컴파일러', '점심', '아침 스터디', '데이터베이스'],
    );
    assert.equal(got.totalCredits, 6);
  });

  it('when a custom entry is added, then its slots are kept (place optional) and clashes either way are CONFLICT', async () => {
    const u = await newUser(s.url, 'custom');
    const t = await table(u);
    const course1 = ok(await add(u, t, 'CSE2040-02')).entries[0]!; // 컴퓨터구조 TUE/THU 09:00–10:15
    const club = ok(
      await u.timetables.ask('timetable:addCustom', {
        timetableId: t.id,
        title: '  밴드 동아리  ',
        slots: [
          { day: 'FRI', start: '18:00', end: '21:00', place: '학생회관 B1' },
          { day: 'TUE', start: '18:00', end: '19:00' },
        ],
      }),
    ).entries[1]!;
    assert.equal(club.title, '밴드 동아리');
    assert.deepEqual(club.slots, [
      slot('TUE', '18:00', '19:00'),
      slot('FRI', '18:00', '21:00', '학생회관 B1'),
    ]);
    const err = refused(
      await u.timetables.ask('timetable:addCustom', {
        timetableId: t.id,
        title: '과외',
        slots: [
          { day: 'SUN', start: '10:00', end: '11:00' },
          { day: 'THU', start: '10:00', end: '11:00' },
        ],
      }),
      'CONFLICT',
    );
    assert.deepEqual(err.clash, {
      entryId: course1.id,
      title: '컴퓨터구조',
      day: 'THU',
      start: '10:00',
      end: '10:15',
    });
    assert.match(err.message, /과외/);
    // 양자역학1 TUE/THU 18:00–19:15 meets the club's TUE 18:00–19:00.
    const back = refused(await add(u, t, 'PHY3010-01'), 'CONFLICT');
    assert.deepEqual(back.clash, {
      entryId: club.id,
      title: '밴드 동아리',
      day: 'TUE',
      start: '18:00',
      end: '19:00',
    });
    assert.equal(await entryCount(t.id), 2);
  });

  it('when custom slots are malformed, too few or too many, then VALIDATION and nothing is stored', async () => {
    const u = await newUser(s.url, 'badslot');
    const t = await table(u);
    const custom = (slots: unknown[]) =>
      u.timetables.ask('timetable:addCustom', { timetableId: t.id, title: '잘못', slots: slots as [] });
    const fieldOf = async (slots: unknown[]) =>
      Object.keys(refused(await custom(slots), 'VALIDATION').fields ?? {});
    assert.deepEqual(await fieldOf([{ day: 'MON', start: '10:00', end: '10:00' }]), ['slots.0.end']);
    assert.deepEqual(await fieldOf([{ day: 'MON', start: '11:00', end: '10:00' }]), ['slots.0.end']);
    assert.deepEqual(await fieldOf([{ day: 'MON', start: '10:00', end: '24:30' }]), ['slots.0.end']);
    assert.deepEqual(await fieldOf([{ day: 'MON', start: '25:00', end: '26:00' }]), [
      'slots.0.start',
      'slots.0.end',
    ]);
    assert.deepEqual(await fieldOf([{ day: 'XYZ', start: '10:00', end: '11:00' }]), ['slots.0.day']);
    assert.deepEqual(await fieldOf([]), ['slots']);
    const eleven = Array.from({ length: 11 }, (_, i) => ({
      day: 'SAT',
      start: `${String(i + 8).padStart(2, '0')}:00`,
      end: `${String(i + 8).padStart(2, '0')}:30`,
    }));
    assert.deepEqual(await fieldOf(eleven), ['slots']);
    assert.equal(await entryCount(t.id), 0);
    // Ten slots and a slot ending at 24:00 are fine.
    ok(await custom(eleven.slice(0, 10)));
    ok(
      await u.timetables.ask('timetable:addCustom', {
        timetableId: t.id,
        title: '야간',
        slots: [{ day: 'SUN', start: '23:00', end: '24:00' }],
      }),
    );
    assert.equal(await entryCount(t.id), 2);
  });

  it('when an entry is removed, then it is gone; an unknown entry or one of another timetable is NOT_FOUND', async () => {
    const u = await newUser(s.url, 'remover');
    const [t, other] = [await table(u), await table(u, '2안')];
    const e = ok(await add(u, t, 'CSE2010-01')).entries[0]!;
    const o = ok(await add(u, other, 'CSE2010-01')).entries[0]!;
    refused(
      await u.timetables.ask('timetable:removeEntry', { timetableId: t.id, entryId: o.id }),
      'NOT_FOUND',
    );
    assert.deepEqual(
      ok(await u.timetables.ask('timetable:removeEntry', { timetableId: t.id, entryId: e.id })).entries,
      [],
    );
    refused(
      await u.timetables.ask('timetable:removeEntry', { timetableId: t.id, entryId: e.id }),
      'NOT_FOUND',
    );
    assert.equal(await entryCount(t.id), 0);
    assert.equal(await entryCount(other.id), 1);
    // Now free again, the same course goes back in.
    ok(await add(u, t, 'CSE2010-01'));
  });
});
