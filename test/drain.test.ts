import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import nodeHttp from 'node:http';
import mysql from 'mysql2/promise';
import { QueryTypes } from 'sequelize';
import { io as plainClient, type Socket } from 'socket.io-client';
import sqlite3 from 'sqlite3';
import { createDatabase } from '../server/core/db';
import { ALL_MODELS } from '../server/features/models';
import type { NamespaceClient } from '../shared/client';
import type { DrainingDto, PostDto } from '../shared/dto';
import type { ErrorWire } from '../shared/errors';
import type { Ack, NamespaceName } from '../shared/events';
import { ok } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { BACKEND } from './helpers/backend';
import { boardId } from './helpers/boards';
import { connectError, hex, http, newUser, socket } from './helpers/clients';
import { until, wait } from './helpers/waiting';

/**
 * Takes the database's write lock from outside the app until `release()`: every command that
 * writes an event (post:create, …) then waits for it — a command that hangs, without any
 * test-only code in the server. SQLite: BEGIN IMMEDIATE on a second connection to the file;
 * MariaDB: the events table, write-locked (LOCK TABLES), which every event writer inserts into.
 */
async function holdWriteLock(s: RunningApp): Promise<() => Promise<void>> {
  const url = s.config.databaseUrl;
  if (BACKEND === 'sqlite') {
    const conn = new sqlite3.Database(url.slice('sqlite:'.length));
    const run = (sql: string) =>
      new Promise<void>((resolve, reject) => conn.run(sql, (err) => (err ? reject(err) : resolve())));
    await run('BEGIN IMMEDIATE');
    return async () => {
      await run('ROLLBACK');
      await new Promise((resolve) => conn.close(resolve));
    };
  }
  const conn = await mysql.createConnection(url);
  await conn.query('LOCK TABLES events WRITE');
  return async () => {
    await conn.query('UNLOCK TABLES');
    await conn.end();
  };
}

