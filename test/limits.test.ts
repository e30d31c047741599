import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Manager, type Socket as ClientSocket } from 'socket.io-client';
import type WebSocket from 'ws';
import type { NamespaceClient } from '../shared/client';
import type { NamespaceName } from '../shared/events';
import { ConfigError, parseEnv } from '../server/core/config';
import { createLogger } from '../server/core/logger';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { BACKEND } from './helpers/backend';
import { boardId } from './helpers/boards';
import { connectError, http, newUser, socket, type TestUser } from './helpers/clients';
import { until } from './helpers/waiting';

type Refusal = Error & { data?: { code?: string; reason?: string; scope?: string; limit?: number } };

/** Resolves when the server has closed this client's namespace socket (its count is freed by then). */
function goneOnServer(s: RunningApp, client: NamespaceClient<NamespaceName>): Promise<void> {
  const server = s.app.realtime.io.of(client.namespace).sockets.get(client.socket.id!);
  assert.ok(server, 'the socket is on this node');
  return new Promise((resolve) => server.once('disconnect', () => resolve()));
}

describe('limit settings', () => {
  it('when no limit is set, then the documented defaults apply; sizes take kb/mb, 0 turns a limit off, and a bad value names its variable', () => {
    const defaults = parseEnv({});
    assert.equal(defaults.MAX_CONNECTIONS_PER_USER, 20);
    assert.equal(defaults.MAX_CONNECTIONS_PER_IP, 1000);
    assert.equal(defaults.MAX_SUBSCRIPTIONS_PER_SOCKET, 200);
    assert.equal(defaults.SLOW_CONSUMER_BUFFER, 4 * 2 ** 20);
    assert.equal(defaults.SLOW_CONSUMER_MS, 5_000);
    const set = parseEnv({
      SLOW_CONSUMER_BUFFER: '512kb',
      SLOW_CONSUMER_MS: '2s',
      MAX_CONNECTIONS_PER_IP: '0',
    });
    assert.equal(set.SLOW_CONSUMER_BUFFER, 512 * 1024);
    assert.equal(set.SLOW_CONSUMER_MS, 2_000);
    assert.equal(set.MAX_CONNECTIONS_PER_IP, 0);
    assert.equal(parseEnv({ SLOW_CONSUMER_BUFFER: '65536' }).SLOW_CONSUMER_BUFFER, 65_536);
    assert.throws(
      () => parseEnv({ SLOW_CONSUMER_BUFFER: 'lots' }),
      (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /SLOW_CONSUMER_BUFFER must be a size/);
        return true;
      },
    );
    assert.throws(() => parseEnv({ MAX_CONNECTIONS_PER_USER: '-1' }), /MAX_CONNECTIONS_PER_USER/);
  });
});

describe(`connection limits (${BACKEND})`, () => {
  let s: RunningApp;
  before(async () => {
    s = await startApp(); // the defaults: 20 per user
  });

  it('when one user opens a 21st connection, then it is refused with RATE_LIMITED TOO_MANY_CONNECTIONS and the 20 others still answer', async () => {
    const u = await newUser(s.url, 'conn');
    const twenty = Array.from({ length: 20 }, (_, i) =>
      socket(s.url, i % 2 ? '/boards' : '/timetables', { token: u.accessToken }),
    );
    await Promise.all(twenty.map((c) => c.connected()));

    const err = (await connectError(socket(s.url, '/comments', { token: u.accessToken }))) as Refusal;
    assert.equal(err.data?.code, 'RATE_LIMITED');
    assert.equal(err.data?.reason, 'TOO_MANY_CONNECTIONS');
    assert.equal(err.data?.scope, 'user');
    assert.equal(err.data?.limit, 20);
    assert.match(err.message, /20 connections/);

    const answers = await Promise.all(twenty.map((c) => c.ask('whoami')));
    for (const res of answers) assert.equal(ok(res).id, u.user.id);
    assert.ok(twenty.every((c) => c.socket.connected));
    // Another user is not affected.
    const other = await newUser(s.url);
    assert.equal(ok(await other.boards.ask('whoami')).id, other.user.id);

    // A connection that closes frees its place.
    const gone = goneOnServer(s, twenty[0]!);
    twenty[0]!.close();
    await gone;
    const again = socket(s.url, '/comments', { token: u.accessToken });
    assert.equal(ok(await again.ask('whoami')).id, u.user.id);
    const metrics = await http<string>(s.url, 'GET', '/metrics');
    assert.match(metrics.body, /quad_limit_refusals_total\{limit="connections_per_user"\} [1-9]/);
  });
});

