import assert from 'node:assert/strict';
import type { NamespaceClient } from '../../shared/client';
import type { NamespaceName } from '../../shared/events';
import { ok } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { boardId } from '../helpers/boards';
import { hex, newUser, socket, type TestUser } from '../helpers/clients';

/** Resolves with the next push of `event` and when it came, or fails after a while (a lost cross-node push). */
function nextPush<T>(
  client: NamespaceClient<NamespaceName>,
  event: string,
  ms = 5_000,
): Promise<{ push: T; at: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    client.socket.once(event, (push: T) => {
      clearTimeout(timer);
      resolve({ push, at: performance.now() });
    });
  });
}

/** The unread badge and the notification switches across two Quad nodes (MariaDB + Redis pass only). */
describe('notification badge and settings across two nodes', () => {
  let nodeA: RunningApp;
  let nodeB: RunningApp;
  let FREE: number;

  before(async () => {
    nodeA = await startApp();
    nodeB = await startApp();
    assert.ok(nodeA.config.REDIS_URL, 'this pass must run with Redis');
    const u = await newUser(nodeA.url, 'mnnFree');
    FREE = await boardId(u.boards, '자유게시판');
  });

  /** A /boards socket of `u` on `node`, connected (its personal room joined). */
  async function device(node: RunningApp, u: TestUser): Promise<NamespaceClient<'/boards'>> {
    const client = socket(node.url, '/boards', { token: u.accessToken });
    ok(await client.ask('whoami'));
    return client;
  }

  it('when I read my notifications on a device on node A, then my device on node B gets notification:read with the new unread count at once, and whoami agrees there', async () => {
    const [me, other] = [await newUser(nodeA.url, 'mnnMe'), await newUser(nodeB.url, 'mnnOther')];
    const [phone, laptop] = [await device(nodeA, me), await device(nodeB, me)];
    const post = ok(await phone.ask('post:create', { boardId: FREE, title: `글 ${hex()}`, content: '…' }));
    const heard = [nextPush(phone, 'notification'), nextPush(laptop, 'notification')];
    ok(await other.comments.ask('comment:create', { postId: post.id, content: '댓글' }));
    await Promise.all(heard);
    const second = nextPush(laptop, 'notification');
    ok(await other.comments.ask('comment:create', { postId: post.id, content: '댓글 둘' }));
    await second;
    assert.equal(ok(await laptop.ask('whoami')).unreadNotifications, 2);
    const [newest] = ok(await phone.ask('notifications:list', {})).items;

    const cleared = nextPush(laptop, 'notification:read');
    const asked = performance.now();
    assert.deepEqual(ok(await phone.ask('notifications:read', { ids: [newest!.id] })), { unread: 1 });
    const one = await cleared;
    assert.deepEqual(one.push, { ids: [newest!.id], unread: 1 });

    const all = nextPush(laptop, 'notification:read');
    const askedAll = performance.now();
    assert.deepEqual(ok(await phone.ask('notifications:read', { all: true })), { unread: 0 });
    const zero = await all;
    assert.deepEqual(zero.push, { all: true, unread: 0 });
    console.log(
      `      notification:read reached node B after ${Math.round(one.at - asked)} ms and ${Math.round(zero.at - askedAll)} ms (from the command)`,
    );
    assert.equal(ok(await laptop.ask('whoami')).unreadNotifications, 0);
  });

  it('when I switch a kind off on node B, then my device on node A gets notification:settings, and a comment on my post written on node A notifies neither device', async () => {
    const [me, other] = [await newUser(nodeA.url, 'mnnSet'), await newUser(nodeA.url, 'mnnSet2')];
    const [phone, laptop] = [await device(nodeA, me), await device(nodeB, me)];
    const synced = nextPush(phone, 'notification:settings');
    const set = ok(await laptop.ask('notifications:settings:set', { kinds: { comment: false } }));
    assert.equal(set.kinds.comment, false);
    assert.deepEqual((await synced).push, set);

    const post = ok(await phone.ask('post:create', { boardId: FREE, title: `글 ${hex()}`, content: '…' }));
    const mine = ok(await me.comments.ask('comment:create', { postId: post.id, content: '내 댓글' }));
    // The reply (kind `reply`, on) is the first notification either device gets: the comment gave none.
    const heard = [
      nextPush<{ data: { type: string } }>(phone, 'notification'),
      nextPush<{ data: { type: string } }>(laptop, 'notification'),
    ];
    ok(await other.comments.ask('comment:create', { postId: post.id, content: '댓글' }));
    ok(await other.comments.ask('comment:create', { postId: post.id, content: '답글', parentId: mine.id }));
    for (const { push } of await Promise.all(heard)) assert.equal(push.data.type, 'reply');
  });
});
