import assert from 'node:assert/strict';
import type { NamespaceClient } from '../../shared/client';
import type { SuspensionDto } from '../../shared/dto';
import type { NamespaceName } from '../../shared/events';
import { ok, refused } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { boardId } from '../helpers/boards';
import { hex, newUser, socket, type TestUser } from '../helpers/clients';
import { assertNamesNobody, moderation, recorder, runAdmin, storeRole } from '../helpers/sanctions';

/** Resolves with the next `account:suspended` and when it came, or fails after a while (a lost push). */
function nextSuspended(
  client: NamespaceClient<NamespaceName>,
  ms = 5_000,
): Promise<{ push: SuspensionDto; at: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no account:suspended within ${ms} ms`)), ms);
    client.socket.once('account:suspended', (push: SuspensionDto) => {
      clearTimeout(timer);
      resolve({ push, at: performance.now() });
    });
  });
}

/** Suspensions across two Quad nodes sharing MariaDB and Redis (MariaDB + Redis pass only). */
describe('suspensions across two nodes', () => {
  let nodeA: RunningApp;
  let nodeB: RunningApp;
  let FREE: number;

  const user = (node: RunningApp, base: string) => newUser(node.url, base, `닉-${hex()}`);
  /** `u`'s sockets to `node`, connected (their personal rooms joined). */
  async function on(node: RunningApp, u: TestUser) {
    const boards = socket(node.url, '/boards', { token: u.accessToken });
    const comments = socket(node.url, '/comments', { token: u.accessToken });
    ok(await boards.ask('whoami'));
    ok(await comments.ask('whoami'));
    return { boards, comments };
  }

  before(async () => {
    nodeA = await startApp();
    nodeB = await startApp();
    assert.ok(nodeA.config.REDIS_URL, 'this pass must run with Redis');
    const u = await user(nodeA, 'mnsFree');
    FREE = await boardId(u.boards, '자유게시판');
  });

  it('when a moderator on node A suspends the anonymous author of a comment for 3 days, then the author’s sockets on node B are told, their writes there are refused, and the moderator learns nothing of who it is', async () => {
    const [mod, poster, author] = [
      await user(nodeA, 'mnsMod'),
      await user(nodeB, 'mnsPoster'),
      await user(nodeB, 'mnsAuthor'),
    ];
    await storeRole(nodeA, mod, 'moderator');
    const [p, a] = [await on(nodeB, poster), await on(nodeB, author)];
    const post = ok(await p.boards.ask('post:create', { boardId: FREE, title: `글 ${hex()}`, content: '…' }));
    const comment = ok(
      await a.comments.ask('comment:create', { postId: post.id, content: '욕설', anonymous: true }),
    );
    const target = { kind: 'comment', id: comment.id } as const;

    const m = moderation(nodeA, mod);
    const traffic = recorder(m);
    ok(await traffic.ack(m.ask('whoami')));
    const told = [nextSuspended(a.boards), nextSuspended(a.comments)];
    const asked = performance.now();
    const { until } = ok(await traffic.ack(m.ask('user:suspend', { target, days: 3, reason: '욕설' })));
    const pushes = await Promise.all(told);
    for (const { push } of pushes) assert.deepEqual(push, { until, reason: '욕설' });
    console.log(
      `      account:suspended reached node B after ${pushes.map(({ at }) => `${Math.round(at - asked)} ms`).join(' and ')} (from the command)`,
    );

    const write = () => a.boards.ask('post:create', { boardId: FREE, title: `글 ${hex()}`, content: '…' });
    const err = refused(await write(), 'FORBIDDEN');
    assert.deepEqual([err.reason, err.until], ['SUSPENDED', until]);
    ok(await a.boards.ask('posts:list', { boardId: FREE }));
    assert.deepEqual(ok(await a.comments.ask('whoami')).suspension, { until, reason: '욕설' });
    // A connection made after the suspension, on either node, finds it as well.
    const later = socket(nodeA.url, '/boards', { token: author.accessToken });
    refused(
      await later.ask('post:create', { boardId: FREE, title: `글 ${hex()}`, content: '…' }),
      'FORBIDDEN',
    );

    ok(await traffic.ack(m.ask('user:unsuspend', { target })));
    // Node B hears node A in order: once a later push from node A is there, so is the news.
    ok(await a.boards.ask('board:subscribe', { boardId: FREE }));
    const title = `순서 ${hex()}`;
    const marker = new Promise((resolve) =>
      a.boards.on('post:created', (e) => e.data.title === title && resolve(e)),
    );
    ok(await mod.boards.ask('post:create', { boardId: FREE, title, content: '…' }));
    await marker;
    ok(await write());
    assert.equal(traffic.seen.length, 3);
    assertNamesNobody(traffic.seen, author, "the moderator's traffic");
  });

  it('when `npm run admin` demotes a moderator connected to both nodes, then each node drops their /moderation socket at once', async () => {
    const mod = await user(nodeA, 'mnsDemote');
    const cli = await runAdmin('role', mod.user.username, 'moderator');
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /Every node applies it to new connections now/);
    const sockets = [moderation(nodeA, mod), moderation(nodeB, mod)];
    for (const s of sockets) assert.equal(ok(await s.ask('whoami')).role, 'moderator');
    const dropped = sockets.map(
      (s) => new Promise<string>((resolve) => s.socket.once('disconnect', resolve)),
    );
    const demoted = await runAdmin('role', mod.user.username, 'user');
    assert.equal(demoted.code, 0, demoted.stderr);
    assert.deepEqual(await Promise.all(dropped), ['io server disconnect', 'io server disconnect']);
  });
});