describe(`connection limits, multiplexed and per address (${BACKEND})`, () => {
  it('when a client multiplexes three namespaces over one connection, then it counts once, also for namespaces connected after the user reached the limit', async () => {
    const s = await startApp({ MAX_CONNECTIONS_PER_USER: '2' });
    const u = await newUser(s.url, 'mux');
    const manager = new Manager(s.url, { transports: ['websocket'], reconnection: false });
    const auth = { token: u.accessToken };
    const connected = (c: ClientSocket) =>
      new Promise<void>((resolve, reject) => {
        c.once('connect', () => resolve());
        c.once('connect_error', reject);
      });
    const boards = manager.socket('/boards', { auth });
    try {
      await connected(boards);
      const second = socket(s.url, '/boards', { token: u.accessToken });
      await second.connected(); // two connections: the limit
      // The multiplexed connection's other namespaces join the connection already counted.
      const more = (['/comments', '/timetables'] as const).map((n) => manager.socket(n, { auth }));
      await Promise.all(more.map(connected));
      for (const c of [boards, ...more])
        assert.equal(((await c.emitWithAck('whoami', {})) as { ok: boolean }).ok, true);

      const third = (await connectError(socket(s.url, '/timetables', { token: u.accessToken }))) as Refusal;
      assert.equal(third.data?.reason, 'TOO_MANY_CONNECTIONS');
      assert.equal(third.data?.limit, 2);

      // Closing the multiplexed connection frees one place, not three.
      const server = s.app.realtime.io.of('/boards').sockets.get(boards.id!)!;
      const gone = new Promise((resolve) => server.conn.once('close', resolve));
      manager.engine.close();
      await gone;
      await socket(s.url, '/comments', { token: u.accessToken }).connected();
      await connectError(socket(s.url, '/comments', { token: u.accessToken }));
    } finally {
      manager.engine.close();
    }
  });

  it('when one address holds MAX_CONNECTIONS_PER_IP connections, then the next from it is refused (scope ip), whoever the user; the address is the one Express gives req.ip', async () => {
    const s = await startApp({ MAX_CONNECTIONS_PER_IP: '3', TRUST_PROXY: '1' });
    const [a, b] = [await newUser(s.url, 'ipa'), await newUser(s.url, 'ipb')];
    const from = (u: TestUser, ip: string) =>
      socket(s.url, '/boards', { token: u.accessToken, socket: { extraHeaders: { 'x-forwarded-for': ip } } });
    await Promise.all(
      [from(a, '203.0.113.7'), from(a, '203.0.113.7'), from(b, '203.0.113.7')].map((c) => c.connected()),
    );
    const err = (await connectError(from(b, '203.0.113.7'))) as Refusal;
    assert.equal(err.data?.code, 'RATE_LIMITED');
    assert.equal(err.data?.reason, 'TOO_MANY_CONNECTIONS');
    assert.equal(err.data?.scope, 'ip');
    assert.equal(err.data?.limit, 3);
    // Another address is counted on its own.
    await from(b, '198.51.100.20').connected();

    // Without TRUST_PROXY the header is the client's word, not trusted: every one of these
    // comes from 127.0.0.1, whatever it claims.
    const direct = await startApp({ MAX_CONNECTIONS_PER_IP: '2' });
    const c = await newUser(direct.url, 'ipc');
    const claim = (ip: string) =>
      socket(direct.url, '/boards', {
        token: c.accessToken,
        socket: { extraHeaders: { 'x-forwarded-for': ip } },
      });
    await Promise.all([claim('192.0.2.1'), claim('192.0.2.2')].map((x) => x.connected()));
    assert.equal(((await connectError(claim('192.0.2.3'))) as Refusal).data?.scope, 'ip');
  });
});

