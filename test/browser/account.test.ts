import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { LoginDto, UserDto } from '../../shared/dto';
import { ok } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { BACKEND } from '../helpers/backend';
import { boardId } from '../helpers/boards';
import { ensureDashboardBuilt, launchBrowser, openPage, screenshot, type UserPage } from '../helpers/browser';
import { hex, http, newUser, PASSWORD, socket, uniqueName, uniqueNick } from '../helpers/clients';
import { codeIn, resetTokenIn, startSmtp, type TestSmtp } from '../helpers/smtp';

/**
 * The account settings screens in two browser contexts logged in as the same user (a phone and a
 * laptop). On MariaDB + Redis the two devices use two Quad nodes sharing the database and Redis,
 * so what one device does reaches the other across nodes; on SQLite (one process, no Redis) both
 * use one node.
 */
const TWO_NODES = BACKEND === 'mysql';
const WHERE = TWO_NODES ? 'on two nodes (MariaDB + Redis)' : 'on one node (SQLite)';

/** What the browser reports for refusals the screens show (400, 401 on a revoked refresh, 429). */
const REFUSED = [/status of 40[01]/, /status of 429/];

describe(`account settings (browser, ${WHERE})`, function () {
  this.timeout(60_000);
  let browser: Browser;
  let nodeA: RunningApp;
  let nodeB: RunningApp;
  let FREE: number;
  const pages: UserPage[] = [];

  before(async () => {
    ensureDashboardBuilt();
    nodeA = await startApp();
    nodeB = TWO_NODES ? await startApp() : nodeA;
    if (TWO_NODES) assert.ok(nodeA.config.REDIS_URL, 'two nodes need Redis');
    browser = await launchBrowser();
    const someone = await newUser(nodeA.url, 'boards');
    FREE = await boardId(someone.boards, '자유게시판');
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.context.close()));
  });
  after(async () => {
    await browser?.close();
  });

  /** An account made over REST (signed up, not logged in: its devices are the browsers). */
  async function account(nickname = uniqueNick('설정')): Promise<{ username: string; nickname: string }> {
    const username = uniqueName('acct');
    const res = await http<{ user: UserDto }>(nodeA.url, 'POST', '/api/auth/signup', {
      json: { username, password: PASSWORD, nickname },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { username, nickname };
  }

  /** A browser context logged in as `who` through the login form of `node`. */
  async function device(
    node: RunningApp,
    who: { username: string; nickname: string },
    password = PASSWORD,
  ): Promise<UserPage> {
    const user = await openPage(browser, node.url, { allow: REFUSED });
    pages.push(user);
    Object.assign(user, who);
    await logIn(user.page, who.username, password);
    return user;
  }

  async function logIn(page: Page, username: string, password: string): Promise<void> {
    await page.waitForSelector('form[data-screen=login]');
    await page.fill('form[data-screen=login] input[name=username]', username);
    await page.fill('form[data-screen=login] input[name=password]', password);
    await page.click('form[data-screen=login] [data-action=submit]');
    await page.waitForSelector('[data-connection=live]');
  }

  /** `/boards` and `/comments` sockets of `username` through a REST login (one more session). */
  async function app(node: RunningApp, username: string) {
    const login = await http<LoginDto>(node.url, 'POST', '/api/auth/login', {
      json: { username, password: PASSWORD },
    });
    assert.equal(login.status, 200);
    const token = login.body.accessToken;
    return {
      boards: socket(node.url, '/boards', { token }),
      comments: socket(node.url, '/comments', { token }),
    };
  }

  /** Opens a screen by its address: a hash change, never a reload. */
  async function show(page: Page, hash: string, ready: string): Promise<void> {
    await page.evaluate((h) => (location.hash = h), hash);
    await page.waitForSelector(ready);
  }

  /** Marks the page, so a later `stillSamePage` proves it was never reloaded. */
  const mark = (page: Page) => page.evaluate(() => ((window as unknown as { mark: number }).mark = 1));
  const stillSamePage = async (page: Page) =>
    assert.equal(await page.evaluate(() => (window as unknown as { mark?: number }).mark), 1, 'no reload');

  const noErrors = (...users: UserPage[]) => {
    for (const u of users) assert.deepEqual(u.errors, [], `console errors of ${u.nickname}`);
  };

  it(`when a notification arrives, both devices show the unread badge, and reading it on one clears the other's badge and list live (${WHERE})`, async () => {
    const me = await account();
    const [phone, laptop] = [await device(nodeA, me), await device(nodeB, me)];
    const author = (await app(nodeA, me.username)).boards;
    const post = ok(await author.ask('post:create', { boardId: FREE, title: `배지 ${hex()}`, content: '…' }));
    await show(laptop.page, '#/notifications', '[data-screen=notifications] [data-empty]');
    await mark(laptop.page);

    const other = await newUser(nodeB.url, 'commenter');
    ok(await other.comments.ask('comment:create', { postId: post.id, content: '첫 댓글이에요' }));
    await phone.page.waitForSelector('.header [data-unread="1"] .badge');
    await laptop.page.waitForSelector('.header [data-unread="1"] .badge');
    await laptop.page.waitForSelector('[data-notification-id][data-read=false]');

    await show(phone.page, '#/notifications', '[data-notification-id][data-read=false]');
    await phone.page.click('[data-action=read-all]');
    // The badge's holder stays, empty (so hidden), once nothing is unread.
    await phone.page.waitForSelector('.header [data-unread="0"]', { state: 'attached' });
    await laptop.page.waitForSelector('.header [data-unread="0"]', { state: 'attached' });
    assert.equal(await laptop.page.locator('.header .bell .badge').count(), 0, 'the badge is gone');
    await laptop.page.waitForSelector('[data-notification-id][data-read=true]');
    await stillSamePage(laptop.page);
    await screenshot(laptop.page, 'account-badge-cleared');
    noErrors(phone, laptop);
  });

  it(`when the password is changed in settings, the other device is logged out at once, and this one stays (${WHERE})`, async () => {
    const me = await account();
    const [phone, laptop] = [await device(nodeA, me), await device(nodeB, me)];
    await show(phone.page, '#/me', '[data-section=settings]');
    await phone.page.click('[data-settings-link=password]');
    await phone.page.waitForSelector('form[data-form=password]');
    const form = 'form[data-form=password]';

    await phone.page.fill(`${form} input[name=current]`, 'not-the-password-1');
    await phone.page.fill(`${form} input[name=next]`, 'a-new-passphrase-42');
    await phone.page.fill(`${form} input[name=confirm]`, 'a-new-passphrase-42');
    await phone.page.click('[data-action=change-password]');
    assert.match(
      (await phone.page.textContent('[data-error-for=current]', { timeout: 5_000 })) ?? '',
      /올바르지 않아요/,
    );

    await phone.page.fill(`${form} input[name=current]`, PASSWORD);
    await phone.page.fill(`${form} input[name=confirm]`, 'a-different-one-43');
    await phone.page.click('[data-action=change-password]');
    assert.match((await phone.page.textContent('[data-error-for=confirm]')) ?? '', /서로 달라요/);

    await phone.page.fill(`${form} input[name=confirm]`, 'a-new-passphrase-42');
    await phone.page.click('[data-action=change-password]');
    assert.match((await phone.page.textContent('[data-done=password]', { timeout: 5_000 })) ?? '', /1곳/);

    await laptop.page.waitForSelector('[data-signed-out=revoked]');
    assert.ok(await laptop.page.isVisible('form[data-screen=login]'), 'the laptop is back at the login form');
    assert.equal(await phone.page.getAttribute('[data-connection]', 'data-connection'), 'live');
    await show(phone.page, '#/me/sessions', '[data-session-id][data-current=true]');
    assert.equal(await phone.page.locator('[data-session-id]').count(), 1, 'only this device is left');

    await logIn(laptop.page, me.username, 'a-new-passphrase-42');
    noErrors(phone, laptop);
  });

  it('when the nickname is changed, the header shows it; a taken one and a second change too soon are refused next to the field', async () => {
    const me = await account();
    const taken = (await newUser(nodeA.url, 'taken', `Ab${hex()}`)).user.nickname;
    const phone = await device(nodeA, me);
    await show(phone.page, '#/me/nickname', 'form[data-form=nickname]');
    const input = 'form[data-form=nickname] input[name=nickname]';

    await phone.page.fill(input, taken.toUpperCase());
    await phone.page.click('[data-action=save-nickname]');
    assert.match((await phone.page.textContent('[data-error-for=nickname]')) ?? '', /이미 사용 중이에요/);

    const fresh = uniqueNick('새닉');
    await phone.page.fill(input, fresh);
    await phone.page.click('[data-action=save-nickname]');
    await phone.page.waitForSelector('[data-saved=nickname]');
    assert.equal(await phone.page.textContent('.header__me'), fresh);
    assert.equal(await phone.page.textContent('[data-role=current-nickname]'), fresh);

    await phone.page.fill(input, uniqueNick('또닉'));
    await phone.page.click('[data-action=save-nickname]');
    const refusal = (await phone.page.textContent('[data-error-for=nickname]')) ?? '';
    assert.match(refusal, /30일 뒤/, 'says how long to wait (retryAfter)');
    assert.equal(await phone.page.textContent('.header__me'), fresh, 'unchanged');
    await screenshot(phone.page, 'account-nickname-too-soon');
    noErrors(phone);
  });

  it(`when the devices list shows both browsers, signing the other one out sends it to the login screen (${WHERE})`, async () => {
    const me = await account();
    const [phone, laptop] = [await device(nodeA, me), await device(nodeB, me)];
    await show(phone.page, '#/me/sessions', '[data-session-id][data-current=false]');
    const rows = phone.page.locator('[data-session-id]');
    assert.equal(await rows.count(), 2, 'both browsers are listed');
    for (const device of await rows.locator('[data-role=device]').allTextContents()) {
      assert.match(device, /Chrome · Linux/);
    }
    await screenshot(phone.page, 'account-sessions');

    await phone.page.click('[data-session-id][data-current=false] [data-action=end-session]');
    await laptop.page.waitForSelector('[data-signed-out=revoked]');
    await phone.page.waitForSelector('[data-session-id][data-current=false]', { state: 'detached' });
    assert.equal(await rows.count(), 1);
    await show(phone.page, '#/me/sessions', '[data-session-id]');
    await phone.page.click('[data-action=reload]');
    await phone.page.waitForSelector('[data-session-id][data-current=true]');
    assert.equal(await rows.count(), 1, 'the server lists only this one now');
    noErrors(phone, laptop);
  });

  it(`when a notification switch is flipped on one device, the other device's switch follows live (${WHERE})`, async () => {
    const me = await account();
    const [phone, laptop] = [await device(nodeA, me), await device(nodeB, me)];
    for (const d of [phone, laptop])
      await show(d.page, '#/me/notifications', '[data-kind=comment][data-on=true]');
    await mark(laptop.page);

    await phone.page.click('[data-kind=comment] input[role=switch]');
    await phone.page.waitForSelector('[data-kind=comment][data-on=false]');
    await laptop.page.waitForSelector('[data-kind=comment][data-on=false]');
    assert.equal(await laptop.page.isChecked('[data-kind=comment] input'), false);
    await screenshot(laptop.page, 'account-notification-switches');

    await laptop.page.click('[data-kind=friend] input[role=switch]');
    await phone.page.waitForSelector('[data-kind=friend][data-on=false]');
    await phone.page.click('[data-kind=comment] input[role=switch]');
    await laptop.page.waitForSelector('[data-kind=comment][data-on=true]');
    await stillSamePage(laptop.page);
    noErrors(phone, laptop);
  });

  it('when I open my posts and comments, the anonymous ones are there, marked as mine', async () => {
    const me = await account();
    const { boards: author, comments } = await app(nodeA, me.username);
    const named = ok(
      await author.ask('post:create', { boardId: FREE, title: `이름 ${hex()}`, content: '…' }),
    );
    const anon = ok(
      await author.ask('post:create', {
        boardId: FREE,
        title: `익명 ${hex()}`,
        content: '…',
        anonymous: true,
      }),
    );
    const phone = await device(nodeA, me);
    await show(phone.page, '#/me', '[data-section=settings]');
    await phone.page.click('[data-settings-link=posts]');
    await phone.page.waitForSelector(`[data-mine-post="${anon.id}"]`);

    const anonRow = phone.page.locator(`[data-mine-post="${anon.id}"]`);
    assert.equal(await anonRow.getAttribute('data-anonymous'), 'true');
    assert.ok(await anonRow.locator('[data-role=anonymous-mine]').isVisible(), 'marked as my anonymous post');
    assert.equal(await anonRow.locator('[data-role=author]').textContent(), '익명');
    const namedRow = phone.page.locator(`[data-mine-post="${named.id}"]`);
    assert.equal(await namedRow.locator('[data-role=anonymous-mine]').count(), 0);
    const order = await phone.page
      .locator('[data-mine-post]')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-mine-post'))));
    assert.deepEqual(order, [anon.id, named.id], 'newest first');
    await screenshot(phone.page, 'account-my-posts');

    const comment = ok(
      await comments.ask('comment:create', {
        postId: named.id,
        content: `익명 댓글 ${hex()}`,
        anonymous: true,
      }),
    );
    await phone.page.click('[data-nav=me-back]');
    await phone.page.click('[data-settings-link=comments]');
    const row = phone.page.locator(`[data-mine-comment="${comment.id}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-anonymous'), 'true');
    assert.equal(await row.locator('[data-role=content]').textContent(), comment.content);
    assert.match((await row.locator('[data-role=post-title]').textContent()) ?? '', new RegExp(named.title));
    await row.locator('a').click();
    await phone.page.waitForSelector(`.post-card[data-post-id="${named.id}"]`);
    noErrors(phone);
  });

  it('when the language is switched to English, the settings screens speak English', async () => {
    const me = await account();
    const phone = await device(nodeA, me);
    await show(phone.page, '#/me', '[data-section=settings]');
    assert.equal(await phone.page.textContent('[data-settings-link=nickname] span'), '닉네임 변경');
    await phone.page.click('[data-action=language]');
    assert.equal(await phone.page.textContent('[data-section=settings] h3'), 'Settings');
    assert.equal(await phone.page.textContent('[data-settings-link=sessions] span'), 'Devices');
    await show(phone.page, '#/me/notifications', '[data-kind=comment]');
    assert.equal(await phone.page.textContent('[data-section=notifications] h2'), 'Notifications');
    assert.equal(await phone.page.textContent('[data-kind=comment] strong'), 'Comments on my posts');
    await show(phone.page, '#/me/password', 'form[data-form=password]');
    assert.equal(await phone.page.textContent('[data-field=current] .field__label'), 'Current password');
    await show(phone.page, '#/me/sessions', '[data-session-id][data-current=true]');
    assert.equal(await phone.page.textContent('[data-current=true] .chip'), 'This device');
    await screenshot(phone.page, 'account-sessions-en');
    noErrors(phone);
  });

  it(`when the account is deleted after downloading its data, every device is logged out, and its posts read (deleted user) in English (${WHERE})`, async () => {
    const me = await account();
    const title = `떠나는 글 ${hex()}`;
    const post = ok(
      await (await app(nodeA, me.username)).boards.ask('post:create', { boardId: FREE, title, content: '…' }),
    );
    const [phone, laptop] = [await device(nodeA, me), await device(nodeB, me)];
    await show(phone.page, '#/me', '[data-section=settings]');
    await phone.page.click('[data-settings-link=delete]');
    await phone.page.waitForSelector('[data-step=export]');

    const download = phone.page.waitForEvent('download');
    await phone.page.click('[data-action=export]');
    const file = await (await download).path();
    const exported = JSON.parse(fs.readFileSync(file, 'utf8')) as { user: { username: string } };
    assert.equal(exported.user.username, me.username);
    assert.match((await phone.page.textContent('[data-action=export]')) ?? '', /내려받았어요/);

    const form = 'form[data-form=delete]';
    assert.ok(await phone.page.isDisabled('[data-action=delete-account]'), 'nothing to send yet');
    await phone.page.fill(`${form} input[name=password]`, 'not-my-password-9');
    await phone.page.check(`${form} input[name=understand]`);
    await phone.page.click('[data-action=delete-account]');
    assert.match((await phone.page.textContent('[data-error-for=password]')) ?? '', /올바르지 않아요/);
    await screenshot(phone.page, 'account-delete');

    await phone.page.fill(`${form} input[name=password]`, PASSWORD);
    await phone.page.click('[data-action=delete-account]');
    await phone.page.waitForSelector('[data-signed-out=deleted]');
    await laptop.page.waitForSelector('[data-signed-out=revoked]');
    const gone = await http(nodeA.url, 'POST', '/api/auth/login', {
      json: { username: me.username, password: PASSWORD },
    });
    assert.equal(gone.status, 401, 'the account cannot log in any more');

    const reader = await device(nodeB, await account());
    await reader.page.click('[data-action=language]');
    await show(reader.page, `#/posts/${post.id}`, '.post-card [data-role=author]');
    const author = reader.page.locator('.post-card [data-role=author]');
    assert.equal(await author.getAttribute('data-author-deleted'), 'true');
    assert.equal(await author.textContent(), '(deleted user)');
    noErrors(phone, laptop, reader);
  });

  describe('with school email verification on (REQUIRE_VERIFIED=1, a real SMTP server)', () => {
    let smtp: TestSmtp;
    let school: RunningApp;

    before(async () => {
      smtp = await startSmtp();
      school = await startApp({
        SCHOOL_EMAIL_DOMAINS: 'snu.ac.kr',
        REQUIRE_VERIFIED: '1',
        SMTP_URL: smtp.url,
        VERIFY_RESEND_INTERVAL: '0',
      });
    });
    after(async () => {
      await school?.stop();
      await smtp?.close();
    });

    /** An account verified through the API with a fresh school email. */
    async function verified(): Promise<{ username: string; nickname: string; email: string }> {
      const who = await account();
      const { boards } = await app(school, who.username);
      const email = `s${hex()}@snu.ac.kr`;
      ok(await boards.ask('account:verify:start', { email }));
      ok(await boards.ask('account:verify:confirm', { code: codeIn(await smtp.next(email)) }));
      return { ...who, email };
    }

    it('when an unverified student tries to post, a banner leads to the code form, and the code from the mail verifies them', async () => {
      const me = await account();
      const phone = await device(school, me);
      await show(phone.page, `#/boards/${FREE}/write`, 'form[data-screen=write]');
      await phone.page.fill('input[name=title]', `인증 전 ${hex()}`);
      await phone.page.fill('textarea[name=content]', '써질까요?');
      await phone.page.click('[data-action=submit]');
      await phone.page.waitForSelector('[data-banner=verify]');
      await phone.page.click('[data-banner=verify] a');
      await phone.page.waitForSelector('form[data-form=verify-email]');

      await phone.page.fill('input[name=email]', `s${hex()}@gmail.com`);
      await phone.page.click('[data-action=send-code]');
      assert.match((await phone.page.textContent('[data-error-for=email]')) ?? '', /snu\.ac\.kr/);

      const email = `s${hex()}@snu.ac.kr`;
      await phone.page.fill('input[name=email]', email);
      await phone.page.click('[data-action=send-code]');
      await phone.page.waitForSelector(`[data-sent-to="${email}"]`);
      const code = codeIn(await smtp.next(email));
      await phone.page.fill('input[name=code]', code === '000000' ? '111111' : '000000');
      await phone.page.click('[data-action=confirm-code]');
      assert.match((await phone.page.textContent('[data-error-for=code]')) ?? '', /4번 더/);
      await screenshot(phone.page, 'account-verify-code');

      await phone.page.fill('input[name=code]', code);
      await phone.page.click('[data-action=confirm-code]');
      assert.match((await phone.page.textContent('[data-done=verify]')) ?? '', /snu\.ac\.kr/);
      await show(phone.page, '#/me', '[data-settings-link=verify] [data-verified=true]');
      assert.equal(await phone.page.locator('[data-banner=verify]').count(), 0, 'the banner is gone');
      await show(phone.page, `#/boards/${FREE}/write`, 'form[data-screen=write]');
      const title = `인증 후 ${hex()}`;
      await phone.page.fill('input[name=title]', title);
      await phone.page.fill('textarea[name=content]', '이제 써져요');
      await phone.page.click('[data-action=submit]');
      await phone.page.waitForSelector(`.post-card [data-role=title]:text-is("${title}")`);
      noErrors(phone);
    });

    it('when the password is forgotten, the login screen mails a link; the link sets a new one, logs every device out, and works once', async () => {
      const me = await verified();
      const laptop = await device(school, me);
      const phone = await openPage(browser, school.url, { allow: REFUSED });
      pages.push(phone);
      await phone.page.waitForSelector('form[data-screen=login]');
      await phone.page.click('[data-nav=forgot]');
      await phone.page.fill('form[data-form=forgot] input[name=email]', me.email);
      await phone.page.click('form[data-form=forgot] [data-action=submit]');
      await phone.page.waitForSelector('[data-done=forgot]');

      const link = `${school.url}/#/reset?token=${resetTokenIn(await smtp.next(me.email))}`;
      await phone.page.goto(link);
      const form = 'form[data-form=reset]';
      await phone.page.fill(`${form} input[name=next]`, 'reset-passphrase-77');
      await phone.page.fill(`${form} input[name=confirm]`, 'reset-passphrase-77');
      await phone.page.click(`${form} [data-action=submit]`);
      await phone.page.waitForSelector('[data-signed-out=reset]');
      await laptop.page.waitForSelector('[data-signed-out=revoked]');
      await logIn(phone.page, me.username, 'reset-passphrase-77');

      await phone.page.goto(link);
      await phone.page.fill(`${form} input[name=next]`, 'another-passphrase-78');
      await phone.page.fill(`${form} input[name=confirm]`, 'another-passphrase-78');
      await phone.page.click(`${form} [data-action=submit]`);
      await phone.page.waitForSelector('[data-bad-link]');
      await screenshot(phone.page, 'account-reset-used-link');
      noErrors(phone, laptop);
    });
  });
});
