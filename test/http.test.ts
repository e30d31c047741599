import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { UserDto } from '../shared/dto';
import type { ErrorWire } from '../shared/errors';
import { startApp, type RunningApp } from './helpers/app';
import { BACKEND } from './helpers/backend';
import { http, PASSWORD, uniqueName, uniqueNick, type HttpResult } from './helpers/clients';

type ErrorBody = { error: ErrorWire };

/** What a leaked stack trace or query would look like in a response body. */
const STACK_FRAME = /\bat \S.*[(\s]\S*:\d+:\d+\)?|node:internal|\/server\//;
const SQL =
  /\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE)\b|SQLITE|Sequelize|ER_[A-Z_]+|no such table|users_gone/i;

function assertNoLeak(res: HttpResult<unknown>): void {
  const text = JSON.stringify(res.body);
  assert.doesNotMatch(text, STACK_FRAME, `stack trace in ${res.status} body: ${text}`);
  assert.doesNotMatch(text, SQL, `SQL in ${res.status} body: ${text}`);
}

function assertValidation(res: HttpResult<ErrorBody>, status = 400): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'VALIDATION');
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.message.length > 0);
  assert.equal(typeof res.body.error.fields, 'object');
  assert.ok(Object.keys(res.body.error.fields ?? {}).length > 0, JSON.stringify(res.body));
  assertNoLeak(res);
}

