import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ok } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { BACKEND } from '../helpers/backend';
import { boardId } from '../helpers/boards';
import { ensureDashboardBuilt, launchBrowser, openPage, screenshot, type UserPage } from '../helpers/browser';
import { hex, newUser, socket, type TestUser } from '../helpers/clients';
import { freePort } from '../../deploy/cluster/checks';

/**
 * 쪽지 and "N명이 보고 있어요" in two browser contexts, two students. On MariaDB + Redis the two
 * students use two Quad nodes sharing the database and Redis, so every push crosses nodes; on
 * SQLite (one process, no Redis) both use one node.
 */
const TWO_NODES = BACKEND === 'mysql';
const WHERE = TWO_NODES ? 'on two nodes (MariaDB + Redis)' : 'on one node (SQLite)';

describe(`쪽지 and presence (browser, ${WHERE})`, function () {
  this.timeout(60_000);
  let browser: Browser;
  let nodeA: RunningApp;
  let nodeB: RunningApp;
  let FREE: number;
  const pages: UserPage[] = [];
  /** Node A keeps its port, so it can be restarted under the browsers. */
  let envA: Record<string, string>;

  before(async () => {
    ensureDashboardBuilt();
    envA = { PORT: String(await freePort()) };
    nodeA = await startApp(envA);
    nodeB = TWO_NODES ? await startApp() : nodeA;
    browser = await launchBrowser();
    FREE = await boardId((await newUser(nodeA.url, 'lookup')).boards, '자유게시판');
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.context.close()));
  });
  after(async () => {
    await browser?.close();
  });

  /** Two students (signed up over REST; their typed clients make data quickly). */
  const students = () =>
    Promise.all([newUser(nodeA.url, 'author', `글${hex()}`), newUser(nodeA.url, 'asker', `묻${hex()}`)]);

  /** `who` logged in through the login form of `node`: their browser. */
  async function device(node: RunningApp, who: TestUser, allow: RegExp[] = []): Promise<UserPage> {
    const user = await openPage(browser, node.url, { allow });
    pages.push(user);
    Object.assign(user, { username: who.user.username, nickname: who.user.nickname });
    const { page } = user;
    await page.waitForSelector('form[data-screen=login]');
    await page.fill('form[data-screen=login] input[name=username]', who.user.username);
    await page.fill('form[data-screen=login] input[name=password]', who.password);
    await page.click('form[data-screen=login] [data-action=submit]');
    await page.waitForSelector('[data-connection=live]');
    return user;
  }

  /** Opens a screen by its address: a hash change, never a reload. */
  async function show(page: Page, hash: string, ready: string): Promise<void> {
    await page.evaluate((h) => (location.hash = h), hash);
    await page.waitForSelector(ready);
  }

  const post = (u: TestUser, anonymous: boolean) =>
    u.boards
      .ask('post:create', { boardId: FREE, title: `학생증 주우신 분 ${hex()}`, content: '…', anonymous })
      .then(ok);
  const text = async (page: Page, selector: string) => (await page.textContent(selector))?.trim();
  const message = (page: Page, mine: boolean, content: string) =>
    page.locator(`.msg[data-mine=${mine}] [data-role=content]`, { hasText: content });

  /** Waits for the header's 쪽지 badge to say `n` (0: no badge shown). */
  const badge = (page: Page, n: number) =>
    page.waitForSelector(`[data-nav=messages] [data-unread-messages="${n}"]`, { state: 'attached' });

  /** Whether the page shows (in its text or anywhere in its markup) who `other` is. */
  async function names(page: Page, other: UserPage): Promise<string[]> {
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    return [other.username, other.nickname].filter((s) => html.includes(s));
  }

  it('when B writes to the author of an anonymous post from its page, then A gets it live, answers while B sees "입력 중…", and neither page names the other', async () => {
    const [a, b] = await students();
    const p = await post(a, true);
    const [pa, pb] = await Promise.all([device(nodeA, a), device(nodeB, b)]);
    await badge(pa.page, 0);

    // B opens the post and presses 쪽지: the conversation names its author by role only.
    await show(pb.page, `#/posts/${p.id}`, '.post-page[data-live=true] .post-card [data-action=message]');
    await pb.page.click('.post-card [data-action=message]');
    await pb.page.waitForSelector('[data-screen=conversation] [data-role=name]');
    assert.equal(await text(pb.page, '[data-screen=conversation] [data-role=name]'), '익명(글쓴이)');
    await pb.page.fill('[data-form=message] textarea', '혹시 그 학생증 제 거예요!');
    await pb.page.click('[data-action=send-message]');
    await message(pb.page, true, '혹시 그 학생증 제 거예요!').waitFor();

    // A, elsewhere, sees the badge come live, then the conversation in the inbox as 익명.
    await badge(pa.page, 1);
    await pa.page.click('[data-nav=messages]');
    const row = pa.page.locator('[data-screen=messages] [data-conversation-id]');
    await row.waitFor();
    assert.equal(await row.count(), 1);
    assert.equal(await row.getAttribute('data-unread'), '1');
    assert.equal((await row.locator('[data-role=name]').textContent())?.trim(), '익명');
    assert.match((await row.locator('[data-role=last]').textContent()) ?? '', /혹시 그 학생증 제 거예요!/);
    await screenshot(pa.page, 'messages-inbox');

    // Opening it reads it: the badge clears.
    await row.click();
    await message(pa.page, false, '혹시 그 학생증 제 거예요!').waitFor();
    await badge(pa.page, 0);

    // A types: B sees the hint; A sends: B gets the answer live, and the hint goes.
    await pa.page.locator('[data-form=message] textarea').pressSequentially('네, 제가 갖고 있어요');
    await pb.page.waitForSelector('.chat__typing[data-typing=true]');
    assert.equal(await text(pb.page, '.chat__typing'), '입력 중…');
    await pa.page.keyboard.press('Enter');
    await message(pa.page, true, '네, 제가 갖고 있어요').waitFor();
    await message(pb.page, false, '네, 제가 갖고 있어요').waitFor();
    await pb.page.waitForSelector('.chat__typing:not([data-typing])');
    assert.equal(
      await pb.page.getAttribute('[data-unread-messages]', 'data-unread-messages'),
      '0',
      'read at once: the conversation is on screen',
    );
    assert.equal(await pa.page.inputValue('[data-form=message] textarea'), '', 'Enter sent it');
    await screenshot(pb.page, 'messages-conversation');

    assert.deepEqual(await names(pa.page, pb), [], 'A’s page does not name B');
    assert.deepEqual(await names(pb.page, pa), [], 'B’s page does not name A');
    for (const u of [pa, pb]) assert.deepEqual(u.errors, [], `console errors of ${u.nickname}`);
  });

  it('when the language is English, then the inbox and the conversation are in English', async () => {
    const [a, b] = await students();
    const conv = ok(
      await b.messages.ask('conversation:open', { from: { kind: 'post', id: (await post(a, true)).id } }),
    );
    ok(await b.messages.ask('message:send', { conversationId: conv.id, content: 'Is it still there?' }));
    const pa = await device(nodeA, a);
    await badge(pa.page, 1);
    await pa.page.click('[data-action=language]');
    await show(pa.page, '#/messages', '[data-screen=messages] [data-conversation-id]');
    assert.equal(await text(pa.page, '[data-screen=messages] h2'), 'Messages');
    assert.equal(await pa.page.getAttribute('[data-nav=messages]', 'title'), 'Messages');
    assert.match((await text(pa.page, '[data-conversation-id] [data-role=context]')) ?? '', /^Post: /);
    assert.match(
      (await pa.page.getAttribute('[data-conversation-id] .badge', 'aria-label')) ?? '',
      /1 unread/,
    );

    await pa.page.click('[data-conversation-id]');
    await message(pa.page, false, 'Is it still there?').waitFor();
    assert.equal(await text(pa.page, '[data-role=me]'), 'They see you as 익명(글쓴이)');
    assert.equal(await text(pa.page, '[data-action=send-message]'), 'Send');
    assert.match((await text(pa.page, '.chat__anon')) ?? '', /neither of you learns who the other is/);
    const body = await pa.page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(body, /쪽지|보내기|입력 중/, 'no Korean labels left');
    assert.deepEqual(pa.errors, []);
  });

  it('when A presses 쪽지 on an anonymous comment and on a friend, then each conversation names them as there; none on A’s own post', async () => {
    const [a, b] = await students();
    const p = await post(a, false);
    const c = ok(await b.comments.ask('comment:create', { postId: p.id, content: '저요', anonymous: true }));
    const req = ok(await a.timetables.ask('friend:request', { username: b.user.username }));
    ok(await b.timetables.ask('friend:accept', { requestId: req.id }));
    const pa = await device(nodeA, a);

    await show(pa.page, `#/posts/${p.id}`, `[data-comment-id="${c.id}"] [data-action=message]`);
    assert.equal(await pa.page.locator('.post-card [data-action=message]').count(), 0, 'not to myself');
    await pa.page.click(`[data-comment-id="${c.id}"] [data-action=message]`);
    await pa.page.waitForSelector('[data-screen=conversation] [data-role=name]');
    assert.equal(await text(pa.page, '[data-screen=conversation] [data-role=name]'), c.authorName);
    assert.match((await text(pa.page, '[data-role=context]')) ?? '', /^댓글 · 학생증 주우신 분/);

    await show(pa.page, '#/friends', `[data-friend-id="${b.user.id}"] [data-action=message]`);
    await pa.page.click(`[data-friend-id="${b.user.id}"] [data-action=message]`);
    await pa.page.waitForSelector(`[data-screen=conversation] [data-role=context]`);
    await pa.page.waitForFunction(
      (name) => document.querySelector('[data-screen=conversation] [data-role=name]')?.textContent === name,
      b.user.nickname,
    );
    assert.equal(await text(pa.page, '[data-role=context]'), '친구');
    assert.deepEqual(pa.errors, []);
  });

  it('when two students read the same post, then both see "2명이 보고 있어요", and the board feed counts its readers too', async () => {
    const [a, b] = await students();
    const p = await post(a, false);
    const [pa, pb] = await Promise.all([device(nodeA, a), device(nodeB, b)]);
    await Promise.all([pa, pb].map((u) => show(u.page, `#/posts/${p.id}`, '.post-page[data-live=true]')));
    for (const u of [pa, pb]) {
      await u.page.waitForSelector('.post-card [data-presence="2"]');
      assert.equal(await text(u.page, '.post-card [data-presence]'), '2명이 보고 있어요');
    }
    await screenshot(pb.page, 'presence-post');

    // B goes to the board: the post is down to A, and the board counts B.
    await show(pb.page, `#/boards/${FREE}`, '.board-feed[data-live=true]');
    await pa.page.waitForSelector('.post-card [data-presence="1"]');
    await pb.page.waitForSelector('.board-feed [data-presence="1"]');
    await show(pa.page, `#/boards/${FREE}`, '.board-feed[data-live=true]');
    for (const u of [pa, pb]) await u.page.waitForSelector('.board-feed [data-presence="2"]');
    for (const u of [pa, pb]) assert.deepEqual(u.errors, [], `console errors of ${u.nickname}`);
  });

  it('when A was away while B wrote, then A’s open conversation gets what was missed, once each and in order, after the reconnect', async () => {
    const [a, b] = await students();
    const conv = ok(
      await b.messages.ask('conversation:open', { from: { kind: 'post', id: (await post(a, true)).id } }),
    );
    const pa = await device(nodeA, a, [
      /WebSocket connection/,
      /ERR_CONNECTION_REFUSED/,
      /ERR_INTERNET_DISCONNECTED/,
    ]);
    await show(pa.page, `#/messages/${conv.id}`, '[data-screen=conversation] [data-loaded=true]');
    // One message seen live first, so A has a position to resume from.
    ok(await b.messages.ask('message:send', { conversationId: conv.id, content: '하나' }));
    await message(pa.page, false, '하나').waitFor();

    await nodeA.stop();
    await pa.page.waitForSelector('[data-connection=reconnecting]');
    await pa.context.setOffline(true);
    nodeA = await startApp(envA);
    if (!TWO_NODES) nodeB = nodeA;
    const writer = socket(nodeB.url, '/messages', { token: b.accessToken });
    for (const content of ['둘', '셋'])
      ok(await writer.ask('message:send', { conversationId: conv.id, content }));
    await pa.context.setOffline(false);

    await message(pa.page, false, '셋').waitFor({ timeout: 20_000 });
    await pa.page.waitForSelector('[data-connection=live]');
    assert.deepEqual(await pa.page.locator('.msg [data-role=content]').allTextContents(), [
      '하나',
      '둘',
      '셋',
    ]);
    await badge(pa.page, 0);
    assert.deepEqual(pa.errors, []);
  });
});
