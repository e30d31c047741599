import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { NamespaceClient } from '../../shared/client';
import type { CourseDto, LoginDto } from '../../shared/dto';
import { ok } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import {
  PHONE,
  ensureDashboardBuilt,
  launchBrowser,
  openPage,
  screenshot,
  signUpAndLogIn,
  type UserPage,
} from '../helpers/browser';
import { PASSWORD, http, newUser, socket } from '../helpers/clients';
import { SEM } from '../helpers/timetables';

/** Whether two courses meet at the same time somewhere in the week. */
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const clash = (a: CourseDto, b: CourseDto) =>
  a.slots.some((x) =>
    b.slots.some(
      (y) => x.day === y.day && minutes(x.start) < minutes(y.end) && minutes(y.start) < minutes(x.end),
    ),
  );

/** The seeded catalog of SEM, read page by page through the typed client. */
async function catalog(client: NamespaceClient<'/timetables'>): Promise<CourseDto[]> {
  const all: CourseDto[] = [];
  let cursor: string | undefined;
  do {
    const page = ok(await client.ask('courses:search', { semester: SEM, limit: 100, cursor }));
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

/** Weekday courses of distinct names, none clashing with another, in catalog order. */
function compatible(courses: CourseDto[], count: number, skip: CourseDto[] = []): CourseDto[] {
  const picked: CourseDto[] = [];
  for (const c of courses) {
    if (picked.length === count) break;
    const weekday = c.slots.every((s) => !['SAT', 'SUN'].includes(s.day));
    const taken = [...picked, ...skip];
    if (weekday && !taken.some((p) => p.name === c.name || clash(p, c))) picked.push(c);
  }
  assert.equal(picked.length, count, `${count} compatible courses in the catalog`);
  return picked;
}

/** A /timetables socket of a user who signed up through the dashboard (a second session). */
async function clientOf(quad: RunningApp, user: UserPage): Promise<NamespaceClient<'/timetables'>> {
  const login = await http<LoginDto>(quad.url, 'POST', '/api/auth/login', {
    json: { username: user.username, password: PASSWORD },
  });
  assert.equal(login.status, 200);
  return socket(quad.url, '/timetables', { token: login.body.accessToken });
}

/** Finds a course by its code in the search panel and adds it with its button. */
async function addThroughSearch(page: Page, course: CourseDto): Promise<void> {
  await page.fill('[data-panel=search] input[name=q]', course.code);
  const row = `[data-course-id="${course.id}"]`;
  await page.click(`${row} [data-action=add-course]`);
  await page.waitForSelector(`${row} [data-added], ${row} [data-clash], ${row} [data-add-error]`);
}

/** Waits until no finite animation (slide-ins, fades) is running, so screenshots show the end state. */
async function still(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
  );
}

describe('timetable and friends screens (browser)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let quad: RunningApp;
  let courses: CourseDto[];

  before(async () => {
    ensureDashboardBuilt();
    quad = await startApp();
    browser = await launchBrowser();
    courses = await catalog((await newUser(quad.url, 'catalog')).timetables);
  });
  after(async () => {
    await browser?.close();
  });

  it('when A asks B by username, B sees the badge and accepts live, and A compares timetables with free time', async () => {
    const [a, b] = [await openPage(browser, quad.url), await openPage(browser, quad.url)];
    await signUpAndLogIn(a, '지훈');
    await signUpAndLogIn(b, '서연');
    const [mineA, mineB] = [compatible(courses, 4), compatible(courses.slice(40), 2)];

    // A asks B through the form; B, on the boards, sees the header badge without a reload.
    await a.page.click('[data-nav=friends]');
    await a.page.fill('[data-form=friend-request] input[name=username]', b.username);
    await a.page.click('[data-action=send-request]');
    await a.page.waitForSelector('[data-request-sent]');
    await a.page.waitForSelector(`[data-section=outgoing] [data-to="${b.username}"]`);
    await b.page.waitForFunction(
      () => document.querySelector('[data-nav=friends] .badge')?.textContent === '1',
    );

    await b.page.click('[data-nav=friends]');
    await b.page.waitForSelector(`[data-section=incoming] [data-from="${a.username}"]`);
    await still(b.page);
    await screenshot(b.page, 'friends-incoming');
    await b.page.click(`[data-section=incoming] [data-from="${a.username}"] [data-action=accept]`);
    await b.page.waitForSelector(`[data-section=friends] [data-username="${a.username}"]`);
    assert.equal(await b.page.$('[data-nav=friends] .badge'), null, 'the badge is gone once answered');
    // A sees B among friends without reloading.
    await a.page.waitForSelector(`[data-section=friends] [data-username="${b.username}"]`);

    // B's timetable (typed client): primary, visible to friends by default.
    const bClient = await clientOf(quad, b);
    const bTable = ok(await bClient.ask('timetable:create', { semester: SEM, name: '2학기' }));
    assert.equal(bTable.visibility, 'friends');
    ok(await bClient.ask('timetable:addCourse', { timetableId: bTable.id, courseId: mineB[0]!.id }));

    // A builds a timetable through the search panel ("시간표 1" is made on the first add).
    await a.page.click('[data-nav=timetable]');
    for (const c of mineA) await addThroughSearch(a.page, c);
    await a.page.waitForFunction(
      (n) =>
        new Set([...document.querySelectorAll('[data-owner=me]')].map((e) => e.getAttribute('data-entry-id')))
          .size === n,
      mineA.length,
    );
    const credits = mineA.reduce((sum, c) => sum + c.credits, 0);
    assert.equal(await a.page.getAttribute('[data-credits]', 'data-credits'), String(credits));
    await a.page.fill('[data-panel=search] input[name=q]', '');
    await a.page.waitForSelector('[data-course-id] >> nth=10');
    await a.page.mouse.move(5, 600);
    await screenshot(a.page, 'timetable-desktop');

    // A opens B: B's blocks over A's, with common free time on the grid and in the list.
    await a.page.click('[data-nav=friends]');
    await a.page.click(`[data-section=friends] [data-username="${b.username}"] [data-action=open-friend]`);
    await a.page.waitForSelector('[data-owner=friend]');
    await a.page.waitForSelector('[data-owner=me]');
    await a.page.waitForSelector('[data-free]');
    assert.ok((await a.page.$$('[data-free-item]')).length > 0, 'free intervals are listed');
    const friendBlocks = (await a.page.$$('[data-owner=friend]')).length;

    // B adds a course: A's view follows (friend:watch → timetable:changed).
    ok(await bClient.ask('timetable:addCourse', { timetableId: bTable.id, courseId: mineB[1]!.id }));
    await a.page.waitForFunction(
      (n) => document.querySelectorAll('[data-owner=friend]').length > n,
      friendBlocks,
    );
    await still(a.page);
    await screenshot(a.page, 'friend-overlay');

    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
  });

  it('when a course clashes with one already added, the search names the course and the time', async () => {
    const user = await openPage(browser, quad.url);
    await signUpAndLogIn(user, '민수');
    const first = courses.find((c) => courses.some((d) => d.name !== c.name && clash(c, d)))!;
    const second = courses.find((d) => d.name !== first.name && clash(first, d))!;

    await user.page.click('[data-nav=timetable]');
    await user.page.waitForSelector('[data-no-timetable]');
    await user.page.click('[data-action=filters]');
    await user.page.fill('[data-filters] input[name=department]', '경영');
    await user.page.waitForSelector('[data-course-id] >> text=경영학과');
    await user.page.hover('[data-course-id] >> nth=1');
    await user.page.waitForSelector('[data-preview]');
    await screenshot(user.page, 'course-search');
    await user.page.click('[data-action=reset-filters]');

    await addThroughSearch(user.page, first);
    await addThroughSearch(user.page, second);
    const message = (await user.page.textContent(`[data-course-id="${second.id}"] [data-clash]`)) ?? '';
    assert.ok(message.includes(first.name), `"${message}" names ${first.name}`);
    assert.match(message, /겹쳐요/);
    assert.equal((await user.page.$$('[data-owner=me]')).length, first.slots.length, 'only the first is in');
    await screenshot(user.page, 'clash');

    await user.page.click('[data-action=language]');
    const english = (await user.page.textContent(`[data-course-id="${second.id}"] [data-clash]`)) ?? '';
    assert.ok(english.startsWith(`Clashes with '${first.name}' on `), english);
    assert.match(english, / on (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d–\d\d:\d\d$/);
    assert.deepEqual(user.errors, []);
  });

  it('when on a phone, the week fits the screen and a custom entry can be added', async () => {
    const user = await openPage(browser, quad.url, { viewport: PHONE });
    await signUpAndLogIn(user, '하은');
    const client = await clientOf(quad, user);
    const table = ok(await client.ask('timetable:create', { semester: SEM, name: '시간표 1' }));
    for (const c of compatible(courses.slice(80), 4)) {
      ok(await client.ask('timetable:addCourse', { timetableId: table.id, courseId: c.id }));
    }
    const { page } = user;
    await page.goto(`${quad.url}/#/timetable`);
    await page.waitForSelector('[data-owner=me]');

    await page.click('[data-tab=custom]');
    await page.fill('[data-form=custom] input[name=title]', '동아리 모임');
    await page.selectOption('[data-form=custom] select[name=day]', 'FRI');
    await page.fill('[data-form=custom] input[name=start]', '18:00');
    await page.fill('[data-form=custom] input[name=end]', '20:00');
    await page.fill('[data-form=custom] input[name=place]', '학생회관 301');
    await page.click('[data-action=add-custom]');
    await page.waitForSelector('[data-owner=me] >> text=동아리 모임');

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no horizontal scrolling on a phone');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'timetable-phone');

    // A block opens its details, from which the entry can be removed.
    const entries = async () =>
      new Set(await page.$$eval('[data-owner=me]', (els) => els.map((e) => e.getAttribute('data-entry-id'))))
        .size;
    const before = await entries();
    await page.click('[data-owner=me] >> nth=0');
    await page.waitForSelector('[data-entry-sheet]');
    await still(page);
    await screenshot(page, 'entry-sheet-phone');
    await page.click('[data-action=remove-entry]');
    await page.waitForSelector('[data-entry-sheet]', { state: 'detached' });
    assert.equal(await entries(), before - 1);
    assert.deepEqual(user.errors, []);
  });
});
