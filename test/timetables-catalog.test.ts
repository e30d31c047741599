import assert from 'node:assert/strict';
import type { NamespaceClient } from '../shared/client';
import type { CourseDto, Page, SemesterDto } from '../shared/dto';
import type { ErrorWire } from '../shared/errors';
import { ok, refused } from './helpers/acks';
import type { RunningApp } from './helpers/app';
import { http, socket, type TestUser } from './helpers/clients';
import { catalog, SEM, slot, startTimetablesApp } from './helpers/timetables';

const codes = (page: Page<CourseDto>) => page.items.map((c) => c.code).sort();

describe('/timetables catalog', () => {
  let s: RunningApp;
  let u0: TestUser;
  before(async () => {
    ({ s, u0 } = await startTimetablesApp());
  });
  const { course, socket: catalogSocket } = catalog(() =>
    socket(s.url, '/timetables', { token: u0.accessToken }),
  );
  let cat: NamespaceClient<'/timetables'>;
  beforeEach(() => {
    cat = catalogSocket();
  });
  const search = async (input: Record<string, unknown>) =>
    ok(await cat.ask('courses:search', { semester: SEM, limit: 100, ...input }));

  it('when semesters:list is asked, then 2026-2 is there, newest first, and REST GET /api/semesters agrees', async () => {
    const list = ok(await cat.ask('semesters:list', {}));
    const sem = list.find((x) => x.code === SEM);
    assert.ok(sem);
    assert.equal(sem.year, 2026);
    assert.equal(sem.term, '2');
    assert.ok(sem.startsOn < sem.endsOn);
    assert.deepEqual(
      list.map((x) => x.code),
      list
        .map((x) => x.code)
        .sort()
        .reverse(),
    );
    const rest = await http<{ semesters: SemesterDto[] }>(s.url, 'GET', '/api/semesters', {
      token: u0.accessToken,
    });
    assert.equal(rest.status, 200);
    assert.deepEqual(rest.body.semesters, list);
    assert.equal((await http(s.url, 'GET', '/api/semesters')).status, 401);
  });

  it('when courses are searched by q, then the code (any case) or the Korean name matches', async () => {
    const sections = ['CSE1020-01', 'CSE1020-02', 'CSE1020-03', 'CSE1020-04', 'CSE1020-05'];
    assert.deepEqual(codes(await search({ q: 'CSE1020' })), sections);
    assert.deepEqual(codes(await search({ q: 'cse1020' })), sections);
    const ds = await search({ q: '자료구조' });
    assert.deepEqual(codes(ds), ['CSE2010-01']);
    assert.deepEqual(ds.items[0], {
      id: ds.items[0]!.id,
      semester: SEM,
      code: 'CSE2010-01',
      name: '자료구조',
      professor: '강유나',
      department: '컴퓨터공학과',
      credits: 3,
      slots: [slot('MON', '16:30', '17:45', '공학관 214'), slot('WED', '16:30', '17:45', '공학관 214')],
    });
    assert.deepEqual(codes(await search({ q: '미적분' })), [
      'MAT1010-01',
      'MAT1010-02',
      'MAT1010-03',
      'MAT1010-04',
      'MAT1020-01',
      'MAT1020-02',
    ]);
    assert.deepEqual(codes(await search({ q: 'english conv' })), [
      'ENG1020-01',
      'ENG1020-02',
      'ENG1030-01',
      'ENG1030-02',
    ]);
    // q is text, not a LIKE pattern.
    assert.deepEqual(codes(await search({ q: '%' })), []);
    assert.deepEqual(codes(await search({ q: '_' })), []);
  });

  it('when courses are filtered by professor, department or credits, then only those come back', async () => {
    assert.deepEqual(codes(await search({ professor: '이소연' })), [
      'CSE2040-01',
      'CSE3010-02',
      'CSE3020-01',
    ]);
    const stats = await search({ department: '통계학과' });
    assert.equal(stats.items.length, 12);
    assert.ok(stats.items.every((c) => c.department === '통계학과'));
    assert.deepEqual(codes(await search({ credits: 4 })), [
      'ARC1020-01',
      'ARC1020-02',
      'ARC3020-01',
      'BUS2010-01',
      'CHN1010-01',
      'CHN1010-02',
      'EEE3010-01',
      'MAT2010-01',
    ]);
    assert.deepEqual(codes(await search({ credits: 4, department: '중어중문' })), [
      'CHN1010-01',
      'CHN1010-02',
    ]);
  });

  it('when courses are filtered by day, from and to, then one slot must satisfy all three', async () => {
    assert.deepEqual(codes(await search({ day: 'FRI', to: '09:50' })), [
      'BUS4010-01',
      'CHM4020-01',
      'ENG2030-01',
      'HIS2030-01',
      'IE2010-02',
    ]);
    assert.deepEqual(codes(await search({ day: 'SAT', from: '13:00', to: '17:00' })), [
      'CSE3010-02',
      'ENG3020-01',
      'POL3020-01',
    ]);
    // Any day: CHM2010-01 (TUE 19:00–21:50) fits; ARC2010-01 (THU 18:00–20:50) starts too early.
    const evening = await search({ from: '19:00', to: '22:00' });
    assert.ok(codes(evening).includes('CHM2010-01'));
    assert.ok(!codes(evening).includes('ARC2010-01'));
    for (const c of evening.items)
      assert.ok(
        c.slots.some((x) => x.start >= '19:00' && x.end <= '22:00'),
        c.code,
      );
  });

  it('when the results are walked page by page with the cursor, then every match comes once', async () => {
    const all = await search({ q: 'GEN' });
    assert.equal(all.items.length, 42);
    assert.equal(all.nextCursor, null);
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = ok(
        await cat.ask('courses:search', {
          semester: SEM,
          q: 'GEN',
          limit: 10,
          ...(cursor && { cursor }),
        }),
      );
      assert.ok(page.items.length <= 10);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    assert.equal(pages, 5);
    assert.equal(new Set(seen).size, seen.length);
    assert.deepEqual(
      seen,
      all.items.map((c) => c.id),
    );
  });

  it('when the semester is unknown or the input is bad, then NOT_FOUND or VALIDATION', async () => {
    const ask = (input: Record<string, unknown>) => cat.ask('courses:search', input as { semester: string });
    refused(await ask({ semester: '2099-1' }), 'NOT_FOUND');
    assert.ok(refused(await ask({ semester: SEM, day: 'XYZ' }), 'VALIDATION').fields?.day);
    assert.ok(refused(await ask({ semester: '2026-3' }), 'VALIDATION').fields?.semester);
    assert.ok(refused(await ask({ semester: SEM, limit: 0 }), 'VALIDATION').fields?.limit);
    assert.ok(refused(await ask({ semester: SEM, from: '25:00' }), 'VALIDATION').fields?.from);
    assert.ok(refused(await ask({ semester: SEM, cursor: 'not-a-cursor' }), 'VALIDATION').fields?.cursor);
  });

  it('when course:get is asked, then the course comes with its slots; an unknown id is NOT_FOUND', async () => {
    const c = await course('CSE1020-01');
    assert.deepEqual(ok(await cat.ask('course:get', { courseId: c.id })), c);
    assert.equal(c.slots.length, 3);
    refused(await cat.ask('course:get', { courseId: 2 ** 31 - 1 }), 'NOT_FOUND');
  });

  it('when GET /api/courses is called with a Bearer token, then it pages like courses:search', async () => {
    const get = (query: string, token?: string) =>
      http<Page<CourseDto> & { error?: ErrorWire }>(s.url, 'GET', `/api/courses?${query}`, { token });
    const first = await get(`semester=${SEM}&q=CSE1020&limit=3`, u0.accessToken);
    assert.equal(first.status, 200);
    assert.equal(first.body.items.length, 3);
    assert.ok(first.body.nextCursor);
    const rest = await get(
      `semester=${SEM}&q=CSE1020&limit=3&cursor=${first.body.nextCursor}`,
      u0.accessToken,
    );
    assert.equal(rest.body.nextCursor, null);
    assert.deepEqual(
      [...codes(first.body), ...codes(rest.body)].sort(),
      codes(await search({ q: 'CSE1020' })),
    );
    const korean = await get(`semester=${SEM}&q=${encodeURIComponent('자료구조')}&credits=3`, u0.accessToken);
    assert.deepEqual(codes(korean.body), ['CSE2010-01']);
    assert.equal((await get(`semester=2099-1`, u0.accessToken)).status, 404);
    const bad = await get(`semester=${SEM}&day=XYZ`, u0.accessToken);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.code, 'VALIDATION');
    assert.equal((await get(`semester=${SEM}`)).status, 401);
  });
});
