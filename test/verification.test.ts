import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import type { OutboxMailDto, UserDto, VerificationStartedDto, VerifiedDto } from '../shared/dto';
import type { ErrorWire } from '../shared/errors';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardsByName } from './helpers/boards';
import { hex, http, newUser, type TestUser } from './helpers/clients';
import { codeIn, startSmtp, type TestSmtp } from './helpers/smtp';

type ErrorBody = { error: ErrorWire };

/** A school address no other test uses. */
const schoolEmail = (domain = 'snu.ac.kr') => `s${hex()}@${domain}`;

describe('school email verification', () => {
  let smtp: TestSmtp;
  let s: RunningApp;
  let FREE: number;

  const start = (u: TestUser, email: string) => u.boards.ask('account:verify:start', { email });
  const confirm = (u: TestUser, code: string) => u.boards.ask('account:verify:confirm', { code });
  /** Sends a code to `email` and returns it, as read from the mail the SMTP server received. */
  const codeFor = async (u: TestUser, email: string) => {
    ok(await start(u, email));
    return codeIn(await smtp.next(email));
  };
  const post = (u: TestUser) =>
    u.boards.ask('post:create', { boardId: FREE, title: `인증 ${hex()}`, content: '학교 인증 후 첫 글' });

  before(async () => {
    smtp = await startSmtp();
    s = await startApp({
      SCHOOL_EMAIL_DOMAINS: 'snu.ac.kr,yonsei.ac.kr',
      REQUIRE_VERIFIED: '1',
      SMTP_URL: smtp.url,
      // Each test asks for codes as often as it needs; the resend interval has its own test.
      VERIFY_RESEND_INTERVAL: '0',
    });
    FREE = (await boardsByName((await newUser(s.url)).boards)).get('자유게시판')!.id;
  });
  after(async () => {
    await s?.stop();
    await smtp?.close();
  });

  it('when REQUIRE_VERIFIED is on, then a new user may read but not post, verifies with the code from the real mail, and then posts', async () => {
    const u = await newUser(s.url, 'fresh');
    const err = refused(await post(u), 'FORBIDDEN');
    assert.equal(err.reason, 'UNVERIFIED');
    ok(await u.boards.ask('posts:list', { boardId: FREE }));
    assert.equal(ok(await u.boards.ask('whoami')).verified, false);

    const email = schoolEmail();
    const started = ok(await start(u, email));
    assert.equal(started.email, email);
    const mail = await smtp.next(email);
    assert.match(mail.subject, /인증 코드|verification code/i);
    const code = codeIn(mail);
    // The code is in the mail, and nothing else about the account is.
    assert.ok(!mail.text.includes(u.user.username), 'the username is not in the mail');
    assert.ok(!mail.raw.includes(u.password), 'the password is not in the mail');

    const verified = ok(await confirm(u, code));
    assert.deepEqual([verified.email, verified.school], [email, 'snu.ac.kr']);
    // At once, on the same socket: the write guard reads the account anew.
    const created = ok(await post(u));
    assert.equal(created.boardId, FREE);
    assert.equal(ok(await u.boards.ask('whoami')).verified, true);
    const me = await http<{ user: UserDto }>(s.url, 'GET', '/api/auth/me', { token: u.accessToken });
    assert.deepEqual([me.body.user.verified, me.body.user.email], [true, email]);
  });

  it('when verifying over REST, then POST /api/account/verification and /confirm do what the socket commands do', async () => {
    const u = await newUser(s.url, 'rest');
    const email = schoolEmail('yonsei.ac.kr');
    const started = await http<VerificationStartedDto>(s.url, 'POST', '/api/account/verification', {
      token: u.accessToken,
      json: { email },
    });
    assert.equal(started.status, 202);
    assert.ok(Date.parse(started.body.expiresAt) > Date.now() + 9 * 60_000, 'the code lives 10 minutes');
    const code = codeIn(await smtp.next(email));
    const done = await http<VerifiedDto>(s.url, 'POST', '/api/account/verification/confirm', {
      token: u.accessToken,
      json: { code },
    });
    assert.equal(done.status, 200);
    assert.equal(done.body.school, 'yonsei.ac.kr');
    ok(await post(u));
  });

  it('when the email is outside SCHOOL_EMAIL_DOMAINS, then VALIDATION on email and no mail is sent', async () => {
    const u = await newUser(s.url, 'outside');
    for (const email of [`s${hex()}@gmail.com`, `s${hex()}@snu.ac.kr.evil.com`, 'not-an-email']) {
      const err = refused(await start(u, email), 'VALIDATION');
      assert.ok(err.fields?.email, JSON.stringify(err));
      assert.equal(smtp.to(email).length, 0);
    }
    // A department's subdomain is the school's.
    ok(await start(u, `s${hex()}@cse.snu.ac.kr`));
  });

  it('when a wrong code is entered six times, then five answer VALIDATION with the tries left and the sixth RATE_LIMITED with when to retry; the right code no longer works', async () => {
    const u = await newUser(s.url, 'guess');
    const email = schoolEmail();
    const code = await codeFor(u, email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 0; left--) {
      const err = refused(await confirm(u, wrong), 'VALIDATION');
      assert.match(err.fields?.code ?? '', left > 0 ? new RegExp(`${left} left`) : /no tries left/);
    }
    const locked = refused(await confirm(u, wrong), 'RATE_LIMITED');
    assert.ok(locked.retryAfter! > 60, `retryAfter ${locked.retryAfter}`);
    assert.ok(Date.parse(locked.until!) > Date.now());
    refused(await confirm(u, code), 'RATE_LIMITED');
    // Nor can a new code be had while locked.
    refused(await start(u, email), 'RATE_LIMITED');
    refused(await post(u), 'FORBIDDEN');
  });

  it('when the code has expired, then VALIDATION says so and the account stays unverified', async () => {
    const u = await newUser(s.url, 'late');
    const code = await codeFor(u, schoolEmail());
    await s.app.db.query('UPDATE email_verifications SET expiresAt = ? WHERE userId = ?', {
      replacements: [new Date(Date.now() - 1000), u.user.id],
    });
    const err = refused(await confirm(u, code), 'VALIDATION');
    assert.equal(err.fields?.code, 'has expired');
    assert.equal(ok(await u.boards.ask('whoami')).verified, false);
  });

  it('when the email verifies another account or is being verified by one, then CONFLICT; one email verifies one account', async () => {
    const [first, second, third] = [
      await newUser(s.url, 'one'),
      await newUser(s.url, 'two'),
      await newUser(s.url, 'three'),
    ];
    const email = schoolEmail();
    ok(await confirm(first, await codeFor(first, email)));
    // Another case is the same address.
    const err = refused(await start(second, email.toUpperCase()), 'CONFLICT');
    assert.equal(err.fields?.email, 'verifies another account');

    const pending = schoolEmail();
    await codeFor(second, pending);
    refused(await start(third, pending), 'CONFLICT');
    // The same account again with the email it already has.
    refused(await start(first, email), 'CONFLICT');
  });

  it('when an account verified with an email is deleted, then the email is held for DELETED_ACCOUNT_HOLD_DAYS, and free after', async () => {
    const gone = await newUser(s.url, 'leaver');
    const email = schoolEmail();
    ok(await confirm(gone, await codeFor(gone, email)));
    const deleted = await http(s.url, 'DELETE', '/api/account', {
      token: gone.accessToken,
      json: { password: gone.password },
    });
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
    const next = await newUser(s.url, 'heir');
    const err = refused(await start(next, email), 'CONFLICT');
    assert.equal(err.fields?.email, 'verifies another account');
    // The hold ends (as DELETED_ACCOUNT_HOLD_DAYS pass): the address verifies a new account.
    await s.app.db.query("UPDATE account_holds SET until = ? WHERE kind = 'email'", {
      replacements: [new Date(Date.now() - 1000)],
    });
    ok(await confirm(next, await codeFor(next, email)));
  });

  it('when the mail server refuses, then UNAVAILABLE and nothing is spent: the refused mail is not counted and the earlier code still works', async () => {
    const u = await newUser(s.url, 'smtpdown');
    const email = schoolEmail();
    const code = await codeFor(u, email);
    smtp.failing = true;
    try {
      const err = refused(await start(u, email), 'UNAVAILABLE');
      assert.doesNotMatch(err.message, /smtp-test-secret|quad-mailer/, 'the SMTP login is not in the error');
    } finally {
      smtp.failing = false;
    }
    const rows: Array<{ sends: number }> = await s.app.db.query(
      'SELECT sends FROM email_verifications WHERE userId = ?',
      { replacements: [u.user.id], type: QueryTypes.SELECT },
    );
    assert.equal(rows[0]!.sends, 1, 'the refused mail was not counted');
    ok(await confirm(u, code));
  });

  it('when codes are asked for too often, then RATE_LIMITED with retryAfter: VERIFY_RESEND_INTERVAL between two, five an hour', async () => {
    const strict = await startApp({
      SCHOOL_EMAIL_DOMAINS: 'snu.ac.kr',
      SMTP_URL: smtp.url,
      VERIFY_RESEND_INTERVAL: '60s',
    });
    const u = await newUser(strict.url, 'resend');
    const email = schoolEmail();
    const first = ok(await start(u, email));
    assert.ok(Date.parse(first.resendAfter) > Date.now() + 50_000);
    const err = refused(await start(u, email), 'RATE_LIMITED');
    assert.ok(err.retryAfter! > 50 && err.retryAfter! <= 60, `retryAfter ${err.retryAfter}`);
    assert.equal(smtp.to(email).length, 1, 'the refused resend mailed nothing');

    // Four more sends in the hour (the last one moved back past the interval each time), then no more.
    for (let i = 0; i < 4; i++) {
      await strict.app.db.query('UPDATE email_verifications SET sentAt = ? WHERE userId = ?', {
        replacements: [new Date(Date.now() - 61_000), u.user.id],
      });
      ok(await start(u, email));
    }
    await strict.app.db.query('UPDATE email_verifications SET sentAt = ? WHERE userId = ?', {
      replacements: [new Date(Date.now() - 61_000), u.user.id],
    });
    const hourly = refused(await start(u, email), 'RATE_LIMITED');
    assert.ok(hourly.retryAfter! > 3000, `retryAfter ${hourly.retryAfter}`);
    // Only the newest code works.
    const mails = smtp.to(email);
    assert.equal(mails.length, 5);
    ok(await u.boards.ask('account:verify:confirm', { code: codeIn(mails.at(-1)!) }));
    await strict.stop();
  });

  it('when verification is off (no SCHOOL_EMAIL_DOMAINS), then writing needs nothing and starting a verification is FORBIDDEN', async () => {
    const plain = await startApp();
    const u = await newUser(plain.url, 'plain');
    refused(await u.boards.ask('account:verify:start', { email: schoolEmail() }), 'FORBIDDEN');
    const board = (await boardsByName(u.boards)).get('자유게시판')!.id;
    ok(await u.boards.ask('post:create', { boardId: board, title: 'no verification', content: '…' }));
    assert.equal(ok(await u.boards.ask('whoami')).verified, false);
    const outbox = await http<ErrorBody>(plain.url, 'GET', '/api/dev/outbox');
    assert.equal(outbox.status, 404, 'the outbox is served in development only');
    await plain.stop();
  });

  it('when NODE_ENV=development without SMTP_URL, then the code lands in DATA_DIR/outbox and GET /api/dev/outbox shows it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quad-outbox-'));
    const dev = await startApp({
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      SCHOOL_EMAIL_DOMAINS: 'snu.ac.kr',
    });
    const u = await newUser(dev.url, 'devmail');
    const email = schoolEmail();
    ok(await u.boards.ask('account:verify:start', { email }));
    const outbox = await http<{ mails: OutboxMailDto[] }>(dev.url, 'GET', '/api/dev/outbox');
    assert.equal(outbox.status, 200);
    const mail = outbox.body.mails.find((m) => m.to === email);
    assert.ok(mail, JSON.stringify(outbox.body));
    const eml = fs.readdirSync(path.join(dataDir, 'outbox')).filter((f) => f.endsWith('.eml'));
    assert.equal(eml.length, 1);
    assert.match(fs.readFileSync(path.join(dataDir, 'outbox', eml[0]!), 'utf8'), /^Subject: /m);
    const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
    ok(await u.boards.ask('account:verify:confirm', { code }));
    await dev.stop();
  });
});
