import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { LoginDto } from '../shared/dto';
import type { ErrorWire } from '../shared/errors';
import { ok } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { connectError, hex, http, newUser, PASSWORD, socket, type TestUser } from './helpers/clients';
import { codeIn, resetTokenIn, startSmtp, type TestSmtp } from './helpers/smtp';

type ErrorBody = { error: ErrorWire };

const NEXT = 'reset-passphrase-of-mine-4';
let ipSeq = 0;
/** An address no other test uses, so the per-IP limit of one test does not reach another. */
const freshIp = () => `192.0.2.${++ipSeq}`;

describe('password reset by school email', () => {
  let smtp: TestSmtp;
  let s: RunningApp;

  /** A user verified with a fresh school email (read from the mail, as a student would). */
  const verifiedUser = async (): Promise<TestUser & { email: string }> => {
    const u = await newUser(s.url, 'reset');
    const email = `r${hex()}@snu.ac.kr`;
    ok(await u.boards.ask('account:verify:start', { email }));
    ok(await u.boards.ask('account:verify:confirm', { code: codeIn(await smtp.next(email)) }));
    return Object.assign(u, { email });
  };
  const request = (email: string, ip = freshIp()) =>
    http<{ ok: true } & ErrorBody>(s.url, 'POST', '/api/account/password/reset', {
      json: { email },
      headers: { 'x-forwarded-for': ip },
    });
  const confirm = (token: string, next = NEXT) =>
    http<{ ended: number } & ErrorBody>(s.url, 'POST', '/api/account/password/reset/confirm', {
      json: { token, next },
    });
  const login = (username: string, password: string) =>
    http<LoginDto & ErrorBody>(s.url, 'POST', '/api/auth/login', {
      json: { username, password },
      headers: { 'x-forwarded-for': freshIp() },
    });

  before(async () => {
    smtp = await startSmtp();
    s = await startApp({
      SCHOOL_EMAIL_DOMAINS: 'snu.ac.kr',
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://quad.example.ac.kr',
      TRUST_PROXY: '1',
      RESET_MAX_PER_EMAIL: '3',
      RESET_MAX_PER_IP: '5',
    });
  });
  after(async () => {
    await s?.stop();
    await smtp?.close();
  });

  it('when a verified user resets by email, then the mailed link sets the new password once and every session ends, its sockets disconnected', async () => {
    const u = await verifiedUser();
    const boards = socket(s.url, '/boards', { token: u.accessToken });
    const timetables = socket(s.url, '/timetables', { token: u.accessToken });
    await Promise.all([boards.connected(), timetables.connected()]);
    const closed = [boards, timetables].map(
      (c) => new Promise<string>((resolve) => c.socket.once('disconnect', resolve)),
    );

    const res = await request(u.email.toUpperCase());
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { ok: true });
    const mail = await smtp.next(u.email);
    assert.match(mail.text, /https:\/\/quad\.example\.ac\.kr\/#\/reset\?token=/);
    assert.ok(!mail.text.includes(u.user.username), 'the username is not in the mail');
    const token = resetTokenIn(mail);

    const done = await confirm(token);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.ended, 1);
    assert.deepEqual(await Promise.all(closed), ['io server disconnect', 'io server disconnect']);
    assert.equal(
      (await connectError(socket(s.url, '/boards', { token: u.accessToken }))).data?.code,
      'TOKEN_REVOKED',
    );
    assert.equal((await login(u.user.username, PASSWORD)).status, 401);
    assert.equal((await login(u.user.username, NEXT)).status, 200);

    // Used once: a second use is refused, and changes nothing.
    const again = await confirm(token, 'yet-another-passphrase-5');
    assert.equal(again.status, 400);
    assert.equal(again.body.error.fields?.token, 'is invalid, used or expired');
    assert.equal((await login(u.user.username, NEXT)).status, 200);
  });

  it('when the email belongs to no account (or an unverified one), then the answer is the same and no mail is sent', async () => {
    const nobody = `n${hex()}@snu.ac.kr`;
    const res = await request(nobody);
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { ok: true });
    const known = await verifiedUser();
    const both = await request(known.email);
    assert.deepEqual([both.status, both.body], [res.status, res.body]);
    await smtp.next(known.email);
    // An email that is only being verified (its code mailed, not entered) resets nothing either.
    const pending = await newUser(s.url, 'pending');
    const pendingEmail = `p${hex()}@snu.ac.kr`;
    ok(await pending.boards.ask('account:verify:start', { email: pendingEmail }));
    await smtp.next(pendingEmail);
    const third = await request(pendingEmail);
    assert.deepEqual([third.status, third.body], [res.status, res.body]);
    // Unknown and unverified addresses are answered before anything is stored or sent (only a
    // known one starts the background mail), so nothing can still be on its way here.
    const rows: Array<{ n: number }> = await s.app.db.query(
      'SELECT COUNT(*) AS n FROM password_resets WHERE userId = ?',
      { replacements: [pending.user.id], type: QueryTypes.SELECT },
    );
    assert.equal(Number(rows[0]!.n), 0);
    assert.equal(smtp.to(nobody).length, 0);
    assert.equal(smtp.to(pendingEmail).length, 1, 'only the verification code');
  });

  it('when the link is older than 30 minutes, then it is refused and the password stays', async () => {
    const u = await verifiedUser();
    await request(u.email);
    const token = resetTokenIn(await smtp.next(u.email));
    await s.app.db.query('UPDATE password_resets SET expiresAt = ? WHERE userId = ?', {
      replacements: [new Date(Date.now() - 1000), u.user.id],
    });
    const res = await confirm(token);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.fields?.token, 'is invalid, used or expired');
    assert.equal((await login(u.user.username, PASSWORD)).status, 200);
  });

  it('when the new password is weak or the current one, then VALIDATION on next and the link still works', async () => {
    const u = await verifiedUser();
    await request(u.email);
    const token = resetTokenIn(await smtp.next(u.email));
    for (const weak of ['password123', PASSWORD, `${u.user.username}-2024!`]) {
      const res = await confirm(token, weak);
      assert.equal(res.status, 400, weak);
      assert.ok(res.body.error.fields?.next, JSON.stringify(res.body.error));
    }
    assert.equal((await confirm(token)).status, 200);
  });

  it('when a malformed token is sent, then VALIDATION on token', async () => {
    const res = await confirm('not a token');
    assert.equal(res.status, 400);
    assert.ok(res.body.error.fields?.token);
  });

  it('when resets are asked for too often, then RATE_LIMITED per email (known or not alike) and per IP', async () => {
    for (const email of [`n${hex()}@snu.ac.kr`, (await verifiedUser()).email]) {
      for (let i = 0; i < 3; i++) assert.equal((await request(email)).status, 202);
      const limited = await request(email);
      assert.equal(limited.status, 429);
      assert.ok(limited.body.error.retryAfter! > 0);
    }
    const ip = freshIp();
    for (let i = 0; i < 5; i++) assert.equal((await request(`n${hex()}@snu.ac.kr`, ip)).status, 202);
    assert.equal((await request(`n${hex()}@snu.ac.kr`, ip)).status, 429);
  });
});
