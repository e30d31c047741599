import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { LoginDto } from '../../shared/dto';
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
import { PASSWORD, http, newUsers, socket } from '../helpers/clients';
import { wait } from '../helpers/waiting';
import { freePort } from '../../deploy/cluster/checks';

describe('boards, posts, comments and notifications (browser)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let quad: RunningApp;
  /** One database, secret and port for the whole file, so the app can be restarted mid-test. */
  let env: Record<string, string>;
  const pages: UserPage[] = [];
  let dir = '';

  before(async () => {
    ensureDashboardBuilt();
    // The database on tmpfs where there is one: the one-second bound is about the push path,
    // not about fsync on a disk that other test runs on this machine keep busy.
    const tmp = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
    dir = fs.mkdtempSync(path.join(tmp, 'quad-boards-ui-'));
    env = {
      PORT: String(await freePort()),
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${path.join(dir, 'quad.sqlite')}`,
      JWT_SECRET: 'boards-browser-test-secret-0123456789abcdef',
      HOT_THRESHOLD: '2',
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

  async function student(nickname: string, options: Parameters<typeof openPage>[2] = {}): Promise<UserPage> {
    const user = await openPage(browser, quad.url, options);
    pages.push(user);
    await signUpAndLogIn(user, nickname);
    return user;
  }

  /** The same student through the typed client (a second login), to make data quickly. */
  async function api(user: UserPage) {
    const login = await http<LoginDto>(quad.url, 'POST', '/api/auth/login', {
      json: { username: user.username, password: PASSWORD },
    });
    const token = login.body.accessToken;
    return {
      boards: socket(quad.url, '/boards', { token }),
      comments: socket(quad.url, '/comments', { token }),
    };
  }

  /** Seeded boards by name, read once. */
  let boards: Map<string, number>;
  function board(name: string): number {
    const id = boards.get(name);
    assert.ok(id, `${name} is seeded`);
    return id;
  }

  /** Opens a screen by its address: a hash change, never a reload. */
  async function show(page: Page, hash: string, ready: string): Promise<void> {
    await page.evaluate((h) => (location.hash = h), hash);
    await page.waitForSelector(ready);
  }

  const postRow = (page: Page, title: string) =>
    page.locator('[data-post-id] [data-role=title]', { hasText: title });

  /** A screenshot without a row under the mouse looking hovered. */
  async function snap(page: Page, name: string): Promise<void> {
    await page.mouse.move(1, 1);
    await screenshot(page, name);
  }

  function noErrors(...users: UserPage[]): void {
    for (const u of users) assert.deepEqual(u.errors, [], `console errors of ${u.nickname}`);
  }

  it('when A posts through the write screen, B watching the board sees it within a second, without a reload', async () => {
    const [a, b] = await Promise.all([student('글쓴이'), student('구경꾼')]);
    const free = board('자유게시판');
    await show(b.page, `#/boards/${free}`, '.board-feed[data-live=true]');
    await b.page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    await show(a.page, `#/boards/${free}/write`, 'form[data-screen=write]');
    const title = `오늘 학식 메뉴 ${Date.now()}`;
    await a.page.fill('input[name=title]', title);
    await a.page.fill('textarea[name=content]', '돈까스랑 우동\n둘 다 괜찮았어요');
    await a.page.fill('input[name=tags]', '학식');
    await a.page.press('input[name=tags]', 'Enter');
    assert.equal(await a.page.locator('.tag-input [data-tag=학식]').count(), 1, 'Enter makes a chip');

    // Both times are taken inside the browsers (one machine, one clock), so the figure is what
    // the students see, not how fast the test harness polls.
    await b.page.evaluate((t) => {
      const w = window as unknown as { seenAt?: number };
      new MutationObserver((_, observer) => {
        const titles = document.querySelectorAll('[data-post-id] [data-role=title]');
        if (![...titles].some((el) => el.textContent === t)) return;
        w.seenAt = Date.now();
        observer.disconnect();
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    }, title);
    await a.page.evaluate(() =>
      document
        .querySelector('[data-action=submit]')!
        .addEventListener(
          'click',
          () => ((window as unknown as { clickedAt: number }).clickedAt = Date.now()),
          { capture: true, once: true },
        ),
    );
    await a.page.click('[data-action=submit]');
    await postRow(b.page, title).waitFor();
    const clicked = await a.page.evaluate(() => (window as unknown as { clickedAt: number }).clickedAt);
    const seen = await b.page.evaluate(() => (window as unknown as { seenAt: number }).seenAt);
    assert.ok(seen - clicked < 1000, `B saw the post ${seen - clicked} ms after A clicked 완료`);

    await a.page.waitForSelector(`.post-card [data-role=title]:has-text("${title}")`);
    assert.match(a.page.url(), /#\/posts\/\d+$/, 'A lands on the new post');
    const row = b.page.locator('[data-post-id]').first();
    assert.equal(await row.locator('[data-role=title]').textContent(), title, 'the new post is on top');
    assert.equal(await row.locator('[data-tag=학식]').count(), 1);
    assert.equal(await postRow(b.page, title).count(), 1, 'once');
    assert.equal(await b.page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), true);
    noErrors(a, b);
  });

  it('when B comments anonymously on A’s post, A’s bell counts up and the comment shows as 익명1', async () => {
    const [a, b] = await Promise.all([student('질문자'), student('답변자')]);
    const freshmen = board('새내기게시판');
    const post = ok(
      await (
        await api(a)
      ).boards.ask('post:create', {
        boardId: freshmen,
        title: '수강신청 팁 있나요?',
        content: '처음이라 떨려요',
        anonymous: false,
      }),
    );
    await show(a.page, `#/posts/${post.id}`, '.post-page[data-live=true]');
    assert.equal(await a.page.getAttribute('[data-unread]', 'data-unread'), '0');

    await show(b.page, `#/posts/${post.id}`, '.post-page[data-live=true]');
    const form = b.page.locator('form[data-form=comment]');
    assert.equal(await form.locator('input[name=anonymous]').isChecked(), true, 'anonymous by default');
    await form.locator('textarea[name=content]').fill('일찍 일어나세요!');
    await form.locator('[data-action=submit-comment]').click();

    await a.page.waitForSelector('[data-unread="1"]', { state: 'attached' });
    assert.equal(await a.page.textContent('.bell .badge'), '1');
    const comment = a.page.locator('[data-comment-id]', { hasText: '일찍 일어나세요!' });
    await comment.waitFor();
    assert.equal(await comment.locator('[data-role=author]').textContent(), '익명1');
    await b.page.locator('[data-comment-id]', { hasText: '일찍 일어나세요!' }).waitFor();
    await wait(150); // the push follows the ack: it must not add a second copy
    assert.equal(await b.page.locator('[data-comment-id]').count(), 1, 'ack and push show one comment');
    assert.equal(await b.page.textContent('[data-comment-id] [data-role=author]'), '익명1');

    await show(a.page, '#/notifications', '[data-notification-id][data-read=false]');
    assert.equal(await a.page.textContent('[data-notification-id] .notif__actor'), '익명1');
    await a.page.click('[data-notification-id]');
    await a.page.waitForSelector('[data-unread="0"]', { state: 'attached' });
    assert.match(a.page.url(), new RegExp(`#/posts/${post.id}$`), 'a notification opens its post');
    noErrors(a, b);
  });

  it('when titles, tags and comments hold HTML, they render as text everywhere', async () => {
    const [a, b] = await Promise.all([student('<b>닉</b>'), student('관찰자')]);
    const news = board('시사·이슈');
    const title = '<img src=x onerror="window.__xss=1">';
    await show(b.page, `#/boards/${news}`, '.board-feed[data-live=true]');

    await show(a.page, `#/boards/${news}/write`, 'form[data-screen=write]');
    await a.page.fill('input[name=title]', title);
    await a.page.fill('textarea[name=content]', '<script>window.__xss=2</script>\n<b>굵게?</b>');
    await a.page.fill('input[name=tags]', '<i>태그</i>,');
    await a.page.locator('form[data-screen=write] input[name=anonymous]').uncheck();
    await a.page.click('[data-action=submit]');
    await a.page.waitForSelector('.post-page[data-live=true]');

    await postRow(b.page, title).waitFor();
    assert.equal(await postRow(b.page, title).textContent(), title, 'the feed shows the literal title');
    assert.equal(await b.page.locator('[data-post-id] [data-tag="<i>태그</i>"]').count(), 1);
    await postRow(b.page, title).click();
    await b.page.waitForSelector('.post-page[data-live=true]');
    assert.equal(await b.page.textContent('.post-card [data-role=title]'), title);
    assert.equal(await b.page.textContent('.post-card [data-role=author]'), '<b>닉</b>');
    assert.match(
      (await b.page.textContent('.post-card [data-role=content]')) ?? '',
      /<script>window.__xss=2<\/script>/,
    );

    const payload = '<img src=y onerror="window.__xss=3"> 댓글';
    await b.page.fill('form[data-form=comment] textarea[name=content]', payload);
    await b.page.click('form[data-form=comment] [data-action=submit-comment]');
    await b.page.locator('[data-comment-id] [data-role=content]', { hasText: payload }).waitFor();

    await show(a.page, '#/notifications', '[data-screen=notifications]');
    const item = a.page.locator('[data-notification-id] [data-role=text]', { hasText: payload });
    await item.waitFor();
    assert.equal(await item.textContent(), payload);

    for (const page of [a.page, b.page]) {
      assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
      assert.equal(
        await page.locator('img[src=x], img[src=y], main b, main i').count(),
        0,
        'no HTML became elements',
      );
    }
    noErrors(a, b);
  });

  it('when a board has more than a page, scrolling loads the rest; tags and search filter it, in English too', async () => {
    const [reader, [writer]] = await Promise.all([
      student('스크롤러'),
      newUsers(quad.url, ['writer'] as const),
    ]);
    const alumni = board('졸업생게시판');
    for (let i = 1; i <= 25; i++) {
      ok(
        await writer.boards.ask('post:create', {
          boardId: alumni,
          title: i % 10 === 0 ? `알고리즘 스터디 ${i}기` : `졸업 후기 ${i}`,
          content: `${i}번째 이야기`,
          tags: i % 5 === 0 ? ['스터디'] : [],
        }),
      );
    }
    const { page } = reader;
    await show(page, `#/boards/${alumni}`, '.board-feed[data-live=true] [data-post-id]');
    const rows = page.locator('[data-post-id]');
    assert.equal(await rows.count(), 20, 'the first page');
    await page.locator('[data-sentinel]').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelectorAll('[data-post-id]').length === 25);
    assert.equal(await page.locator('[data-sentinel]').count(), 0, 'nothing more to load');

    await page.locator('[data-post-id] [data-tag=스터디]').first().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-post-id]').length === 5);
    assert.match(page.url(), /tag=/);
    await page.fill('input[name=q]', '알고리즘');
    await page.click('[data-action=search]');
    await page.waitForFunction(() => document.querySelectorAll('[data-post-id]').length === 2);
    assert.equal(await page.locator('[data-filter]').count(), 2, 'both filters show, each removable');

    await page.click('[data-action=language]');
    assert.equal(await page.textContent('[data-tab=latest]'), 'Latest');
    assert.equal(await page.getAttribute('input[name=q]', 'placeholder'), 'Search titles and text');
    await page.click('[data-action=language]');
    noErrors(reader);
  });

  it('when the server restarts while B watches a board, B catches up on what was posted meanwhile, without a reload', async () => {
    const b = await student('재접속', {
      allow: [/WebSocket connection/, /ERR_CONNECTION_REFUSED/, /ERR_INTERNET_DISCONNECTED/],
    });
    const clubs = board('동아리·학회');
    const [poster] = await newUsers(quad.url, ['poster'] as const, () => '동아리장');
    const post = (client: typeof poster.boards, title: string) =>
      client
        .ask('post:create', { boardId: clubs, title, content: '신입 부원 모집합니다', anonymous: false })
        .then(ok);
    await show(b.page, `#/boards/${clubs}`, '.board-feed[data-live=true]');
    // One post seen live first, so B's feed has an event id to resume from.
    await postRow(b.page, (await post(poster.boards, '밴드부 공연 안내')).title).waitFor();
    await b.page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    await quad.stop();
    await b.page.waitForSelector('[data-connection=reconnecting]');
    // Keep B away until the post is made on the new server (the same port and database).
    await b.context.setOffline(true);
    quad = await startApp(env);
    const missed = await post(
      socket(quad.url, '/boards', { token: poster.accessToken }),
      '사진 동아리 전시회',
    );
    assert.equal(await b.page.getAttribute('[data-connection]', 'data-connection'), 'reconnecting');
    await b.context.setOffline(false);

    await postRow(b.page, missed.title).waitFor({ timeout: 15_000 });
    await b.page.waitForSelector('[data-connection=live]');
    const titles = await b.page.locator('[data-post-id] [data-role=title]').allTextContents();
    assert.deepEqual(
      titles.slice(0, 2),
      ['사진 동아리 전시회', '밴드부 공연 안내'],
      'once each, newest first',
    );
    assert.equal(
      await b.page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed),
      true,
      'no reload',
    );
    noErrors(b);
  });

  it('takes screenshots of every screen, on a desktop and a phone', async () => {
    const info = board('정보게시판');
    const [a, [c1, c2, c3]] = await Promise.all([
      student('정보통'),
      newUsers(quad.url, ['c1', 'c2', 'c3'] as const, (_, i) => ['컴공23', '경영21', '새내기'][i]!),
    ]);
    const me = await api(a);
    const write = (
      client: typeof me | typeof c1,
      title: string,
      content: string,
      tags: string[],
      anonymous = true,
    ) => client.boards.ask('post:create', { boardId: info, title, content, tags, anonymous }).then(ok);

    const mine = await write(
      me,
      '중앙도서관 열람실 좌석 예약 꿀팁',
      '시험 기간엔 아침 7시 오픈런이 필수예요.\n앱에서 미리 대기 걸어두면 알림이 옵니다.\n3층 창가 자리가 제일 조용해요.',
      ['도서관', '시험기간', '꿀팁'],
      false,
    );
    const others = [
      await write(c1, '2학기 교양 추천 받아요', '널널하고 배울 것 있는 교양 있을까요? 팀플 없는 걸로요', [
        '교양',
        '수강신청',
      ]),
      await write(c2, '학생식당 가격 인상 소식', '다음 달부터 500원씩 오른대요 ㅠㅠ', ['학식'], false),
      await write(c3, '기숙사 택배 보관함 위치', '새로 생긴 보관함이 B동 1층 엘리베이터 옆에 있어요', [
        '기숙사',
      ]),
      await write(c3, '셔틀버스 시간표 바뀜', '평일 막차가 22시 30분으로 늦춰졌습니다.', ['셔틀', '교통']),
    ];
    // Two likes make a post HOT here (HOT_THRESHOLD=2).
    for (const liker of [c1, c2]) ok(await liker.boards.ask('post:like', { postId: mine.id }));
    ok(await c3.boards.ask('post:like', { postId: others[0]!.id }));
    ok(await c3.boards.ask('post:scrap', { postId: mine.id }));
    const comment = (client: typeof me | typeof c1, content: string, parentId?: number, anonymous = true) =>
      client.comments
        .ask('comment:create', { postId: mine.id, content, anonymous, ...(parentId && { parentId }) })
        .then(ok);
    const first = await comment(c1, '오 3층 창가 저도 좋아해요');
    await comment(me, '오픈런 하면 거의 다 앉을 수 있어요', first.id);
    await comment(c2, '좌석 연장은 몇 번까지 되나요?');
    await comment(c3, '정보 감사합니다!', undefined, false);
    ok(await c2.comments.ask('comment:like', { commentId: first.id }));
    // A reply to A's comment elsewhere, for a `reply` notification.
    const asked = ok(
      await me.comments.ask('comment:create', { postId: others[0]!.id, content: '저는 심리학개론 추천해요' }),
    );
    ok(
      await c1.comments.ask('comment:create', {
        postId: others[0]!.id,
        parentId: asked.id,
        content: '오 감사해요!',
      }),
    );

    const page = a.page;
    await show(page, `#/boards/${info}`, '.board-feed[data-live=true] [data-post-id]');
    await page.waitForSelector('[data-badge=hot]');
    await snap(page, 'board-feed');

    await show(page, '#/boards', '.board-grid [data-board-id]');
    await page.waitForSelector('[data-section=hot] [data-post-id]');
    await page.waitForSelector('[data-section=tags] [data-tag]');
    await snap(page, 'boards-list');

    await show(page, `#/boards/${info}/write`, 'form[data-screen=write]');
    await page.fill('input[name=title]', '이번 주 중고책 나눔합니다');
    await page.fill('textarea[name=content]', '전공책 몇 권 나눔해요.\n댓글로 필요한 책 남겨 주세요!');
    for (const tag of ['나눔', '전공책']) {
      await page.fill('input[name=tags]', tag);
      await page.press('input[name=tags]', 'Enter');
    }
    await page.waitForSelector('[data-suggestions]');
    await snap(page, 'write');

    await show(page, `#/posts/${mine.id}`, '.post-page[data-live=true] [data-comment-id]');
    const authors = await page.locator('[data-comment-id] [data-role=author]').allTextContents();
    assert.deepEqual(authors, ['익명1', '익명(글쓴이)', '익명2', '새내기']);
    await snap(page, 'post-view');

    await show(page, `#/boards/${board('취업·진로')}?tab=hot`, '.board-feed [data-empty]');
    await snap(page, 'board-feed-empty');

    await show(page, '#/notifications', '[data-notification-id]');
    await snap(page, 'notifications');
    await page.click('[data-action=read-all]');
    await page.waitForSelector('[data-unread="0"]', { state: 'attached' });
    assert.equal(await page.locator('[data-notification-id][data-read=false]').count(), 0);

    const phone = await student('폰유저', { viewport: PHONE });
    await show(phone.page, `#/boards/${info}`, '.board-feed[data-live=true] [data-post-id]');
    const overflow = await phone.page.evaluate(
      () => document.documentElement.scrollWidth > window.innerWidth,
    );
    await snap(phone.page, 'board-feed-phone');
    assert.equal(overflow, false, 'no horizontal scrolling on a phone');
    await show(phone.page, `#/posts/${mine.id}`, '.post-page[data-live=true] [data-comment-id]');
    await snap(phone.page, 'post-view-phone');
    noErrors(a, phone);
  });
});
