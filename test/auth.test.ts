import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import type { LoginDto, UserDto } from '../shared/dto';
import type { ErrorWire } from '../shared/errors';
import { startApp, type RunningApp } from './helpers/app';
import { hex, http, newUser, PASSWORD, uniqueName, uniqueNick } from './helpers/clients';

type ErrorBody = { error: ErrorWire };

describe('REST auth', () => {
  let s: RunningApp;
  before(async () => {
    s = await startApp();
  });

  const post = <T = ErrorBody>(path: string, json?: unknown, token?: string) =>
    http<T>(s.url, 'POST', `/api/auth${path}`, { json, token });

  describe('signup', () => {
    it('when the input is valid, then 201 with the user and no password or hash', async () => {
      const username = uniqueName('minji');
      const nickname = `민지 🐣${hex().slice(0, 6)}`; // 10 characters: the emoji counts as one
      const res = await post<{ user: UserDto }>('/signup', {
        username,
        password: PASSWORD,
        nickname,
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.user.username, username);
      assert.equal(res.body.user.nickname, nickname);
      assert.equal(typeof res.body.user.id, 'number');
      assert.doesNotMatch(JSON.stringify(res.body), /password|hash/i);
    });

    it('when the username is taken (in any case), then 409 CONFLICT naming the field', async () => {
      const username = uniqueName('taken');
      assert.equal(
        (await post('/signup', { username, password: PASSWORD, nickname: uniqueNick() })).status,
        201,
      );
      const res = await post('/signup', {
        username: username.toUpperCase(),
        password: PASSWORD,
        nickname: uniqueNick(),
      });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'CONFLICT');
      assert.ok(res.body.error.fields?.username);
    });

    it('when the password is common, short or contains the username, then 400 on the password field', async () => {
      const username = uniqueName('weak');
      for (const password of ['password1', 'qwerty123', 'iloveyou', 'short', `${username}!!`]) {
        const res = await post('/signup', { username, password, nickname: uniqueNick() });
        assert.equal(res.status, 400, password);
        assert.equal(res.body.error.code, 'VALIDATION');
        assert.ok(res.body.error.fields?.password, password);
      }
      assert.equal(
        (await http(s.url, 'POST', '/api/auth/login', { json: { username, password: 'password1' } })).status,
        401,
      );
    });

    it('when fields are unknown, missing or wrongly typed, then 400 naming each field', async () => {
      const res = await post('/signup', { username: 'ab', password: 123, nickname: '', isAdmin: true });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'VALIDATION');
      assert.deepEqual(Object.keys(res.body.error.fields ?? {}).sort(), [
        'isAdmin',
        'nickname',
        'password',
        'username',
      ]);
      const missing = await post('/signup', {});
      assert.deepEqual(Object.keys(missing.body.error.fields ?? {}).sort(), [
        'nickname',
        'password',
        'username',
      ]);
    });

    it('when the username has characters other than letters, digits and underscore, then 400', async () => {
      for (const username of ['민지민지', 'a b c', 'abc-def', 'x'.repeat(21)]) {
        const res = await post('/signup', { username, password: PASSWORD, nickname: uniqueNick() });
        assert.equal(res.status, 400, username);
        assert.ok(res.body.error.fields?.username);
      }
    });

    it('when the nickname is 11 characters or 1, then 400; 10 Korean characters are fine', async () => {
      for (const nickname of [`가${hex()}가가`, '가']) {
        const bad = await post('/signup', { username: uniqueName('nick'), password: PASSWORD, nickname });
        assert.equal(bad.status, 400, nickname);
        assert.ok(bad.body.error.fields?.nickname, nickname);
      }
      const ok = await post('/signup', {
        username: uniqueName('nick'),
        password: PASSWORD,
        nickname: `가${[...hex()].map((d) => String.fromCharCode(0xac00 + parseInt(d, 16))).join('')}가`,
      });
      assert.equal(ok.status, 201);
    });
  });

  describe('login', () => {
    it('when the credentials are right, then tokens in the body and httpOnly cookies', async () => {
      const username = uniqueName('login');
      await post('/signup', { username, password: PASSWORD, nickname: uniqueNick() });
      const res = await post<LoginDto>('/login', { username, password: PASSWORD });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.username, username);
      assert.ok(res.body.accessToken && res.body.refreshToken);
      const cookies = res.headers.getSetCookie();
      const access = cookies.find((c) => c.startsWith('quad_access='));
      const refresh = cookies.find((c) => c.startsWith('quad_refresh='));
      assert.match(access ?? '', /HttpOnly/i);
      assert.match(refresh ?? '', /HttpOnly/i);
      assert.match(refresh ?? '', /SameSite=Strict/i);
      assert.doesNotMatch(refresh ?? '', /Secure/i, 'plain HTTP without a trusted proxy: not Secure');
    });

    it('when the user is unknown or the password wrong, then the identical 401 body in similar time', async () => {
      const username = uniqueName('timing');
      await post('/signup', { username, password: PASSWORD, nickname: uniqueNick() });
      const unknown = await post('/login', { username: uniqueName('ghost'), password: 'whatever-123' });
      const wrong = await post('/login', { username, password: 'whatever-123' });
      assert.equal(unknown.status, 401);
      assert.equal(wrong.status, 401);
      assert.deepEqual(unknown.body, wrong.body);
      assert.equal(unknown.body.error.code, 'UNAUTHENTICATED');
      // A failed login is no token problem: its 401 has no `reason` (README, "REST API").
      assert.equal(unknown.body.error.reason, undefined);

      // Both paths run one argon2 verification; compare medians loosely (CI machines are noisy).
      const time = async (name: string) => {
        const runs: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t0 = performance.now();
          await post('/login', { username: name, password: `wrong-${i}-pass` });
          runs.push(performance.now() - t0);
        }
        return runs.sort((a, b) => a - b)[2]!;
      };
      const [a, b] = [await time(uniqueName('ghost')), await time(uniqueName('ghost2'))];
      const w = await time(username);
      assert.ok(a / w < 3 && w / a < 3, `unknown ${a.toFixed(1)} ms vs wrong ${w.toFixed(1)} ms`);
      assert.ok(b > 0);
    });
    it('when the username holds a NUL character (found by npm run fuzz), then 400 naming the field, not 500', async () => {
      // SQLite's parser stops at NUL: the lookup failed with INTERNAL before the schemas refused it.
      const res = await post('/login', { username: 'a\u0000b', password: 'whatever-123' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'VALIDATION');
      assert.match(res.body.error.fields?.username ?? '', /NUL/);
    });
  });

  describe('failed-login limits', () => {
    it('when one IP guesses one password too often, then 429 with Retry-After; another IP is not locked out', async () => {
      const app = await startApp({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES: '3' });
      const username = uniqueName('brute');
      await http(app.url, 'POST', '/api/auth/signup', {
        json: { username, password: PASSWORD, nickname: uniqueNick() },
      });
      const from = (ip: string, password: string) =>
        http<ErrorBody>(app.url, 'POST', '/api/auth/login', {
          json: { username, password },
          headers: { 'x-forwarded-for': ip },
        });
      for (let i = 0; i < 3; i++) assert.equal((await from('198.51.100.7', `bad-guess-${i}`)).status, 401);
      const limited = await from('198.51.100.7', 'bad-guess-4');
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.ok((limited.body.error.retryAfter ?? 0) > 0);
      // Even the right password waits on the limited IP…
      assert.equal((await from('198.51.100.7', PASSWORD)).status, 429);
      // …but the same user from another address logs in.
      assert.equal((await from('203.0.113.9', PASSWORD)).status, 200);
    });

    it('when one IP fails across many usernames, then the per-IP limit stops it', async () => {
      const app = await startApp({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES_PER_IP: '4' });
      const from = (ip: string) =>
        http(app.url, 'POST', '/api/auth/login', {
          json: { username: uniqueName('spray'), password: 'spray-pass-1' },
          headers: { 'x-forwarded-for': ip },
        });
      for (let i = 0; i < 4; i++) assert.equal((await from('192.0.2.44')).status, 401);
      assert.equal((await from('192.0.2.44')).status, 429);
      assert.equal((await from('192.0.2.45')).status, 401);
    });
  });

  describe('refresh', () => {
    it('when a refresh token is used, then a new pair comes back and the old one is spent', async () => {
      const u = await newUser(s.url);
      const res = await post<LoginDto>('/refresh', { refreshToken: u.refreshToken });
      assert.equal(res.status, 200);
      assert.notEqual(res.body.refreshToken, u.refreshToken);
      assert.notEqual(res.body.accessToken, u.accessToken);
      const me = await http<{ user: UserDto }>(s.url, 'GET', '/api/auth/me', { token: res.body.accessToken });
      assert.equal(me.body.user.id, u.user.id);
      // the rotated token chain keeps working
      assert.equal((await post('/refresh', { refreshToken: res.body.refreshToken })).status, 200);
    });

    it('when a spent refresh token is presented, then 401 and the whole session family is revoked', async () => {
      const u = await newUser(s.url);
      const first = await post<LoginDto>('/refresh', { refreshToken: u.refreshToken });
      assert.equal(first.status, 200);
      const replay = await post('/refresh', { refreshToken: u.refreshToken });
      assert.equal(replay.status, 401);
      assert.equal(replay.body.error.reason, 'TOKEN_REVOKED');
      // the legitimate successor dies with the family, and so do the session's access tokens
      assert.equal((await post('/refresh', { refreshToken: first.body.refreshToken })).status, 401);
      const me = await http<ErrorBody>(s.url, 'GET', '/api/auth/me', { token: first.body.accessToken });
      assert.equal(me.status, 401);
      assert.equal(me.body.error.reason, 'TOKEN_REVOKED');
      // another login of the same user is unaffected
      const again = await post<LoginDto>('/login', { username: u.user.username, password: PASSWORD });
      assert.equal(again.status, 200);
    });

    it('when two refreshes race with one token, then exactly one wins and the family is revoked', async () => {
      const u = await newUser(s.url);
      const results = await Promise.all([
        post<LoginDto>('/refresh', { refreshToken: u.refreshToken }),
        post<LoginDto>('/refresh', { refreshToken: u.refreshToken }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 401]);
      const winner = results.find((r) => r.status === 200)!;
      // documented: the loser looks like a replayed token, so the session ends for both
      assert.equal((await post('/refresh', { refreshToken: winner.body.refreshToken })).status, 401);
    });

    it('when the refresh token comes as the cookie from the own origin, then it works without a body', async () => {
      const u = await newUser(s.url);
      const res = await http<LoginDto>(s.url, 'POST', '/api/auth/refresh', {
        headers: { cookie: `quad_refresh=${u.refreshToken}`, origin: s.url },
      });
      assert.equal(res.status, 200);
      assert.ok(res.body.accessToken);
    });

    it('when a cookie-only refresh comes from a foreign Origin (a sibling subdomain), a foreign Referer or neither, then FORBIDDEN and the refresh token still works from the own origin', async () => {
      const u = await newUser(s.url);
      const cookie = `quad_refresh=${u.refreshToken}`;
      for (const headers of <Array<Record<string, string>>>[
        { cookie, origin: 'https://evil.campus.example' },
        { cookie, referer: 'https://club.campus.example/page' },
        { cookie },
      ]) {
        const res = await http<ErrorBody>(s.url, 'POST', '/api/auth/refresh', { headers });
        assert.equal(res.status, 403, JSON.stringify(headers));
        assert.equal(res.body.error.code, 'FORBIDDEN');
      }
      const own = await http<LoginDto>(s.url, 'POST', '/api/auth/refresh', {
        headers: { cookie, referer: `${s.url}/boards` },
      });
      assert.equal(own.status, 200, 'the token was not spent by the refused requests');
      // A token in the body is no ambient credential: any origin may use it.
      const bodyToken = await http<LoginDto>(s.url, 'POST', '/api/auth/refresh', {
        json: { refreshToken: own.body.refreshToken },
        headers: { origin: 'https://elsewhere.example' },
      });
      assert.equal(bodyToken.status, 200);
    });

    it('when the refresh token is unknown, missing or an access token, then 401', async () => {
      const u = await newUser(s.url);
      assert.equal(
        (await post('/refresh', { refreshToken: 'not-a-token' })).body.error.reason,
        'TOKEN_INVALID',
      );
      assert.equal((await post('/refresh', {})).body.error.reason, 'TOKEN_MISSING');
      assert.equal((await post('/refresh', { refreshToken: u.accessToken })).status, 401);
    });

    it('when the session is older than its idle window, then the refresh token is refused as expired', async () => {
      const app = await startApp({ REFRESH_TOKEN_TTL: '1s', SESSION_MAX_AGE: '1s' });
      const u = await newUser(app.url);
      await new Promise((r) => setTimeout(r, 1_200));
      const res = await http<ErrorBody>(app.url, 'POST', '/api/auth/refresh', {
        json: { refreshToken: u.refreshToken },
      });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.reason, 'TOKEN_EXPIRED');
    });
  });

  describe('logout and me', () => {
    it('when a user logs out, then 204, the access token is refused and the refresh token is dead', async () => {
      const u = await newUser(s.url);
      assert.equal((await http(s.url, 'GET', '/api/auth/me', { token: u.accessToken })).status, 200);
      const out = await post('/logout', undefined, u.accessToken);
      assert.equal(out.status, 204);
      const me = await http<ErrorBody>(s.url, 'GET', '/api/auth/me', { token: u.accessToken });
      assert.equal(me.status, 401);
      assert.equal(me.body.error.reason, 'TOKEN_REVOKED');
      assert.equal((await post('/refresh', { refreshToken: u.refreshToken })).status, 401);
    });

    it('when logout has no token, then 401', async () => {
      const res = await post('/logout');
      assert.equal(res.status, 401);
      assert.equal(res.body.error.reason, 'TOKEN_MISSING');
    });

    it('when the browser logs out with its cookie from a foreign origin, then 403; from its own origin, 204', async () => {
      const u = await newUser(s.url);
      const cookie = `quad_access=${u.accessToken}`;
      const foreign = await http(s.url, 'POST', '/api/auth/logout', {
        headers: { cookie, origin: 'https://evil.example' },
      });
      assert.equal(foreign.status, 403);
      const own = await http(s.url, 'POST', '/api/auth/logout', { headers: { cookie, origin: s.url } });
      assert.equal(own.status, 204);
    });
  });

  describe('access tokens', () => {
    let u: Awaited<ReturnType<typeof newUser>>;
    before(async () => {
      u = await newUser(s.url);
    });
    const me = (token: string) => http<ErrorBody>(s.url, 'GET', '/api/auth/me', { token });
    const claims = () => jwt.decode(u.accessToken) as jwt.JwtPayload;
    const sign = (payload: object, secret: string, options: jwt.SignOptions = {}) =>
      jwt.sign(payload, secret, { algorithm: 'HS256', ...options });
    const base = () => {
      const { iat: _iat, exp: _exp, ...rest } = claims();
      return rest;
    };

    it('when the token carries the right claims, then /me answers', async () => {
      const res = await me(sign(base(), s.config.jwtSecret, { expiresIn: 60 }));
      assert.equal(res.status, 200);
    });

    it('when signed with another secret, then 401 TOKEN_INVALID', async () => {
      const res = await me(sign(base(), 'x'.repeat(48), { expiresIn: 60 }));
      assert.equal(res.status, 401);
      assert.equal(res.body.error.reason, 'TOKEN_INVALID');
    });

    it('when alg is none, then 401', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const body = Buffer.from(
        JSON.stringify({ ...base(), exp: Math.floor(Date.now() / 1000) + 60 }),
      ).toString('base64url');
      const res = await me(`${header}.${body}.`);
      assert.equal(res.status, 401);
      assert.equal(res.body.error.reason, 'TOKEN_INVALID');
    });

    it('when signed with HS512 and the right secret, then 401 (HS256 is pinned)', async () => {
      const res = await me(sign(base(), s.config.jwtSecret, { algorithm: 'HS512', expiresIn: 60 }));
      assert.equal(res.status, 401);
    });

    it('when aud or iss is wrong, then 401', async () => {
      assert.equal(
        (await me(sign({ ...base(), aud: 'other-app' }, s.config.jwtSecret, { expiresIn: 60 }))).status,
        401,
      );
      assert.equal(
        (await me(sign({ ...base(), iss: 'someone' }, s.config.jwtSecret, { expiresIn: 60 }))).status,
        401,
      );
    });

    it('when expired, then 401 TOKEN_EXPIRED', async () => {
      const res = await me(sign({ ...base(), exp: Math.floor(Date.now() / 1000) - 10 }, s.config.jwtSecret));
      assert.equal(res.status, 401);
      assert.equal(res.body.error.reason, 'TOKEN_EXPIRED');
    });

    it('when it is not an access token (refresh token, or a JWT of another type), then 401', async () => {
      assert.equal((await me(u.refreshToken)).status, 401);
      assert.equal(
        (await me(sign({ ...base(), typ: 'refresh' }, s.config.jwtSecret, { expiresIn: 60 }))).status,
        401,
      );
    });

    it('when the user no longer exists, then 401', async () => {
      const ghost = sign({ ...base(), sub: '987654321' }, s.config.jwtSecret, { expiresIn: 60 });
      const res = await me(ghost);
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'UNAUTHENTICATED');
    });

    it('when the Authorization header is not a Bearer token, then 401', async () => {
      const res = await http<ErrorBody>(s.url, 'GET', '/api/auth/me', {
        headers: { authorization: `Basic ${u.accessToken}` },
      });
      assert.equal(res.status, 401);
    });
  });
});
