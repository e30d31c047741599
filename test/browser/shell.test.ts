import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startApp, type RunningApp } from '../helpers/app';
import {
  PHONE,
  ensureDashboardBuilt,
  launchBrowser,
  openPage,
  screenshot,
  signUpAndLogIn,
} from '../helpers/browser';

describe('dashboard shell (browser)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let quad: RunningApp;

  before(async () => {
    ensureDashboardBuilt();
    quad = await startApp();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('shows field errors next to the field on sign-up, in Korean by default', async () => {
    const user = await openPage(browser, quad.url);
    const { page } = user;
    await page.goto(`${quad.url}/#/signup`);
    await page.fill('input[name=username]', 'a');
    await page.fill('input[name=password]', 'short');
    await page.fill('input[name=nickname]', '닉');
    await page.click('[data-action=submit]');
    await page.waitForSelector('[data-error-for=username]');
    assert.ok(
      await page.isVisible('[data-error-for=password]'),
      'a short password is refused next to its field',
    );
    assert.equal(await page.getAttribute('html', 'lang'), 'ko');
    assert.match((await page.textContent('form h2')) ?? '', /회원가입/);
    await screenshot(page, 'signup-errors');
    assert.deepEqual(
      user.errors.filter((e) => !/status of 400/.test(e)),
      [],
    );
  });

  it('signs up, logs in, switches to English and back, and logs out', async () => {
    const user = await openPage(browser, quad.url);
    await signUpAndLogIn(user, '민지');
    const { page } = user;
    assert.equal(await page.textContent('.header__me'), '민지');
    await page.click('[data-action=language]');
    assert.equal(await page.textContent('[data-nav=boards]'), 'Boards');
    await page.click('[data-action=language]');
    assert.equal(await page.textContent('[data-nav=boards]'), '게시판');
    await page.reload();
    await page.waitForSelector('[data-connection=live]');
    assert.equal(await page.textContent('.header__me'), '민지', 'a reload keeps the session');
    await page.click('[data-action=logout]');
    await page.waitForSelector('form[data-screen=login]');
    await screenshot(page, 'login');
    assert.deepEqual(user.errors, []);
  });

  it('fits a phone-sized window, with the sections at the bottom', async () => {
    const user = await openPage(browser, quad.url, { viewport: PHONE });
    await signUpAndLogIn(user, '폰사용자');
    assert.ok(await user.page.isVisible('.bottomnav'));
    assert.ok(!(await user.page.isVisible('.header__nav')));
    const overflow = await user.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no horizontal scrolling on a phone');
    await screenshot(user.page, 'phone-home');
    assert.deepEqual(user.errors, []);
  });
});
