/**
 * Browser tests: Debian's Chromium driven by playwright-core against a real Quad that
 * serves the built dashboard. Each test file launches one browser; each user gets their own
 * context (own cookies and localStorage), and every page's console errors fail the test.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PASSWORD, uniqueName } from './clients';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'client-demo', 'dist', 'index.html');
export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

/** Builds the dashboard when its build is missing or older than its sources. */
export function ensureDashboardBuilt(): void {
  const built = fs.existsSync(DIST) ? fs.statSync(DIST).mtimeMs : 0;
  const newest = newestMtime(path.join(ROOT, 'client-demo'), path.join(ROOT, 'shared'));
  if (built >= newest) return;
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'client-demo/build.mts'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

function newestMtime(...dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'dist' || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const d of dirs) walk(d);
  return newest;
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface UserPage {
  context: BrowserContext;
  page: Page;
  username: string;
  nickname: string;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

/**
 * A fresh browser context at the dashboard. `allow` lists console messages that are expected
 * (e.g. the browser's own "WebSocket connection failed" while a server restarts).
 */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  options: { viewport?: { width: number; height: number }; allow?: RegExp[] } = {},
): Promise<UserPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, locale: 'ko-KR' });
  const page = await context.newPage();
  const errors: string[] = [];
  const allowed = (text: string) => (options.allow ?? []).some((re) => re.test(text));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowed(msg.text())) errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  await page.goto(baseUrl);
  return { context, page, username: '', nickname: '', errors };
}

/** Signs up and logs in through the dashboard's own forms. */
export async function signUpAndLogIn(user: UserPage, nickname = '새내기'): Promise<void> {
  const { page } = user;
  user.username = uniqueName('web');
  user.nickname = nickname;
  await page.goto(new URL('/#/signup', page.url()).toString());
  await page.waitForSelector('form[data-screen=signup]');
  await page.fill('form[data-screen=signup] input[name=username]', user.username);
  await page.fill('form[data-screen=signup] input[name=password]', PASSWORD);
  await page.fill('form[data-screen=signup] input[name=nickname]', nickname);
  await page.click('form[data-screen=signup] [data-action=submit]');
  await page.waitForSelector('form[data-screen=login]');
  await page.fill('form[data-screen=login] input[name=username]', user.username);
  await page.fill('form[data-screen=login] input[name=password]', PASSWORD);
  await page.click('form[data-screen=login] [data-action=submit]');
  await page.waitForSelector('[data-connection=live]');
}

/** Saves a full-page screenshot as test/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