/** The status a WebSocket handshake gets (101 when it is accepted). */
function websocketHandshake(baseUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = nodeHttp.request(`${baseUrl}/socket.io/?EIO=4&transport=websocket`, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': crypto.randomBytes(16).toString('base64'),
      },
    });
    req.on('upgrade', (_res, sock) => {
      sock.destroy();
      resolve(101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Records, in order, what a socket hears of a drain. */
function watch(sock: Socket): string[] {
  const seen: string[] = [];
  sock.on('server:draining', (p: DrainingDto) => seen.push(`server:draining ${typeof p.message}`));
  sock.on('disconnect', (reason) => seen.push(`disconnect: ${reason}`));
  return seen;
}

async function countPosts(url: string, title: string): Promise<number> {
  const db = createDatabase({ url, poolMax: 1, models: ALL_MODELS });
  try {
    const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM posts WHERE title = ?', {
      replacements: [title],
      type: QueryTypes.SELECT,
    });
    return Number(row?.n);
  } finally {
    await db.close();
  }
}

describe(`graceful drain (${BACKEND})`, () => {
  it('when a command is in flight as the node drains, then /readyz, new requests and new handshakes answer 503 while the command is still acknowledged ok, before server:draining is followed by the disconnect', async () => {
    const s = await startApp();
    const u = await newUser(s.url, 'inflight');
    const board = await boardId(u.boards, '자유게시판');
    const seen = watch(u.boards.socket);
    const title = `in flight ${hex()}`;
    const release = await holdWriteLock(s);
    let pending: Promise<Ack<PostDto>> | undefined;
    let stopping: Promise<void> | undefined;
    try {
      pending = u.boards.ask('post:create', { boardId: board, title, content: '드레인 중' });
      await wait(300); // on the server now, waiting for the lock
      stopping = s.stop();
      await until(() => seen.length > 0, 'server:draining');

      const ready = await http(s.url, 'GET', '/readyz');
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.body, { status: 'draining' });
      assert.equal((await http(s.url, 'GET', '/healthz')).status, 200);
      const api = await http<{ error: ErrorWire }>(s.url, 'GET', '/api/boards', { token: u.accessToken });
      assert.equal(api.status, 503);
      assert.equal(api.body.error.code, 'UNAVAILABLE');
      assert.equal(api.headers.get('connection'), 'close');
      const polling = await http<{ error: ErrorWire }>(s.url, 'GET', '/socket.io/?EIO=4&transport=polling');
      assert.equal(polling.status, 503);
      assert.equal(polling.body.error.code, 'UNAVAILABLE');
      assert.equal(await websocketHandshake(s.url), 503);
      assert.ok(await connectError(socket(s.url, '/boards', { token: u.accessToken })));
      assert.ok(u.boards.socket.connected, 'the socket stays while its command runs');
    } finally {
      await release();
    }
    // Had the disconnect come first, socket.io-client would have failed the ask ("disconnected").
    ok(await pending!);
    await stopping;
    assert.deepEqual(seen, ['server:draining string', 'disconnect: io server disconnect']);
    assert.equal(await countPosts(s.config.databaseUrl, title), 1);
  });

  it('when the node drains, then every socket on every namespace gets server:draining and is then disconnected, a plain socket.io client too, well within SHUTDOWN_TIMEOUT', async () => {
    const s = await startApp({ SHUTDOWN_TIMEOUT: '5s' });
    const [a, b] = [await newUser(s.url, 'drain_a'), await newUser(s.url, 'drain_b')];
    const typed = [a.boards, a.comments, a.timetables, b.boards] as NamespaceClient<NamespaceName>[];
    await Promise.all(typed.map((c) => c.ask('whoami')));
    // A client that does not confirm server:draining: the node waits for it at most a second.
    const plain = plainClient(`${s.url}/comments`, {
      auth: { token: b.accessToken },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve) => plain.once('connect', () => resolve()));
    const seen = [...typed.map((c) => watch(c.socket)), watch(plain)];
    const hints: number[] = [];
    for (const c of typed) c.on('server:draining', (p) => hints.push(p.reconnectInMs ?? -1));

    const started = Date.now();
    await s.stop();
    const took = Date.now() - started;
    for (const events of seen)
      assert.deepEqual(events, ['server:draining string', 'disconnect: io server disconnect']);
    assert.ok(took < 3_000, `drained in ${took} ms`);
    assert.equal(hints.length, typed.length);
    for (const h of hints) assert.ok(h >= 0 && h < 1_000, `reconnectInMs ${h}`);
    plain.close();
  });

  it('when a command hangs, then the node still stops within SHUTDOWN_TIMEOUT and disconnects its socket', async () => {
    const s = await startApp({ SHUTDOWN_TIMEOUT: '2s' });
    const u = await newUser(s.url, 'hung');
    const board = await boardId(u.boards, '자유게시판');
    const release = await holdWriteLock(s);
    try {
      const failure = u.boards
        .ask('post:create', { boardId: board, title: `hung ${hex()}`, content: '…' })
        .then(
          () => undefined,
          (err: Error) => err,
        );
      await wait(300);
      const started = Date.now();
      await s.stop();
      const took = Date.now() - started;
      assert.ok(took <= 2_000, `stopped in ${took} ms`);
      assert.ok(took >= 1_000, `waited for the command first (${took} ms)`);
      // Its outcome is unknown to the client; with no connection to send it again on, it rejects.
      assert.match(String(await failure), /socket has been disconnected/);
      assert.equal(u.boards.socket.connected, false);
    } finally {
      await release();
    }
  });

  it('when the server disconnects a socket without server:draining (logout), then the typed client does not reconnect', async () => {
    const s = await startApp();
    const u = await newUser(s.url, 'logout');
    const client = socket(s.url, '/boards', {
      token: u.accessToken,
      socket: { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 50 },
    });
    await client.connected();
    const states: string[] = [];
    client.onState((state) => states.push(state));
    let attempts = 0;
    client.socket.io.on('open', () => attempts++);
    const gone = new Promise((resolve) => client.socket.once('disconnect', resolve));
    assert.equal((await http(s.url, 'POST', '/api/auth/logout', { token: u.accessToken })).status, 204);
    assert.equal(await gone, 'io server disconnect');
    await wait(1_500);
    assert.equal(client.socket.connected, false);
    assert.equal(attempts, 0);
    assert.deepEqual(states, ['offline']);
    assert.equal(client.state, 'offline');
  });
});