describe('HTTP edges', () => {
  let s: RunningApp;
  before(async () => {
    s = await startApp();
  });

  const raw = (path: string, body: string, headers: Record<string, string> = {}) =>
    http<ErrorBody>(s.url, 'POST', path, { raw: body, headers });

  describe('health', () => {
    it('when /healthz is asked, then 200 {status: ok} and whether Redis is up (off without one)', async () => {
      const res = await http(s.url, 'GET', '/healthz');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'ok', redis: BACKEND === 'mysql' ? 'up' : 'off' });
    });

    it('when /readyz is asked and the database answers, then 200 {status: ready}', async () => {
      const res = await http(s.url, 'GET', '/readyz');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'ready' });
    });
  });

  describe('bodies', () => {
    it('when the JSON is malformed, then 400 VALIDATION with a message and fields', async () => {
      const res = await raw('/api/auth/login', '{"username": "minji", "password": ');
      assertValidation(res);
    });

    it('when the JSON body is over 100 kB, then 413 with code VALIDATION', async () => {
      const body = JSON.stringify({ username: 'big', password: 'x'.repeat(110 * 1024) });
      const res = await raw('/api/auth/login', body);
      assertValidation(res, 413);
    });

    it('when the body is a JSON array or a JSON string, then 400 VALIDATION', async () => {
      for (const body of ['[]', '[{"username":"a","password":"b"}]', '"minji"']) {
        const res = await raw('/api/auth/login', body);
        assertValidation(res);
      }
    });

    it('when the body carries __proto__, then 400 naming __proto__ and nothing is polluted', async () => {
      const username = uniqueName('proto');
      const body = `{"__proto__": {"polluted": 1}, "username": "${username}", "password": "${PASSWORD}", "nickname": "${uniqueNick()}"}`;
      const res = await raw('/api/auth/signup', body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'VALIDATION');
      const fields = res.body.error.fields ?? {};
      assert.ok(Object.hasOwn(fields, '__proto__'), `fields: ${JSON.stringify(fields)}`);
      assert.match(fields['__proto__'] ?? '', /not an allowed field/);
      // The app runs in this process: a polluted Object.prototype would show here.
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);

      // Nothing was stored, and the next request is served normally.
      const login = await http<ErrorBody>(s.url, 'POST', '/api/auth/login', {
        json: { username, password: PASSWORD },
      });
      assert.equal(login.status, 401);
      const ok = await http<{ user: UserDto }>(s.url, 'POST', '/api/auth/signup', {
        json: { username, password: PASSWORD, nickname: uniqueNick() },
      });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.user.username, username);
    });
    it('when the body carries keys named like Object.prototype members, then 400 names each of them', async () => {
      const body = `{"constructor": 1, "toString": "x", "username": "${uniqueName('ctor')}", "password": "${PASSWORD}", "nickname": "${uniqueNick()}"}`;
      const res = await raw('/api/auth/signup', body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'VALIDATION');
      const fields = res.body.error.fields ?? {};
      assert.deepEqual(
        Object.keys(fields).sort(),
        ['constructor', 'toString'],
        `fields: ${JSON.stringify(fields)}`,
      );
    });
  });

  describe('routes', () => {
    it('when an /api route does not exist, then 404 NOT_FOUND in the error shape', async () => {
      const res = await http<ErrorBody>(s.url, 'GET', '/api/nope');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'NOT_FOUND');
      assert.equal(typeof res.body.error.message, 'string');
      assertNoLeak(res);
    });

    it('when client errors are answered, then none of the bodies has a stack trace or SQL', async () => {
      const responses = [
        await http(s.url, 'POST', '/api/auth/login', { raw: '{"a":' }),
        await http(s.url, 'POST', '/api/auth/login', { raw: JSON.stringify({ p: 'x'.repeat(200_000) }) }),
        await http(s.url, 'POST', '/api/auth/signup', { json: { username: 1, extra: true } }),
        await http(s.url, 'GET', '/api/auth/me', { token: 'not-a-jwt' }),
        await http(s.url, 'GET', '/api/nope'),
      ];
      for (const res of responses) {
        assert.ok(res.status >= 400 && res.status < 500, String(res.status));
        assertNoLeak(res);
      }
    });

    it('when / is asked, then the placeholder HTML page is served', async () => {
      const res = await http<string>(s.url, 'GET', '/');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(res.body, /<html[\s>]/i);
      assert.match(res.body, /<title>Quad<\/title>/);
    });
  });

  describe('headers', () => {
    it('when no X-Request-Id is sent, then each response gets a fresh one', async () => {
      const a = await http(s.url, 'GET', '/healthz');
      const b = await http(s.url, 'GET', '/api/nope');
      const idA = a.headers.get('x-request-id') ?? '';
      const idB = b.headers.get('x-request-id') ?? '';
      assert.match(idA, /^[\w.-]{8,64}$/);
      assert.match(idB, /^[\w.-]{8,64}$/);
      assert.notEqual(idA, idB);
    });

    it('when a sane X-Request-Id is sent, then it is echoed back, also on errors', async () => {
      const id = `trace-${uniqueName('rid')}.1`;
      const ok = await http(s.url, 'GET', '/healthz', { headers: { 'x-request-id': id } });
      assert.equal(ok.headers.get('x-request-id'), id);
      const bad = await raw('/api/auth/login', '{', { 'x-request-id': id });
      assert.equal(bad.status, 400);
      assert.equal(bad.headers.get('x-request-id'), id);
    });

    it('when an X-Request-Id is not sane, then a fresh one replaces it', async () => {
      for (const given of ['has spaces in it', 'x'.repeat(65), '<script>']) {
        const res = await http(s.url, 'GET', '/healthz', { headers: { 'x-request-id': given } });
        const id = res.headers.get('x-request-id') ?? '';
        assert.notEqual(id, given);
        assert.match(id, /^[\w.-]{8,64}$/);
      }
    });

    it('when any response is sent, then it has helmet headers and no x-powered-by', async () => {
      const responses = [
        await http(s.url, 'GET', '/healthz'),
        await http(s.url, 'GET', '/'),
        await http(s.url, 'GET', '/api/nope'),
        await raw('/api/auth/login', 'not json'),
      ];
      for (const res of responses) {
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff', String(res.status));
        assert.ok(res.headers.get('content-security-policy'), String(res.status));
        assert.ok(res.headers.get('x-frame-options'), String(res.status));
        assert.equal(res.headers.get('x-powered-by'), null, String(res.status));
      }
    });
  });

  describe('errors never leak internals', () => {
    let dir: string;
    let broken: RunningApp;
    beforeEach(async () => {
      // Its own SQLite file (on every backend), so breaking it cannot disturb other tests.
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quad-http-'));
      broken = await startApp({ DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'quad.sqlite')}` });
    });
    afterEach(async () => {
      // The closed-database test closed it already; closing it again throws SQLITE_MISUSE.
      await broken.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('when a query fails inside the database, then 500 INTERNAL without SQL or a stack trace', async () => {
      const username = uniqueName('sqlerr');
      const signup = await http(broken.url, 'POST', '/api/auth/signup', {
        json: { username, password: PASSWORD, nickname: uniqueNick() },
      });
      assert.equal(signup.status, 201);
      // A real SQL error from the real driver: the table the login query reads is gone.
      await broken.app.db.query('ALTER TABLE users RENAME TO users_gone');
      const res = await http<ErrorBody>(broken.url, 'POST', '/api/auth/login', {
        json: { username, password: PASSWORD },
      });
      assert.equal(res.status, 500, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'INTERNAL');
      assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'message']);
      assert.ok(res.headers.get('x-request-id'));
      assertNoLeak(res);
    });

    it('when the database is closed, then /readyz is 503 and API errors carry no internals', async () => {
      await broken.app.db.close();
      const ready = await http(broken.url, 'GET', '/readyz');
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.body, { status: 'unavailable' });
      assertNoLeak(ready);
      const res = await http<ErrorBody>(broken.url, 'POST', '/api/auth/login', {
        json: { username: uniqueName('down'), password: PASSWORD },
      });
      assert.ok(res.status >= 500, JSON.stringify(res.body));
      assert.ok(['INTERNAL', 'UNAVAILABLE'].includes(res.body.error.code), res.body.error.code);
      assertNoLeak(res);
    });
  });
});
