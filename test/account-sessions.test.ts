import assert from 'node:assert/strict';
import type { LoginDto, SessionDto } from '../shared/dto';
import type { ErrorWire } from '../shared/errors';
import { startApp, type RunningApp } from './helpers/app';
import { connectError, hex, http, newUser, PASSWORD, socket, type TestUser } from './helpers/clients';

type ErrorBody = { error: ErrorWire };

let ipSeq = 0;
/** An address no other test uses, so the login-failure counters of one test do not reach another. */
const freshIp = () => `198.51.100.${++ipSeq}`;

const NEW_PASSWORD = 'a-brand-new-passphrase-9';

describe('account sessions and password change', () => {
  let s: RunningApp;
  before(async () => {
    // TRUST_PROXY: each test picks its client address with X-Forwarded-For.
    s = await startApp({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES: '3' });
  });

  // Nicknames are unique: each user gets one of its own.
  const user = (base: string) => newUser(s.url, base, `s${hex()}`);
  const login = (username: string, password: string, headers: Record<string, string> = {}) =>
    http<LoginDto & ErrorBody>(s.url, 'POST', '/api/auth/login', {
      json: { username, password },
      headers: { 'x-forwarded-for': freshIp(), ...headers },
    });
  /** A second session of `u`'s account (another device). */
  const device = async (u: TestUser, headers: Record<string, string> = {}) => {
    const res = await login(u.user.username, u.password, headers);
    assert.equal(res.status, 200);
    return res.body;
  };
  const list = async (token: string) => {
    const res = await http<{ sessions: SessionDto[] }>(s.url, 'GET', '/api/account/sessions', { token });
    assert.equal(res.status, 200);
    return res.body.sessions;
  };
  const changePassword = (token: string, json: unknown, ip = freshIp()) =>
    http<{ ended: number } & ErrorBody>(s.url, 'POST', '/api/account/password', {
      token,
      json,
      headers: { 'x-forwarded-for': ip },
    });
  const gone = (client: { socket: { once(e: 'disconnect', f: (r: string) => void): unknown } }) =>
    new Promise<string>((resolve) => client.socket.once('disconnect', resolve));

  describe('sessions', () => {
    it('when a user is logged in on two devices, then the list shows both with device, IP and times, and marks the current one', async () => {
      const u = await user('devices');
      const phone = await device(u, {
        'user-agent': 'QuadPhone/1.0 (iPhone)',
        'x-forwarded-for': '203.0.113.9',
      });
      const sessions = await list(phone.accessToken);
      assert.equal(sessions.length, 2);
      const current = sessions.filter((x) => x.current);
      assert.equal(current.length, 1);
      assert.equal(current[0]!.userAgent, 'QuadPhone/1.0 (iPhone)');
      assert.equal(current[0]!.ip, '203.0.113.9');
      for (const x of sessions) {
        assert.match(x.id, /^[0-9a-f-]{36}$/);
        assert.ok(!Number.isNaN(Date.parse(x.createdAt)) && !Number.isNaN(Date.parse(x.lastUsedAt)));
        assert.deepEqual(Object.keys(x).sort(), [
          'createdAt',
          'current',
          'id',
          'ip',
          'lastUsedAt',
          'userAgent',
        ]);
      }
      // The other device sees the same two, with itself as current.
      const fromFirst = await list(u.accessToken);
      assert.deepEqual(fromFirst.map((x) => x.id).sort(), sessions.map((x) => x.id).sort());
      assert.notEqual(fromFirst.find((x) => x.current)!.id, current[0]!.id);
    });

    it('when a user ends another of their sessions, then 204, its sockets disconnect, its tokens are refused, and this one stays', async () => {
      const u = await user('endone');
      const other = await device(u);
      const mine = socket(s.url, '/boards', { token: u.accessToken });
      const theirs = [
        socket(s.url, '/boards', { token: other.accessToken }),
        socket(s.url, '/comments', { token: other.accessToken }),
      ];
      await Promise.all([mine, ...theirs].map((c) => c.connected()));
      const closed = theirs.map(gone);
      const target = (await list(u.accessToken)).find((x) => !x.current)!;

      const res = await http(s.url, 'DELETE', `/api/account/sessions/${target.id}`, { token: u.accessToken });
      assert.equal(res.status, 204);
      assert.deepEqual(await Promise.all(closed), ['io server disconnect', 'io server disconnect']);
      assert.equal(
        (await connectError(socket(s.url, '/boards', { token: other.accessToken }))).data?.code,
        'TOKEN_REVOKED',
      );
      const me = await http<ErrorBody>(s.url, 'GET', '/api/auth/me', { token: other.accessToken });
      assert.equal(me.body.error.reason, 'TOKEN_REVOKED');
      const refresh = await http<ErrorBody>(s.url, 'POST', '/api/auth/refresh', {
        json: { refreshToken: other.refreshToken },
      });
      assert.equal(refresh.body.error.reason, 'TOKEN_REVOKED');
      assert.deepEqual(
        (await list(u.accessToken)).map((x) => x.current),
        [true],
      );
      assert.equal((await mine.ask('whoami')).ok, true);
      // Ended already: now it is unknown.
      const again = await http<ErrorBody>(s.url, 'DELETE', `/api/account/sessions/${target.id}`, {
        token: u.accessToken,
      });
      assert.equal(again.status, 404);
    });

    it('when a user tries to end another user’s session, then 404 NOT_FOUND (never 403) and that session lives on', async () => {
      const [mallory, victim] = [await user('mallory'), await user('victim')];
      const victimSocket = socket(s.url, '/boards', { token: victim.accessToken });
      await victimSocket.connected();
      const [session] = await list(victim.accessToken);
      const res = await http<ErrorBody>(s.url, 'DELETE', `/api/account/sessions/${session!.id}`, {
        token: mallory.accessToken,
      });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'NOT_FOUND');
      const unknown = await http<ErrorBody>(s.url, 'DELETE', `/api/account/sessions/${crypto.randomUUID()}`, {
        token: mallory.accessToken,
      });
      assert.deepEqual(
        [unknown.status, unknown.body.error],
        [404, res.body.error],
        'the same answer as unknown',
      );
      assert.equal((await victimSocket.ask('whoami')).ok, true);
      assert.equal((await list(victim.accessToken)).length, 1);
    });

    it('when the session id is not a UUID, then 400 VALIDATION on id', async () => {
      const u = await user('badid');
      const res = await http<ErrorBody>(s.url, 'DELETE', '/api/account/sessions/1%20OR%201=1', {
        token: u.accessToken,
      });
      assert.equal(res.status, 400);
      assert.ok(res.body.error.fields?.id);
    });

    it('when a user ends every other session, then their count, their sockets disconnect and only this one is left', async () => {
      const u = await user('endall');
      const others = [await device(u), await device(u)];
      const sockets = others.map((o) => socket(s.url, '/timetables', { token: o.accessToken }));
      const mine = socket(s.url, '/timetables', { token: u.accessToken });
      await Promise.all([...sockets, mine].map((c) => c.connected()));
      const closed = sockets.map(gone);
      const res = await http<{ ended: number }>(s.url, 'DELETE', '/api/account/sessions', {
        token: u.accessToken,
      });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { ended: 2 });
      assert.deepEqual(await Promise.all(closed), ['io server disconnect', 'io server disconnect']);
      assert.deepEqual(
        (await list(u.accessToken)).map((x) => x.current),
        [true],
      );
      assert.equal((await mine.ask('whoami')).ok, true);
    });

    it('when a user ends the current session by id, then it is a logout: 204, the cookies are cleared and the token is refused', async () => {
      const u = await user('selfend');
      const [current] = await list(u.accessToken);
      const res = await http(s.url, 'DELETE', `/api/account/sessions/${current!.id}`, {
        token: u.accessToken,
      });
      assert.equal(res.status, 204);
      const cleared = res.headers.getSetCookie();
      assert.ok(
        cleared.some((c) => c.startsWith('quad_access=;')),
        cleared.join(' | '),
      );
      const me = await http<ErrorBody>(s.url, 'GET', '/api/auth/me', { token: u.accessToken });
      assert.equal(me.body.error.reason, 'TOKEN_REVOKED');
    });

    it('when the browser ends sessions with its cookie from a foreign origin, then 403 and nothing ends', async () => {
      const u = await user('csrf');
      const other = await device(u);
      const cookie = `quad_access=${u.accessToken}`;
      const foreign = await http(s.url, 'DELETE', '/api/account/sessions', {
        headers: { cookie, origin: 'https://evil.example' },
      });
      assert.equal(foreign.status, 403);
      assert.equal((await list(other.accessToken)).length, 2);
      const own = await http(s.url, 'DELETE', '/api/account/sessions', {
        headers: { cookie, origin: s.url },
      });
      assert.equal(own.status, 200);
      assert.equal((await list(u.accessToken)).length, 1);
    });

    it('when there is no access token, then each route answers 401', async () => {
      for (const [method, path] of [
        ['GET', '/api/account/sessions'],
        ['DELETE', '/api/account/sessions'],
        ['DELETE', `/api/account/sessions/${crypto.randomUUID()}`],
        ['POST', '/api/account/password'],
      ] as const) {
        const res = await http<ErrorBody>(s.url, method, path, { json: method === 'POST' ? {} : undefined });
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.equal(res.body.error.reason, 'TOKEN_MISSING');
      }
    });
  });

  describe('password change', () => {
    it('when the current password is right and the new one strong, then the other sessions end and this one stays', async () => {
      const u = await user('pwchange');
      const other = await device(u);
      const theirs = socket(s.url, '/boards', { token: other.accessToken });
      const mine = socket(s.url, '/boards', { token: u.accessToken });
      await Promise.all([theirs.connected(), mine.connected()]);
      const closed = gone(theirs);

      const res = await changePassword(u.accessToken, { current: PASSWORD, next: NEW_PASSWORD });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { ended: 1 });
      assert.equal(await closed, 'io server disconnect');
      assert.equal(
        (await connectError(socket(s.url, '/comments', { token: other.accessToken }))).data?.code,
        'TOKEN_REVOKED',
      );
      assert.equal((await mine.ask('whoami')).ok, true);
      assert.equal((await http(s.url, 'GET', '/api/auth/me', { token: u.accessToken })).status, 200);
      const refreshed = await http(s.url, 'POST', '/api/auth/refresh', {
        json: { refreshToken: u.refreshToken },
      });
      assert.equal(refreshed.status, 200, 'this session refreshes as before');
      assert.equal((await login(u.user.username, PASSWORD)).status, 401);
      assert.equal((await login(u.user.username, NEW_PASSWORD)).status, 200);
    });

    it('when the new password is common, contains the username, is too short or is the current one, then 400 on next and nothing changes', async () => {
      const u = await user('pwweak');
      const other = await device(u);
      for (const next of ['password1', 'qwerty123', `${u.user.username}!!`, 'short', PASSWORD]) {
        const res = await changePassword(u.accessToken, { current: PASSWORD, next });
        assert.equal(res.status, 400, next);
        assert.equal(res.body.error.code, 'VALIDATION');
        assert.deepEqual(Object.keys(res.body.error.fields ?? {}), ['next'], next);
      }
      assert.equal((await list(other.accessToken)).length, 2, 'no session ended');
      assert.equal((await login(u.user.username, PASSWORD)).status, 200, 'the password is unchanged');
    });

    it('when fields are missing or unknown, then 400 naming each', async () => {
      const u = await user('pwfields');
      const res = await changePassword(u.accessToken, { next: 1, extra: true });
      assert.equal(res.status, 400);
      assert.deepEqual(Object.keys(res.body.error.fields ?? {}).sort(), ['current', 'extra', 'next']);
    });

    it('when the current password is wrong, then 400 on current; past LOGIN_MAX_FAILURES the change and the logins from there are RATE_LIMITED', async () => {
      const u = await user('pwwrong');
      const ip = freshIp();
      for (let i = 0; i < 3; i++) {
        const res = await changePassword(
          u.accessToken,
          { current: 'not-my-password', next: NEW_PASSWORD },
          ip,
        );
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, 'VALIDATION');
        assert.deepEqual(Object.keys(res.body.error.fields ?? {}), ['current']);
      }
      // The same counter a failed login feeds: this username from this address is now locked out.
      const limited = await changePassword(u.accessToken, { current: PASSWORD, next: NEW_PASSWORD }, ip);
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      const loginThere = await login(u.user.username, PASSWORD, { 'x-forwarded-for': ip });
      assert.equal(loginThere.status, 429);
      assert.equal(loginThere.body.error.code, 'RATE_LIMITED');
      // Elsewhere the account still logs in with its unchanged password.
      assert.equal((await login(u.user.username, PASSWORD)).status, 200);
    });

    it('when failed logins used up the limit, then a password change from there is RATE_LIMITED too', async () => {
      const u = await user('pwlogins');
      const ip = freshIp();
      for (let i = 0; i < 3; i++)
        assert.equal(
          (await login(u.user.username, 'wrong-password-x', { 'x-forwarded-for': ip })).status,
          401,
        );
      const res = await changePassword(u.accessToken, { current: PASSWORD, next: NEW_PASSWORD }, ip);
      assert.equal(res.status, 429);
    });

    it('when a cookie-authenticated change comes from a foreign origin, then 403 and the password is unchanged', async () => {
      const u = await user('pwcsrf');
      const res = await http(s.url, 'POST', '/api/account/password', {
        json: { current: PASSWORD, next: NEW_PASSWORD },
        headers: { cookie: `quad_access=${u.accessToken}`, origin: 'https://evil.example' },
      });
      assert.equal(res.status, 403);
      assert.equal((await login(u.user.username, PASSWORD)).status, 200);
    });
  });
});
