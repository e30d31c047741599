import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { io as ioClient, Manager, type Socket as ClientSocket } from 'socket.io-client';
import type { LoginDto } from '../shared/dto';
import { NAMESPACES } from '../shared/events';

/** The namespaces every user may connect to (/moderation is for staff). */
const USER_NAMESPACES = NAMESPACES.filter((n) => n !== '/moderation');
import { startApp, type RunningApp } from './helpers/app';
import { connectError, http, newUser, PASSWORD, socket, uniqueNick } from './helpers/clients';
import { wait } from './helpers/waiting';

describe('authenticated sockets', () => {
  let s: RunningApp;
  before(async () => {
    s = await startApp({ CORS_ORIGINS: 'https://app.quad.example' });
  });

  it('when a client connects with its access token, then every namespace of a user answers whoami', async () => {
    const u = await newUser(s.url, 'sock', uniqueNick('소켓'));
    for (const nsp of USER_NAMESPACES) {
      const client = socket(s.url, nsp, { token: u.accessToken });
      const res = await client.ask('whoami');
      assert.deepEqual(
        res,
        {
          ok: true,
          data: {
            id: u.user.id,
            username: u.user.username,
            nickname: u.user.nickname,
            unreadNotifications: 0,
            unreadMessages: 0,
            role: 'user',
            suspension: null,
            verified: false,
          },
        },
        nsp,
      );
    }
  });

  it('when the handshake has no token, then connect_error TOKEN_MISSING', async () => {
    const err = await connectError(socket(s.url, '/boards'));
    assert.equal(err.data?.code, 'TOKEN_MISSING');
  });

  it('when the token is garbage or signed with another secret, then connect_error TOKEN_INVALID', async () => {
    const u = await newUser(s.url);
    assert.equal(
      (await connectError(socket(s.url, '/boards', { token: 'nope' }))).data?.code,
      'TOKEN_INVALID',
    );
    const { iat: _i, exp: _e, ...claims } = jwt.decode(u.accessToken) as jwt.JwtPayload;
    const forged = jwt.sign(claims, 'another-secret-that-is-long-enough-000000', { expiresIn: 60 });
    assert.equal(
      (await connectError(socket(s.url, '/comments', { token: forged }))).data?.code,
      'TOKEN_INVALID',
    );
    // a refresh token is not an access token
    assert.equal(
      (await connectError(socket(s.url, '/timetables', { token: u.refreshToken }))).data?.code,
      'TOKEN_INVALID',
    );
  });

  it('when the token has expired, then connect_error TOKEN_EXPIRED', async () => {
    const u = await newUser(s.url);
    const { iat: _i, exp: _e, ...claims } = jwt.decode(u.accessToken) as jwt.JwtPayload;
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 5 }, s.config.jwtSecret);
    assert.equal(
      (await connectError(socket(s.url, '/boards', { token: expired }))).data?.code,
      'TOKEN_EXPIRED',
    );
  });

  it('when the session has logged out, then connect_error TOKEN_REVOKED', async () => {
    const u = await newUser(s.url);
    assert.equal((await http(s.url, 'POST', '/api/auth/logout', { token: u.accessToken })).status, 204);
    assert.equal(
      (await connectError(socket(s.url, '/boards', { token: u.accessToken }))).data?.code,
      'TOKEN_REVOKED',
    );
  });

  it('when the token is only in the query string, then the connection is refused', async () => {
    const u = await newUser(s.url);
    const client = socket(s.url, '/boards', { socket: { query: { token: u.accessToken } } });
    const err = await connectError(client);
    assert.equal(err.data?.code, 'TOKEN_MISSING');
    assert.match(err.message, /query/);
  });

  it('when a browser sends the access cookie, then the socket is authenticated by it', async () => {
    const u = await newUser(s.url);
    const client = socket(s.url, '/boards', {
      socket: { extraHeaders: { cookie: `quad_access=${u.accessToken}` } },
    });
    const res = await client.ask('whoami');
    assert.equal(res.ok && res.data.id, u.user.id);
  });

  it('when the Origin is foreign, then the handshake is refused; own and configured origins pass', async () => {
    const u = await newUser(s.url);
    const from = (origin: string) =>
      socket(s.url, '/boards', {
        token: u.accessToken,
        socket: { transports: ['polling'], extraHeaders: { origin } },
      });
    await connectError(from('https://evil.example'));
    await from('https://app.quad.example').connected();
    await from(s.url).connected();
  });

  it('when a client connects to the main namespace, then it is refused', async () => {
    const u = await newUser(s.url);
    const client = ioClient(s.url, {
      auth: { token: u.accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    const err = await new Promise<Error & { data?: { code?: string } }>((resolve) =>
      client.once('connect_error', resolve),
    );
    client.close();
    assert.equal(err.data?.code, 'NOT_FOUND');
  });

  it('when a command payload is not an object, then the ack is a VALIDATION error', async () => {
    const u = await newUser(s.url);
    const res = await u.boards.socket.emitWithAck('whoami', 42);
    assert.equal(res.ok, false);
    assert.equal(res.error.code, 'VALIDATION');
    const refresh = await u.boards.socket.emitWithAck('auth:refresh', { accessToken: 1, extra: true });
    assert.equal(refresh.error.code, 'VALIDATION');
    assert.ok(refresh.error.fields.accessToken && refresh.error.fields.extra);
  });

  it('when a message is larger than 64 KB, then the server drops that socket and others carry on', async () => {
    const [a, b] = [await newUser(s.url), await newUser(s.url)];
    await Promise.all([a.boards.connected(), b.boards.connected()]);
    const closed = new Promise((resolve) => a.boards.socket.once('disconnect', resolve));
    a.boards.socket.emit('whoami', { padding: 'x'.repeat(70 * 1024) });
    await closed;
    assert.equal((await b.boards.ask('whoami')).ok, true);
  });

  it('when the session logs out, then its sockets on every namespace disconnect, and another session stays', async () => {
    const u = await newUser(s.url);
    const other = await http<LoginDto>(s.url, 'POST', '/api/auth/login', {
      json: { username: u.user.username, password: PASSWORD },
    });
    const mine = USER_NAMESPACES.map((n) => socket(s.url, n, { token: u.accessToken }));
    const theirs = socket(s.url, '/boards', { token: other.body.accessToken });
    await Promise.all([...mine, theirs].map((c) => c.connected()));
    const gone = mine.map((c) => new Promise((resolve) => c.socket.once('disconnect', resolve)));
    assert.equal((await http(s.url, 'POST', '/api/auth/logout', { token: u.accessToken })).status, 204);
    const reasons = await Promise.all(gone);
    assert.deepEqual(
      reasons,
      USER_NAMESPACES.map(() => 'io server disconnect'),
    );
    assert.equal((await theirs.ask('whoami')).ok, true);
  });
});

describe('socket token expiry and auth:refresh', () => {
  let s: RunningApp;
  before(async () => {
    s = await startApp({ ACCESS_TOKEN_TTL: '2s' });
  });

  it('when the access token expires without auth:refresh, then auth:expired is pushed and the socket disconnects', async () => {
    const u = await newUser(s.url);
    await u.boards.connected();
    const expired = u.boards.next('auth:expired');
    const disconnected = new Promise((resolve) => u.boards.socket.once('disconnect', resolve));
    const payload = await expired;
    assert.match(payload.message, /expired/);
    assert.equal(await disconnected, 'io server disconnect');
  });

  it('when the client sends auth:refresh with a fresh token, then the socket stays past the old expiry', async () => {
    const u = await newUser(s.url);
    await u.boards.connected();
    let expiredPushes = 0;
    u.boards.on('auth:expired', () => expiredPushes++);
    await wait(1_000);
    const refreshed = await http<LoginDto>(s.url, 'POST', '/api/auth/refresh', {
      json: { refreshToken: u.refreshToken },
    });
    const res = await u.boards.setToken(refreshed.body.accessToken);
    assert.equal(res.ok, true);
    assert.ok(res.ok && Date.parse(res.data.expiresAt) > Date.now());
    // Just past the first token's expiry. Expiries are whole seconds and the refresh came a
    // second after the login, so the second token expires at least a second later than that.
    await wait(Date.parse(u.accessTokenExpiresAt) + 200 - Date.now());
    assert.equal(u.boards.socket.connected, true);
    assert.equal(expiredPushes, 0);
    assert.equal((await u.boards.ask('whoami')).ok, true);
  });

  it('when one namespace of a multiplexed connection lets its token expire, then only that namespace goes: the others (renewed) stay on the same connection', async () => {
    // One Manager, all three namespaces on one Engine.IO connection, as socket.io-client and
    // python-socketio do by default.
    const u = await newUser(s.url);
    const manager = new Manager(s.url, { transports: ['websocket'], reconnection: false });
    const auth = { token: u.accessToken };
    const [boards, comments, timetables] = (['/boards', '/comments', '/timetables'] as const).map((n) =>
      manager.socket(n, { auth }),
    ) as [ClientSocket, ClientSocket, ClientSocket];
    try {
      await Promise.all(
        [boards, comments, timetables].map((c) => new Promise<void>((r) => c.once('connect', () => r()))),
      );
      const engine = manager.engine;
      await wait(1_000);
      const refreshed = await http<LoginDto>(s.url, 'POST', '/api/auth/refresh', {
        json: { refreshToken: u.refreshToken },
      });
      for (const c of [comments, timetables]) {
        const res = (await c.emitWithAck('auth:refresh', { accessToken: refreshed.body.accessToken })) as {
          ok: boolean;
        };
        assert.equal(res.ok, true);
      }
      const expired = new Promise((r) => boards.once('auth:expired', r));
      const gone = new Promise((r) => boards.once('disconnect', r));
      let othersExpired = 0;
      for (const c of [comments, timetables]) c.on('auth:expired', () => othersExpired++);
      await expired;
      assert.equal(await gone, 'io server disconnect');
      await wait(100);
      assert.equal(comments.connected && timetables.connected, true, 'a renewed namespace was dropped');
      assert.equal(othersExpired, 0);
      assert.equal(manager.engine, engine, 'the connection was replaced');
      assert.equal(engine.readyState, 'open');
      for (const c of [comments, timetables])
        assert.equal(((await c.emitWithAck('whoami', {})) as { ok: boolean }).ok, true);
      // When the renewed token expires too, both get auth:expired, and the empty connection closes.
      const closed = new Promise<void>((r) => engine.once('close', () => r()));
      await Promise.all(
        [comments, timetables].map((c) => new Promise<void>((r) => c.once('auth:expired', () => r()))),
      );
      await closed;
      assert.equal(othersExpired, 2);
    } finally {
      for (const c of [boards, comments, timetables]) c.disconnect();
    }
  });

  it("when auth:refresh carries another user's token, then FORBIDDEN and the socket keeps its identity", async () => {
    const [a, b] = [await newUser(s.url), await newUser(s.url)];
    const res = await a.boards.ask('auth:refresh', { accessToken: b.accessToken });
    assert.equal(res.ok, false);
    assert.equal(!res.ok && res.error.code, 'FORBIDDEN');
    const who = await a.boards.ask('whoami');
    assert.equal(who.ok && who.data.id, a.user.id);
  });

  it('when auth:refresh carries an invalid token, then UNAUTHENTICATED', async () => {
    const u = await newUser(s.url);
    const res = await u.boards.ask('auth:refresh', { accessToken: 'garbage' });
    assert.equal(!res.ok && res.error.code, 'UNAUTHENTICATED');
    assert.equal(!res.ok && res.error.reason, 'TOKEN_INVALID');
  });
});

describe('documented edges of the transport', () => {
  it('when a client connects to an unknown namespace, then Socket.IO refuses it with "Invalid namespace" and no data', async () => {
    const s = await startApp();
    const u = await newUser(s.url);
    const c = ioClient(`${s.url}/nope`, {
      auth: { token: u.accessToken },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    const err = await new Promise<Error & { data?: unknown }>((r) => c.once('connect_error', r));
    c.close();
    assert.equal(err.message, 'Invalid namespace');
    assert.equal(err.data, undefined);
  });

  it('when a message over 64 KB comes over long-polling, then that POST is 413 and the session stays', async () => {
    const s = await startApp();
    const u = await newUser(s.url);
    const base = `${s.url}/socket.io/?EIO=4&transport=polling`;
    const open = await (await fetch(base)).text();
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    const post = (body: string) => fetch(`${base}&sid=${sid}`, { method: 'POST', body });
    assert.equal((await post(`40/boards,${JSON.stringify({ token: u.accessToken })}`)).status, 200);
    assert.match(await (await fetch(`${base}&sid=${sid}`)).text(), /40\/boards,\{"sid"/);
    const big = `42/boards,1["whoami",{"pad":"${'x'.repeat(70 * 1024)}"}]`;
    assert.equal((await post(big)).status, 413);
    // Still the same session: a command on it is answered.
    assert.equal((await post('42/boards,2["whoami"]')).status, 200);
    assert.match(await (await fetch(`${base}&sid=${sid}`)).text(), /43\/boards,2\[\{"ok":true/);
  });
});

describe('unknown events', () => {
  it('when a client sends an event no namespace knows, then the ack is NOT_FOUND and the socket stays', async () => {
    const s = await startApp();
    const u = await newUser(s.url);
    const res = await u.timetables.socket.emitWithAck('post:explode', { now: true });
    assert.deepEqual(res.ok, false);
    assert.equal(res.error.code, 'NOT_FOUND');
    assert.match(res.error.message, /post:explode/);
    assert.equal((await u.timetables.ask('whoami')).ok, true);
  });
});
