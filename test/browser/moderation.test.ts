import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ok } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { boardsByName } from '../helpers/boards';
import {
  PHONE,
  ensureDashboardBuilt,
  launchBrowser,
  openPage,
  screenshot,
  signUpAndLogIn,
  type UserPage,
} from '../helpers/browser';
import { PASSWORD, newUser, newUsers, type TestUser } from '../helpers/clients';
import { promote, report } from '../helpers/moderation';
import { freePort } from '../../deploy/cluster/checks';

describe('reports, blocks and the moderation queue (browser)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let quad: RunningApp;
  const pages: UserPage[] = [];
  let dir = '';
  /** Seeded boards by name, read once. */
  let boards: Map<string, number>;

  before(async () => {
    ensureDashboardBuilt();
    const tmp = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
    dir = fs.mkdtempSync(path.join(tmp, 'quad-moderation-ui-'));
    const env = {
      PORT: String(await freePort()),
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${path.join(dir, 'quad.sqlite')}`,
      JWT_SECRET: 'moderation-browser-test-secret-0123456789abcdef',
      // One report hides: the least the server allows, so one browser can hide a post.
      REPORT_HIDE_THRESHOLD: '1',
    };
    [quad, browser] = await Promise.all([startApp(env), launchBrowser()]);
    const [someone] = await newUsers(quad.url, ['lookup'] as const);
    boards = new Map([...(await boardsByName(someone.boards))].map(([name, b]) => [name, b.id]));
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.context.close()));
  });
  after(async () => {
    await browser?.close();
    await quad?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function board(name: string): number {
    const id = boards.get(name);
    assert.ok(id, `${name} is seeded`);
    return id;
  }

  async function student(nickname: string): Promise<UserPage> {
    const user = await openPage(browser, quad.url);
    pages.push(user);
    await signUpAndLogIn(user, nickname);
    return user;
  }

  /**
   * A moderator: signed up through the API, made a moderator in the database before any of
   * their sockets connects (the handshake reads the role), then logged in through the form.
   */
  async function moderator(nickname: string): Promise<UserPage> {
    const account = await newUser(quad.url, 'mod', nickname);
    await promote(quad, account, 'moderator');
    const user = await openPage(browser, quad.url);
    pages.push(user);
    Object.assign(user, { username: account.user.username, nickname });
    const { page } = user;
    await page.goto(new URL('/#/login', quad.url).toString());
    await page.fill('form[data-screen=login] input[name=username]', user.username);
    await page.fill('form[data-screen=login] input[name=password]', PASSWORD);
    await page.click('form[data-screen=login] [data-action=submit]');
    await page.waitForSelector('[data-connection=live]');
    return user;
  }

  /** Opens a screen by its address: a hash change, never a reload. */
  async function show(page: Page, hash: string, ready: string): Promise<void> {
    await page.evaluate((h) => (location.hash = h), hash);
    await page.waitForSelector(ready);
  }

  const postRow = (page: Page, title: string) =>
    page.locator('[data-post-id] [data-role=title]', { hasText: title });
  const caseOf = (page: Page, kind: 'post' | 'comment', id: number) =>
    page.locator(`[data-case-id][data-target="${kind}:${id}"]`);

  /** A screenshot without a row under the mouse looking hovered, once cards and dialogs have slid in. */
  async function snap(page: Page, name: string): Promise<void> {
    await page.mouse.move(1, 1);
    await page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.effect?.getTiming().iterations !== Infinity) // not the live dot's pulse
          .map((a) => a.finished),
      ),
    );
    await screenshot(page, name);
  }

  /**
   * Starts a clock in `page` that stops when `selector` matching `text` is there (`present`) or
   * gone: read it with `seenAt`. Both ends are measured inside browsers on one machine.
   */
  async function watchFor(page: Page, text: string, present: boolean): Promise<void> {
    await page.evaluate(
      ({ text, present }) => {
        const w = window as unknown as { seenAt?: number };
        delete w.seenAt;
        // No named functions in here: the test's compiler would wrap them in a helper the page lacks.
        new MutationObserver((_, observer) => {
          const titles = document.querySelectorAll('[data-post-id] [data-role=title]');
          if ([...titles].some((el) => el.textContent === text) !== present) return;
          w.seenAt = Date.now();
          observer.disconnect();
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      },
      { text, present },
    );
  }
  const seenAt = (page: Page) => page.evaluate(() => (window as unknown as { seenAt: number }).seenAt);
  const clickedAt = async (page: Page, selector: string): Promise<() => Promise<number>> => {
    await page.evaluate(
      (s) =>
        document
          .querySelector(s)!
          .addEventListener(
            'click',
            () => ((window as unknown as { clickedAt: number }).clickedAt = Date.now()),
            { capture: true, once: true },
          ),
      selector,
    );
    return () => page.evaluate(() => (window as unknown as { clickedAt: number }).clickedAt);
  };

  function noErrors(...users: UserPage[]): void {
    for (const u of users) assert.deepEqual(u.errors, [], `console errors of ${u.nickname}`);
  }

  async function anonymousPost(author: TestUser, title: string, content = '내용은 생략'): Promise<number> {
    const post = ok(
      await author.boards.ask('post:create', {
        boardId: board('자유게시판'),
        title,
        content,
        anonymous: true,
      }),
    );
    return post.id;
  }

  it('when B reports A’s post, it leaves C’s open feed live and reaches the moderator’s queue; restored, it is back', async () => {
    const [a, b, c, mod] = await Promise.all([
      newUser(quad.url, 'author', '작성자닉'),
      student('신고자'),
      student('지켜보는이'),
      moderator('운영진'),
    ]);
    const title = `시험 족보 팝니다 ${Date.now()}`;
    const postId = await anonymousPost(a, title, '카톡 주세요. 한 과목에 만 원');

    await show(c.page, `#/boards/${board('자유게시판')}`, '.board-feed[data-live=true]');
    await postRow(c.page, title).waitFor();
    await show(mod.page, '#/moderation', 'div[data-screen=moderation][data-live=true]');
    await mod.page.waitForSelector(
      '[data-queue=open] [data-case-id], div[data-screen=moderation] [data-empty]',
    );

    // B reports it through the ⋯ menu of the post.
    await show(b.page, `#/posts/${postId}`, '.post-page[data-live=true]');
    await b.page.click('.post-card [data-action=menu]');
    await b.page.click('.menu__list [data-action=report]');
    const dialog = b.page.locator('[data-dialog=report]');
    await dialog.waitFor();
    assert.equal(await dialog.locator('input[name=reason]').count(), 7, 'the seven reasons');
    assert.equal(
      await dialog.locator('[data-action=submit-report]').isDisabled(),
      true,
      'no reason picked yet',
    );
    await dialog.locator('[data-reason=spam]').click();
    await dialog.locator('textarea[name=detail]').fill('족보 판매 글이에요');
    await snap(b.page, 'report-dialog');
    await watchFor(c.page, title, false);
    const clicked = await clickedAt(b.page, '[data-action=submit-report]');
    await dialog.locator('[data-action=submit-report]').click();
    await b.page.waitForSelector('[data-report-result=done]');
    await snap(b.page, 'report-done');

    // Gone from C's feed without a reload, and in the moderator's queue, hidden.
    await postRow(c.page, title).waitFor({ state: 'detached' });
    console.log(
      `      C's feed dropped the reported post ${(await seenAt(c.page)) - (await clicked())} ms after B's click`,
    );
    const kase = caseOf(mod.page, 'post', postId);
    await kase.waitFor();
    await mod.page.waitForSelector(`[data-target="post:${postId}"][data-hidden=true]`);
    assert.equal(await kase.locator('[data-role=title]').textContent(), title);
    assert.equal(await kase.locator('[data-role=author]').textContent(), '익명');
    assert.match((await kase.locator('[data-reason=spam]').textContent()) ?? '', /상업적 광고 및 판매\s*1/);
    const modText = await mod.page.evaluate(() => document.body.innerText);
    for (const who of [a.user.username, a.user.nickname])
      assert.equal(modText.includes(who), false, `the moderator's screen never names the author (${who})`);
    await snap(mod.page, 'moderation-queue');
    // B's own open post went too (B is not its author).
    await b.page.click('[data-action=close-report]');
    await b.page.waitForSelector('[data-hidden-live=true]');

    // The moderator restores it: it comes back to C's feed, and the case moves to 처리 완료.
    await watchFor(c.page, title, true);
    const restored = await clickedAt(mod.page, `[data-target="post:${postId}"] [data-action=restore]`);
    await kase.locator('[data-action=restore]').click();
    await postRow(c.page, title).waitFor();
    console.log(
      `      C's feed got the restored post back ${(await seenAt(c.page)) - (await restored())} ms after the click`,
    );
    await kase.waitFor({ state: 'detached' });
    await mod.page.click('[data-tab=resolved]');
    await mod.page.waitForSelector(
      `[data-queue=resolved] [data-target="post:${postId}"] [data-resolution=restored]`,
    );
    assert.equal(await postRow(c.page, title).count(), 1, 'once');

    // Reporting it again is told apart: one report per user and post.
    // B follows the hidden post's link back to its board, where it is again.
    await b.page.click('[data-hidden-live] a');
    await postRow(b.page, title).click();
    await b.page.waitForSelector('.post-page[data-live=true] .post-card');
    await b.page.click('.post-card [data-action=menu]');
    await b.page.click('.menu__list [data-action=report]');
    await b.page.locator('[data-dialog=report] [data-reason=abuse]').click();
    await b.page.click('[data-dialog=report] [data-action=submit-report]');
    await b.page.waitForSelector('[data-report-result=conflict]');
    noErrors(b, c, mod);
  });

  it('when reports hide A’s post, A still sees it, marked with the reason, and is notified', async () => {
    const [a, [b]] = await Promise.all([student('원글쓴이'), newUsers(quad.url, ['reporter'] as const)]);
    const title = '이번 축제 라인업 유출';
    await show(a.page, `#/boards/${board('자유게시판')}/write`, 'form[data-screen=write]');
    await a.page.fill('input[name=title]', title);
    await a.page.fill('textarea[name=content]', '아직 공개 전인데 친구한테 들었어요');
    await a.page.click('[data-action=submit]');
    await a.page.waitForSelector('.post-page[data-live=true] .post-card[data-mine=true]');
    const postId = Number(/#\/posts\/(\d+)/.exec(a.page.url())![1]);
    assert.equal(await a.page.locator('.post-card [data-action=menu]').count(), 0, 'no ⋯ on one’s own post');

    ok(await report(b.boards, { kind: 'post', id: postId }, 'fraud'));
    await a.page.waitForSelector('.post-card [data-hidden=fraud]');
    assert.match((await a.page.textContent('.post-card .hidden-note')) ?? '', /유출\/사칭\/사기/);
    await a.page.waitForSelector('[data-unread="1"]', { state: 'attached' });
    await snap(a.page, 'post-hidden-author');

    await show(a.page, `#/boards/${board('자유게시판')}`, '.board-feed[data-live=true] [data-post-id]');
    await a.page.waitForSelector(`[data-post-id="${postId}"][data-hidden=true]`);
    await show(a.page, '#/notifications', '[data-notification-id][data-type=hidden]');
    assert.equal(
      await a.page.textContent('[data-type=hidden] .notif__what'),
      '신고가 쌓여 내 글이 숨겨졌어요',
    );
    await snap(a.page, 'notifications-hidden');
    await a.page.click('[data-action=language]');
    assert.equal(
      await a.page.textContent('[data-type=hidden] .notif__what'),
      'Your post was hidden after reports',
    );
    await a.page.click('[data-action=language]');
    noErrors(a);
  });

  it('when B blocks an anonymous commenter after confirming, their comments leave B’s thread; 내 정보 lists the block and unblocks', async () => {
    const [b, [a, c]] = await Promise.all([
      student('차단자'),
      newUsers(quad.url, ['writer', 'troll'] as const),
    ]);
    const postId = await anonymousPost(a, '기숙사 룸메 구해요', '조용한 분이면 좋겠어요');
    const say = (who: TestUser, content: string) =>
      who.comments.ask('comment:create', { postId, content, anonymous: true }).then(ok);
    const rude = await say(c, '그런 사람 없음 ㅋ');
    await say(a, '관심 있으시면 쪽지 주세요');
    await say(c, '꿈 깨세요');

    await show(b.page, `#/posts/${postId}`, '.post-page[data-live=true] [data-comment-id]');
    await b.page.waitForFunction(() => document.querySelectorAll('[data-comment-id]').length === 3);
    const item = b.page.locator(`[data-comment-id="${rude.id}"]`);
    const alias = (await item.locator('[data-role=author]').textContent()) ?? '';
    assert.match(alias, /^익명\d$/);
    await item.locator('[data-action=menu]').click();
    await item.locator('[data-action=block]').click();
    const dialog = b.page.locator('[data-dialog=block]');
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', new RegExp(alias));
    await snap(b.page, 'block-dialog');
    await dialog.locator('[data-action=confirm-block]').click();
    await b.page.waitForSelector('[data-toast]');
    await b.page.waitForFunction(() => document.querySelectorAll('[data-comment-id]').length === 1);
    assert.equal(
      await b.page.textContent('[data-comment-id] [data-role=content]'),
      '관심 있으시면 쪽지 주세요',
      'only the other author’s comment is left',
    );

    await show(b.page, '#/me', '[data-section=blocks] [data-block-id]');
    const label = (await b.page.textContent('[data-block-id] [data-role=label]')) ?? '';
    assert.match(label, new RegExp(alias), 'the block says where it came from');
    assert.equal(label.includes(c.user.nickname) || label.includes(c.user.username), false, 'never who');
    await snap(b.page, 'me-blocks');
    await b.page.click('[data-block-id] [data-action=unblock]');
    await b.page.waitForSelector('[data-section=blocks] [data-empty]');
    noErrors(b);
  });

  it('when a moderator suspends the author of a reported post from the queue, the author’s dashboard says until when and stops writing', async () => {
    const [x, mod, [b]] = await Promise.all([
      student('정지될사람'),
      moderator('운영진2'),
      newUsers(quad.url, ['reporter'] as const),
    ]);
    const title = '광고) 토익 인강 반값';
    await show(x.page, `#/boards/${board('자유게시판')}/write`, 'form[data-screen=write]');
    await x.page.fill('input[name=title]', title);
    await x.page.fill('textarea[name=content]', '링크는 프로필에');
    await x.page.click('[data-action=submit]');
    await x.page.waitForSelector('.post-page[data-live=true] .post-card[data-mine=true]');
    const postId = Number(/#\/posts\/(\d+)/.exec(x.page.url())![1]);
    await show(x.page, `#/boards/${board('자유게시판')}`, '.board-feed[data-live=true] a[data-action=write]');

    await show(mod.page, '#/moderation', '[data-screen=moderation][data-live=true]');
    ok(await report(b.boards, { kind: 'post', id: postId }, 'spam'));
    const kase = caseOf(mod.page, 'post', postId);
    await kase.waitFor();
    await kase.locator('[data-action=suspend]').click();
    await kase.locator('[data-form=suspend] input[name=days]').fill('3');
    await kase.locator('[data-form=suspend] input[name=reason]').fill('반복된 광고');
    await snap(mod.page, 'moderation-suspend');
    await kase.locator('[data-action=confirm-suspend]').click();
    await mod.page.waitForSelector('[data-toast]');

    await x.page.waitForSelector('[data-suspended]');
    assert.match((await x.page.textContent('[data-suspended]')) ?? '', /정지되었어요.*반복된 광고/s);
    assert.equal(await x.page.locator('[data-action=write]').isDisabled(), true, 'no writing');
    await snap(x.page, 'suspended');

    // The banner is there after a reload too (whoami), and the comment box is locked.
    await x.page.reload();
    await x.page.waitForSelector('[data-connection=live]');
    await x.page.waitForSelector('[data-suspended]');
    const other = await anonymousPost(b, '아무 글', '댓글 달아 보세요');
    await show(x.page, `#/posts/${other}`, '.post-page[data-live=true] [data-locked]');
    assert.equal(await x.page.locator('form[data-form=comment]').count(), 0);

    await mod.page.setViewportSize(PHONE);
    await snap(mod.page, 'moderation-phone');
    assert.equal(
      await mod.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth),
      false,
      'no horizontal scrolling on a phone',
    );
    noErrors(x, mod);
  });
});
