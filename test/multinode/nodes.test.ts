import assert from 'node:assert/strict';
import type { ErrorWire } from '../../shared/errors';
import { startApp, type RunningApp } from '../helpers/app';
import { connectError, http, newUser, socket, uniqueName, uniqueNick, PASSWORD } from '../helpers/clients';

/** Two Quad nodes sharing MariaDB and Redis (this file runs only in the MariaDB + Redis pass). */
describe('two nodes joined by Redis', () => {
  let a: RunningApp;
  let b: RunningApp;
  before(async () => {
    a = await startApp({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES: '4' });
    b = await startApp({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES: '4' });
    assert.ok(a.config.REDIS_URL, 'this pass must run with Redis');
  });

  it('when a session logs out on node A, then its socket on node B is disconnected and B refuses the token', async () => {
    const u = await newUser(a.url);
    const onB = socket(b.url, '/comments', { token: u.accessToken });
    assert.equal((await onB.ask('whoami')).ok, true);
    const gone = new Promise((resolve) => onB.socket.once('disconnect', resolve));
    assert.equal((await http(a.url, 'POST', '/api/auth/logout', { token: u.accessToken })).status, 204);
    assert.equal(await gone, 'io server disconnect');
    const me = await http<{ error: ErrorWire }>(b.url, 'GET', '/api/auth/me', { token: u.accessToken });
    assert.equal(me.body.error.reason, 'TOKEN_REVOKED');
    assert.equal(
      (await connectError(socket(b.url, '/boards', { token: u.accessToken }))).data?.code,
      'TOKEN_REVOKED',
    );
  });

  it('when failed logins are spread over both nodes, then the shared counter limits them', async () => {
    const username = uniqueName('spread');
    await http(a.url, 'POST', '/api/auth/signup', {
      json: { username, password: PASSWORD, nickname: uniqueNick() },
    });
    const login = (node: RunningApp, password: string) =>
      http<{ error: ErrorWire }>(node.url, 'POST', '/api/auth/login', {
        json: { username, password },
        headers: { 'x-forwarded-for': '198.51.100.200' },
      });
    for (const node of [a, b, a, b]) assert.equal((await login(node, 'wrong-password-x')).status, 401);
    assert.equal((await login(b, 'wrong-password-x')).status, 429);
    assert.equal((await login(a, PASSWORD)).status, 429);
  });

  it('when a token is refreshed on node B, then the spent token is refused on node A', async () => {
    const u = await newUser(a.url);
    const rotated = await http(b.url, 'POST', '/api/auth/refresh', {
      json: { refreshToken: u.refreshToken },
    });
    assert.equal(rotated.status, 200);
    const replay = await http<{ error: ErrorWire }>(a.url, 'POST', '/api/auth/refresh', {
      json: { refreshToken: u.refreshToken },
    });
    assert.equal(replay.status, 401);
    assert.equal(replay.body.error.reason, 'TOKEN_REVOKED');
  });
});
