import assert from 'node:assert/strict';
import type { NamespaceClient } from '../../shared/client';
import type { CourseDto, FriendRequestDto, SlotDto, TimetableDto } from '../../shared/dto';
import { ok } from './acks';
import { startApp, type RunningApp } from './app';
import { newUser, newUsers, type TestUser } from './clients';

/** The seeded semester the timetable tests use. */
export const SEM = '2026-2';

/** A weekly slot as the API returns it (no place unless told). */
export const slot = (
  day: SlotDto['day'],
  start: string,
  end: string,
  place: string | null = null,
): SlotDto => ({
  day,
  start,
  end,
  place,
});

/** An app for /timetables suites (socket rate limit lifted: many commands per test) and a user for catalog lookups. */
export async function startTimetablesApp(): Promise<{ s: RunningApp; u0: TestUser }> {
  const s = await startApp({ SOCKET_RATE_LIMIT: '100000' });
  return { s, u0: await newUser(s.url, 'catalog') };
}

/** A seeded course of SEM, looked up by its code through courses:search on `client`. */
export async function findCourse(client: NamespaceClient<'/timetables'>, code: string): Promise<CourseDto> {
  const found = ok(await client.ask('courses:search', { semester: SEM, q: code })).items.find(
    (c) => c.code === code,
  );
  assert.ok(found, `${code} is in the seeded catalog`);
  return found;
}

/** Course lookups by code on a catalog socket opened with `open()` before each test; `add` asks timetable:addCourse. */
export function catalog(open: () => NamespaceClient<'/timetables'>, { cache = true } = {}) {
  let client: NamespaceClient<'/timetables'>;
  // The root hooks close every socket after each test: a fresh one for catalog lookups.
  beforeEach(() => {
    client = open();
  });
  const known = new Map<string, CourseDto>();
  async function course(code: string): Promise<CourseDto> {
    if (!cache) return findCourse(client, code);
    if (!known.has(code)) known.set(code, await findCourse(client, code));
    return known.get(code)!;
  }
  const add = async (u: TestUser, t: TimetableDto, code: string) =>
    u.timetables.ask('timetable:addCourse', { timetableId: t.id, courseId: (await course(code)).id });
  return { socket: () => client, course, add };
}

/** A new timetable of `u` in SEM, named '시간표' unless told. */
export const table = async (u: TestUser, name = '시간표'): Promise<TimetableDto> =>
  ok(await u.timetables.ask('timetable:create', { semester: SEM, name }));

/** Fresh users whose /timetables sockets are connected (so live pushes can reach them). */
export async function timetableUsers<T extends readonly string[]>(
  baseUrl: string,
  names: T,
  nickname?: (name: string, i: number) => string,
): Promise<{ [K in keyof T]: TestUser }> {
  const made = await newUsers(baseUrl, names, nickname);
  await Promise.all(made.map((u) => u.timetables.ask('whoami')));
  return made;
}

/** Makes `a` and `b` friends (a asks, b accepts) and returns the accepted request. */
export async function befriend(a: TestUser, b: TestUser): Promise<FriendRequestDto> {
  const req = ok(await a.timetables.ask('friend:request', { username: b.user.username }));
  return ok(await b.timetables.ask('friend:accept', { requestId: req.id }));
}
