import assert from 'node:assert/strict';
import type { NamespaceClient } from '../../shared/client';
import type { LoginDto, PostDto } from '../../shared/dto';
import type { ErrorWire } from '../../shared/errors';
import type { NamespaceName } from '../../shared/events';
import { ok } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { boardsByName } from '../helpers/boards';
import { connectError, hex, http, newUser, PASSWORD, socket } from '../helpers/clients';
import { traces } from '../helpers/forgotten';

type Client = NamespaceClient<NamespaceName>;

/** Resolves with the disconnect reason, or fails after a while. */
function disconnected(client: Client, ms = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no disconnect within ${ms} ms`)), ms);
    client.socket.once('disconnect', (reason: string) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Account deletion across two Quad nodes sharing MariaDB and Redis (MariaDB + Redis pass only). */
describe('account deletion across two nodes', () => {
  let a: RunningApp;
  let b: RunningApp;
  before(async () => {
    a = await startApp();
    b = await startApp();
    assert.ok(a.config.REDIS_URL, 'this pass must run with Redis');
  });

  const on = async (node: RunningApp, nsp: NamespaceName, token: string) => {
    const client = socket(node.url, nsp, { token }) as Client;
    ok(await client.ask('whoami'));
    return client;
  };

  it('when a user with sockets on both nodes deletes the account on node A, then every socket on both nodes closes, both refuse its tokens, and node B reads its posts as (탈퇴한 사용자)', async () => {
    const u = await newUser(a.url, 'mnDel', `d${hex()}`);
    const reader = await newUser(b.url, 'mnRead', `r${hex()}`);
    const laptop = await http<LoginDto>(b.url, 'POST', '/api/auth/login', {
      json: { username: u.user.username, password: PASSWORD },
    });
    const FREE = (await boardsByName(u.boards)).get('자유게시판')!.id;
    const post = ok(
      await u.boards.ask('post:create', { boardId: FREE, title: `글 ${hex()}`, content: '내용' }),
    );
    // B has read the account (its handshake cache holds it) before the deletion.
    assert.equal(ok(await reader.boards.ask('post:get', { postId: post.id })).authorName, u.user.nickname);

    const sockets = [
      await on(a, '/boards', u.accessToken),
      await on(b, '/comments', u.accessToken),
      await on(b, '/timetables', u.accessToken),
      await on(a, '/timetables', laptop.body.accessToken),
      await on(b, '/boards', laptop.body.accessToken),
    ];
    const closed = Promise.all(sockets.map((c) => disconnected(c)));

    const res = await http(a.url, 'DELETE', '/api/account', {
      token: u.accessToken,
      json: { password: PASSWORD },
    });
    assert.equal(res.status, 204);
    assert.deepEqual(
      await closed,
      sockets.map(() => 'io server disconnect'),
    );

    for (const node of [a, b]) {
      for (const token of [u.accessToken, laptop.body.accessToken]) {
        const refused = await connectError(socket(node.url, '/boards', { token }));
        assert.ok(
          ['TOKEN_REVOKED', 'TOKEN_INVALID'].includes(String(refused.data?.code)),
          refused.data?.code,
        );
        const me = await http<{ error: ErrorWire }>(node.url, 'GET', '/api/auth/me', { token });
        assert.equal(me.status, 401);
      }
    }
    const read = await http<{ post: PostDto }>(b.url, 'GET', `/api/posts/${post.id}`, {
      token: reader.accessToken,
    });
    assert.deepEqual(
      [read.body.post.authorName, read.body.post.authorId, read.body.post.authorDeleted],
      ['(탈퇴한 사용자)', null, true],
    );
    assert.deepEqual(await traces(b.app.db, u.user), []);
  });
});
