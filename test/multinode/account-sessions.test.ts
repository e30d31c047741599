import assert from 'node:assert/strict';
import type { NamespaceClient } from '../../shared/client';
import type { LoginDto, SessionDto } from '../../shared/dto';
import type { ErrorWire } from '../../shared/errors';
import type { NamespaceName } from '../../shared/events';
import { ok } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { connectError, hex, http, newUser, PASSWORD, socket } from '../helpers/clients';

type Client = NamespaceClient<NamespaceName>;

/** Resolves with the disconnect reason and when it came (ms after `since`), or fails after a while. */
function disconnected(
  client: Client,
  since: () => number,
  ms = 5_000,
): Promise<{ reason: string; after: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no disconnect within ${ms} ms`)), ms);
    client.socket.once('disconnect', (reason: string) => {
      clearTimeout(timer);
      resolve({ reason, after: performance.now() - since() });
    });
  });
}

/** Password changes and ended sessions across two Quad nodes sharing MariaDB and Redis (MariaDB + Redis pass only). */
describe('account sessions across two nodes', () => {
  let a: RunningApp;
  let b: RunningApp;
  before(async () => {
    a = await startApp();
    b = await startApp();
    assert.ok(a.config.REDIS_URL, 'this pass must run with Redis');
  });

  const login = async (node: RunningApp, username: string, password = PASSWORD) => {
    const res = await http<LoginDto>(node.url, 'POST', '/api/auth/login', { json: { username, password } });
    assert.equal(res.status, 200);
    return res.body;
  };
  /** A socket of a session to a node, connected (its session and personal rooms joined). */
  const on = async (node: RunningApp, nsp: NamespaceName, token: string) => {
    const client = socket(node.url, nsp, { token }) as Client;
    ok(await client.ask('whoami'));
    return client;
  };

  it('when a user with sessions on both nodes changes the password on node A, then the other sessions’ sockets on both nodes are disconnected and refused with TOKEN_REVOKED, and this one’s stay and work', async () => {
    const u = await newUser(a.url, 'mnPw', `p${hex()}`);
    const laptop = await login(b, u.user.username);
    const phone = await login(a, u.user.username);
    const mine = [
      await on(a, '/boards', u.accessToken),
      await on(b, '/boards', u.accessToken),
      await on(b, '/comments', u.accessToken),
    ];
    const theirs = [
      await on(a, '/boards', laptop.accessToken),
      await on(b, '/comments', laptop.accessToken),
      await on(b, '/timetables', laptop.accessToken),
      await on(a, '/timetables', phone.accessToken),
      await on(b, '/boards', phone.accessToken),
    ];
    let mineDropped = 0;
    for (const c of mine) c.socket.on('disconnect', () => mineDropped++);
    let started = 0;
    const closed = theirs.map((c) => disconnected(c, () => started));

    started = performance.now();
    const res = await http<{ ended: number }>(a.url, 'POST', '/api/account/password', {
      token: u.accessToken,
      json: { current: PASSWORD, next: `changed-${hex()}-passphrase` },
    });
    const answered = performance.now() - started;
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ended: 2 });
    const drops = await Promise.all(closed);
    const slowest = Math.max(...drops.map((d) => d.after));
    console.log(
      `      password change on A: answered in ${answered.toFixed(0)} ms; ${drops.length} sockets of the other ` +
        `sessions on A and B disconnected within ${slowest.toFixed(0)} ms ` +
        `(${drops.map((d) => d.after.toFixed(0)).join(', ')} ms)`,
    );
    assert.deepEqual(
      drops.map((d) => d.reason),
      theirs.map(() => 'io server disconnect'),
    );
    for (const [node, token] of [
      [a, laptop.accessToken],
      [b, laptop.accessToken],
      [a, phone.accessToken],
      [b, phone.accessToken],
    ] as const) {
      assert.equal((await connectError(socket(node.url, '/boards', { token }))).data?.code, 'TOKEN_REVOKED');
      const me = await http<{ error: ErrorWire }>(node.url, 'GET', '/api/auth/me', { token });
      assert.equal(me.body.error.reason, 'TOKEN_REVOKED');
    }

    // This session: its sockets on both nodes stayed and still answer; it sees itself alone.
    assert.equal(mineDropped, 0);
    for (const c of mine) assert.equal(ok(await c.ask('whoami')).id, u.user.id);
    const sessions = await http<{ sessions: SessionDto[] }>(b.url, 'GET', '/api/account/sessions', {
      token: u.accessToken,
    });
    assert.deepEqual(
      sessions.body.sessions.map((x) => x.current),
      [true],
    );
  });

  it('when a session is ended from node B, then its sockets on node A are disconnected and A refuses it', async () => {
    const u = await newUser(b.url, 'mnEnd', `e${hex()}`);
    const tablet = await login(a, u.user.username);
    const onA = await on(a, '/comments', tablet.accessToken);
    const mineOnA = await on(a, '/comments', u.accessToken);
    const list = await http<{ sessions: SessionDto[] }>(b.url, 'GET', '/api/account/sessions', {
      token: u.accessToken,
    });
    const target = list.body.sessions.find((x) => !x.current)!;
    let started = 0;
    const closed = disconnected(onA, () => started);
    started = performance.now();
    const res = await http(b.url, 'DELETE', `/api/account/sessions/${target.id}`, { token: u.accessToken });
    assert.equal(res.status, 204);
    const drop = await closed;
    console.log(`      session ended on B: its socket on A disconnected after ${drop.after.toFixed(0)} ms`);
    assert.equal(drop.reason, 'io server disconnect');
    assert.equal(
      (await connectError(socket(a.url, '/comments', { token: tablet.accessToken }))).data?.code,
      'TOKEN_REVOKED',
    );
    assert.equal(ok(await mineOnA.ask('whoami')).id, u.user.id);
  });
});