describe(`subscription limit (${BACKEND})`, () => {
  it('when a socket holds 200 subscriptions, then the 201st is refused with RATE_LIMITED TOO_MANY_SUBSCRIPTIONS and joins nothing; a repeat does not count, an unsubscribe frees a place', async () => {
    const s = await startApp({ SOCKET_RATE_LIMIT: '100000' });
    const u = await newUser(s.url, 'subs');
    const board = await boardId(u.boards, '자유게시판');
    const posts: number[] = [];
    for (let i = 0; i < 201; i += 20) {
      const batch = Array.from({ length: Math.min(20, 201 - i) }, (_, j) =>
        u.boards.ask('post:create', { boardId: board, title: `limit ${i + j}`, content: '구독 한도' }),
      );
      for (const res of await Promise.all(batch)) posts.push(ok(res).id);
    }
    const [last, ...first200] = [posts[200]!, ...posts.slice(0, 200)];
    for (const res of await Promise.all(
      first200.map((postId) => u.comments.ask('post:subscribe', { postId })),
    ))
      ok(res);

    const error = refused(await u.comments.ask('post:subscribe', { postId: last }), 'RATE_LIMITED');
    assert.equal(error.reason, 'TOO_MANY_SUBSCRIPTIONS');
    assert.equal(error.retryAfter, undefined);
    assert.match(error.message, /200 subscriptions/);
    const server = s.app.realtime.io.of('/comments').sockets.get(u.comments.socket.id!)!;
    const joined = [...server.rooms].filter((r) => r.startsWith(`post:${last}`));
    assert.deepEqual(joined, [], 'the refused subscribe joined no room');
    assert.equal([...server.rooms].filter((r) => /^post:\d+$/.test(r)).length, 200);

    // Subscribing again to a room already held (a resume) is not a new subscription.
    ok(await u.comments.ask('post:subscribe', { postId: first200[0]!, since: 0 }));
    // The limit is per socket: the same user's /boards socket subscribes freely.
    ok(await u.boards.ask('board:subscribe', { boardId: board }));
    // An unsubscribe frees a place.
    ok(await u.comments.ask('post:unsubscribe', { postId: first200[1]! }));
    ok(await u.comments.ask('post:subscribe', { postId: last }));
    assert.ok(server.rooms.has(`post:${last}`));
    refused(await u.comments.ask('post:subscribe', { postId: first200[1]! }), 'RATE_LIMITED');
  });
});

