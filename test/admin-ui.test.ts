import assert from 'node:assert/strict';
import { io, type Socket } from 'socket.io-client';
import { ok } from './helpers/acks';
import { startApp } from './helpers/app';
import { BACKEND } from './helpers/backend';
import { boardId } from './helpers/boards';
import { http, newUsers } from './helpers/clients';

const PASSWORD = 'admin-ui-passphrase-42';

/** The admin UI's own connection: namespace /admin, credentials in `auth`. */
function adminSocket(url: string, auth: object): Socket {
  return io(`${url}/admin`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
}

function connects(socket: Socket): Promise<true | Error> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('connect_error', (err) => resolve(err));
  });
}

describe(`Socket.IO admin UI (${BACKEND})`, () => {
  it('when ADMIN_UI_PASSWORD is not set (the default), then neither the UI files nor the /admin namespace exist', async () => {
    const s = await startApp();
    assert.equal((await http(s.url, 'GET', '/admin-ui/')).status, 404);
    const socket = adminSocket(s.url, { username: 'admin', password: PASSWORD });
    const res = await connects(socket);
    socket.close();
    assert.ok(res instanceof Error, 'the /admin namespace answered');
  });

  it('when it is set, then the UI is served, a wrong password is refused, and the right one gets aggregates without user data', async () => {
    const s = await startApp({ ADMIN_UI_PASSWORD: PASSWORD });
    const page = await http<string>(s.url, 'GET', '/admin-ui/');
    assert.equal(page.status, 200);
    assert.match(page.body, /Socket\.IO Admin UI/);

    const wrong = adminSocket(s.url, { username: 'admin', password: 'not-the-password' });
    const refused = await connects(wrong);
    wrong.close();
    assert.ok(refused instanceof Error, 'a wrong password connected');

    const admin = adminSocket(s.url, { username: 'admin', password: PASSWORD });
    const received: unknown[] = [];
    admin.onAny((event: string, ...args: unknown[]) => received.push([event, ...args]));
    const config = new Promise<{ supportedFeatures: string[] }>((r) => admin.once('config', r));
    assert.equal(await connects(admin), true);
    // Read-only: the UI cannot emit to, join, leave or disconnect Quad's sockets.
    assert.deepEqual((await config).supportedFeatures, ['AGGREGATED_EVENTS']);

    // A student posts anonymously while the admin watches.
    const [w] = await newUsers(s.url, ['anon'] as const);
    const me = ok(await w.boards.ask('whoami', {}));
    const board = await boardId(w.boards, '자유게시판');
    ok(
      await w.boards.ask('post:create', {
        boardId: board,
        title: '익명 글',
        content: '비밀',
        anonymous: true,
      }),
    );
    const stats = await new Promise<{ namespaces: { name: string; socketsCount: number }[] }>((resolve) => {
      const onStats = (st: { namespaces: { name: string; socketsCount: number }[] }) => {
        if (st.namespaces.some((n) => n.name === '/boards' && n.socketsCount > 0)) {
          admin.off('server_stats', onStats);
          resolve(st);
        }
      };
      admin.on('server_stats', onStats);
    });
    assert.ok(stats.namespaces.some((n) => n.name === '/boards' && n.socketsCount >= 1));
    admin.close();

    // Aggregates only: nothing the UI received names the user, carries a token or the post.
    const all = JSON.stringify(received);
    for (const secret of [me.username, me.nickname, w.accessToken, w.refreshToken, '비밀', '익명 글'])
      assert.ok(!all.includes(secret), `the admin UI received ${secret}`);
    assert.doesNotMatch(all, /"userId"|"sid"|authorization|cookie/i);
  });
});
