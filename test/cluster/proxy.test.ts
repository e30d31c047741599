import assert from 'node:assert/strict';
import type { PostDto } from '../../shared/dto';
import { ok } from '../helpers/acks';
import { boardId } from '../helpers/boards';
import { hex } from '../helpers/clients';
import { until } from '../helpers/waiting';
import {
  login,
  nodeOf,
  request,
  startTestCluster,
  tracedClient,
  type TestCluster,
  type TracedClient,
} from './lib';

/** `npm run cluster` (nginx over TLS in front of two nodes) on MariaDB + Redis. */
describe('cluster: two nodes behind nginx over TLS', function () {
  this.timeout(60_000);
  let t: TestCluster;
  const closers: Array<() => void> = [];
  before(async () => {
    t = await startTestCluster();
  });
  afterEach(() => closers.splice(0).forEach((close) => close()));
  after(async () => {
    await t?.stop();
  });

  it('when two clients connect over wss, then they land on different nodes and see each other’s posts live', async () => {
    const { cluster } = t;
    const [alice, bob] = await Promise.all([login(cluster, 'alice'), login(cluster, 'bob')]);
    // least_conn sends a fresh WebSocket handshake to the node with fewer connections; keep
    // connecting Bob until one of his sockets is on the other node (at most a few tries).
    const a = tracedClient(cluster, '/boards', alice.accessToken);
    closers.push(() => a.client.close());
    await a.client.connected();
    const aNode = nodeOf(cluster, a.upstream());
    assert.ok(aNode, `alice's socket names a cluster node (${a.upstream()})`);
    let b: TracedClient<'/boards'> | undefined;
    for (let i = 0; i < 6 && !b; i++) {
      const candidate = tracedClient(cluster, '/boards', bob.accessToken);
      closers.push(() => candidate.client.close());
      await candidate.client.connected();
      if (nodeOf(cluster, candidate.upstream()) !== aNode) b = candidate;
    }
    assert.ok(b, 'one of bob’s sockets landed on the other node');
    assert.notEqual(nodeOf(cluster, b.upstream()), aNode);

    const board = await boardId(a.client, '자유게시판');
    ok(await a.client.subscribe('board:subscribe', { boardId: board }));
    ok(await b.client.subscribe('board:subscribe', { boardId: board }));
    const seenByA: PostDto[] = [];
    const seenByB: PostDto[] = [];
    a.client.onEvent('post:created', (e) => seenByA.push(e.data));
    b.client.onEvent('post:created', (e) => seenByB.push(e.data));
    const fromA = ok(
      await a.client.ask('post:create', { boardId: board, title: `A ${hex()}`, content: 'a' }),
    );
    const fromB = ok(
      await b.client.ask('post:create', { boardId: board, title: `B ${hex()}`, content: 'b' }),
    );
    await until(() => seenByB.some((p) => p.id === fromA.id), 'bob to see alice’s post');
    await until(() => seenByA.some((p) => p.id === fromB.id), 'alice to see bob’s post');
  });

  it('when a client uses HTTP long-polling only, then all its requests reach the node that holds its session', async () => {
    const { cluster } = t;
    const u = await login(cluster, 'poller');
    // Without stickiness, about half of these requests would reach the other node and fail
    // with "Session ID unknown".
    const p = tracedClient(cluster, '/boards', u.accessToken, { socket: { transports: ['polling'] } });
    closers.push(() => p.client.close());
    await p.client.connected();
    for (let i = 0; i < 12; i++) assert.equal((await p.client.ask('whoami')).ok, true);
    assert.equal(p.client.socket.io.engine.transport.name, 'polling');
  });

  it('when a page is asked for over plain HTTP, then it answers 301 to the same URL over HTTPS', async () => {
    const res = await request(`${t.cluster.httpUrl}/boards/free?x=1`, 'GET');
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, `${t.cluster.httpsUrl}/boards/free?x=1`);
  });

  it('when the API or Socket.IO is called over plain HTTP, then it is refused with 403 HTTPS_REQUIRED, not redirected', async () => {
    for (const [method, path] of [
      ['POST', '/api/auth/login'],
      ['GET', '/api/auth/me'],
      ['GET', '/socket.io/?EIO=4&transport=polling'],
    ] as const) {
      const res = await request(`${t.cluster.httpUrl}${path}`, method, {
        json: method === 'POST' ? { username: 'x', password: 'y' } : undefined,
      });
      assert.equal(res.status, 403, path);
      assert.equal(res.headers.location, undefined, path);
      assert.deepEqual(
        {
          code: (res.body.error as { code: string }).code,
          reason: (res.body.error as { reason: string }).reason,
        },
        { code: 'FORBIDDEN', reason: 'HTTPS_REQUIRED' },
      );
    }
  });

  it('when a user logs in over HTTPS, then the cookies are Secure and the response carries HSTS', async () => {
    const { cluster } = t;
    const u = await login(cluster, 'secure');
    const res = await request(`${cluster.httpsUrl}/api/auth/refresh`, 'POST', {
      json: { refreshToken: u.refreshToken },
      ca: cluster.ca,
    });
    assert.equal(res.status, 200);
    const cookies = res.headers['set-cookie'] ?? [];
    assert.equal(cookies.length, 2);
    for (const c of cookies) assert.match(c, /;\s*Secure/i, c.split('=')[0]);
    assert.match(String(res.headers['strict-transport-security']), /^max-age=\d+/);
    // One HSTS header, nginx's: Quad's own (helmet) is hidden behind the proxy.
    assert.ok(!String(res.headers['strict-transport-security']).includes(','));
  });

  it('when a spoofed X-Forwarded-Proto reaches a node directly, bypassing nginx, then its cookies are not Secure', async () => {
    const { cluster } = t;
    const u = await login(cluster, 'spoof');
    const node = cluster.nodes[0]!;
    const res = await request(`${node.url}/api/auth/refresh`, 'POST', {
      json: { refreshToken: u.refreshToken },
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
    });
    assert.equal(res.status, 200);
    const cookies = res.headers['set-cookie'] ?? [];
    assert.equal(cookies.length, 2);
    for (const c of cookies) assert.doesNotMatch(c, /;\s*Secure/i, c.split('=')[0]);
  });

  it('when a body is larger than Quad accepts, then nginx refuses it with 413 in Quad’s error shape', async () => {
    const res = await request(`${t.cluster.httpsUrl}/api/auth/login`, 'POST', {
      json: { username: 'x'.repeat(120_000), password: 'y' },
      ca: t.cluster.ca,
    });
    assert.equal(res.status, 413);
    assert.equal((res.body.error as { code: string }).code, 'VALIDATION');
  });
});