describe(`slow consumers (${BACKEND})`, () => {
  const FLOOD = 2_000;
  const CONTENT = 'x'.repeat(16_000);

  it('when a client stops reading while 2,000 events are pushed to its board, then it is disconnected as a slow consumer, the server frees its memory, another subscriber gets all 2,000 in order, and the client resumes with since', async function () {
    this.timeout(120_000);
    const gc = exposeGc();
    const lines: Array<{ msg: string; reason?: string; connection?: string; queuedBytes?: number }> = [];
    const log = createLogger(
      'warn',
      new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
          done();
        },
      }),
    );
    const s = await startApp(
      {
        SOCKET_RATE_LIMIT: '100000',
        SLOW_CONSUMER_BUFFER: '512kb',
        SLOW_CONSUMER_MS: '2s',
        RESUME_MAX_EVENTS: '5000',
      },
      { log },
    );
    const writer = await newUser(s.url, 'writer');
    const board = await boardId(writer.boards, '자유게시판');
    const normal = await newUser(s.url, 'normal');
    const slowUser = await newUser(s.url, 'slow');
    // The slow one reconnects by itself (a cut looks like a network failure to it), as apps do.
    const slow = socket(s.url, '/boards', { token: slowUser.accessToken, socket: { reconnection: true } });

    // Event ids and post ids only: the pushes themselves would weigh on the heap measured below.
    const received = { normal: [] as Array<[number, number]>, slow: [] as Array<[number, number]> };
    normal.boards.onEvent('post:created', (e) => received.normal.push([e.id, e.data.id]));
    slow.onEvent('post:created', (e) => received.slow.push([e.id, e.data.id]));
    const start = ok(await normal.boards.subscribe('board:subscribe', { boardId: board })).lastId;
    ok(await slow.subscribe('board:subscribe', { boardId: board }));
    // Warm up: every code path of a post and its push has run before the heap is measured.
    for (let i = 0; i < 100; i += 25)
      await Promise.all(
        Array.from({ length: 25 }, () =>
          writer.boards.ask('post:create', { boardId: board, title: 'warm-up', content: CONTENT }),
        ),
      );
    await until(() => received.normal.length === 100 && received.slow.length === 100, 'the warm-up');
    received.normal.length = received.slow.length = 0;
    await http(s.url, 'GET', '/metrics');
    const flood = Array.from({ length: FLOOD }, (_, i) => start + 100 + i + 1);

    const engineId = slow.socket.io.engine.id;
    const { closed, refs } = watchServerConnection(s, slow);
    const baseline = heapAfterGc(gc);

    // The client stops reading: its TCP window fills, and the server's buffers start to grow.
    const ws = (slow.socket.io.engine.transport as unknown as { ws: WebSocket }).ws;
    ws.pause();
    const ids: number[] = [];
    for (let i = 0; i < FLOOD; i += 50) {
      const batch = Array.from({ length: 50 }, (_, j) =>
        writer.boards.ask('post:create', { boardId: board, title: `flood ${i + j}`, content: CONTENT }),
      );
      for (const res of await Promise.all(batch)) ids.push(ok(res).id);
    }

    assert.equal(await closed, 'forced close');
    const cut = lines.find((l) => l.msg === 'slow consumer disconnected');
    assert.ok(cut, 'the cut is logged');
    assert.equal(cut.reason, 'SLOW_CONSUMER');
    assert.equal(cut.connection, engineId);
    assert.ok(cut.queuedBytes! > 512 * 1024);
    const metrics = await http<string>(s.url, 'GET', '/metrics');
    assert.match(metrics.body, /quad_slow_consumer_disconnects_total 1/);

    // The other subscriber got every event, in order, none twice.
    await until(() => received.normal.length >= FLOOD, 'the normal subscriber to get the flood', 30_000);
    assert.deepEqual(
      received.normal.map(([id]) => id),
      flood,
    );
    assert.deepEqual(new Set(received.normal.map(([, postId]) => postId)), new Set(ids));

    // Nothing of the cut connection is left on the server: its Engine.IO socket is collected
    // (with its write buffer), and the heap is back near where it was before the flood, far
    // below what the backlog of 2,000 pushes of 16 KB would hold.
    assert.equal(s.app.realtime.io.engine.clientsCount, 2, 'the writer and the normal subscriber are left');
    await collected(refs, gc);
    const growth = heapAfterGc(gc) - baseline;
    assert.ok(growth < (FLOOD * CONTENT.length) / 4, `heap grew ${(growth / 2 ** 20).toFixed(1)} MiB`);

    // The client reads again: it sees its connection gone, reconnects, and resumes its board
    // with `since`, which brings every event it missed, in order.
    const disconnected = new Promise<string>((resolve) => slow.socket.once('disconnect', resolve));
    ws.resume();
    // What the client sees of the cut: its connection ended, as on a network failure.
    assert.match(await disconnected, /^transport (close|error)$/);
    await until(() => received.slow.length >= FLOOD, 'the slow client to resume the whole flood', 60_000);
    assert.deepEqual(
      received.slow.map(([id]) => id),
      flood,
    );
    const resumed = await http<string>(s.url, 'GET', '/metrics');
    assert.match(resumed.body, /quad_resumes_total\{result="ok"\} [1-9]/, 'a subscribe with since');
  });
});

/**
 * The server side of a client's WebSocket connection: a promise of its close reason, and weak
 * references to what holds its buffers — the Engine.IO socket (packets not yet sent), the ws
 * socket and its TCP socket (bytes not yet written) — which keep none of them alive.
 */
function watchServerConnection(s: RunningApp, client: NamespaceClient<NamespaceName>) {
  const conn = s.app.realtime.io.of(client.namespace).sockets.get(client.socket.id!)!.conn;
  const closed = new Promise<string>((resolve) => conn.once('close', resolve));
  // The transport's ws socket is not in Engine.IO's typings.
  const ws = (conn.transport as unknown as { socket: WebSocket & { _socket: object } }).socket;
  return { closed, refs: [conn, ws, ws._socket].map((o) => new WeakRef(o)) };
}

/** `gc()`, exposed at run time (mocha is not started with --expose-gc). */
function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Resolves once every target is collected; fails if rounds of full GC leave one alive. */
async function collected(refs: WeakRef<object>[], gc: () => void): Promise<void> {
  const alive = () => refs.filter((r) => r.deref() !== undefined).length;
  for (let round = 0; round < 20 && alive() > 0; round++) {
    // WeakRef targets stay alive until the current job ends: let it end between rounds.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  assert.equal(alive(), 0, 'the cut connection (Engine.IO socket, ws, TCP socket) is still referenced');
}
