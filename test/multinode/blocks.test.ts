import assert from 'node:assert/strict';
import type { CommentDto, PostDto, PushEvent } from '../../shared/dto';
import { rooms } from '../../shared/rooms';
import { ok, refused } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { boardId } from '../helpers/boards';
import { hex, newUser, newUsers, socket, uniqueNick, type TestUser } from '../helpers/clients';
import { collect, flush } from '../helpers/pushes';
import { until } from '../helpers/waiting';

const boardsOn = (node: RunningApp, u: TestUser) => socket(node.url, '/boards', { token: u.accessToken });
const commentsOn = (node: RunningApp, u: TestUser) => socket(node.url, '/comments', { token: u.accessToken });

/** Whether `socketId` is in `room` on one node's namespace (what a push to the room minus it reaches). */
const inRoom = (node: RunningApp, nsp: '/boards' | '/comments', room: string, socketId: string | undefined) =>
  socketId !== undefined && (node.app.realtime.io.of(nsp).adapter.rooms.get(room)?.has(socketId) ?? false);

/** Two Quad nodes sharing MariaDB and Redis (this file runs only in the MariaDB + Redis pass). */
describe('blocks and per-user limits across two nodes', () => {
  let a: RunningApp;
  let b: RunningApp;
  before(async () => {
    a = await startApp();
    b = await startApp();
    assert.ok(a.config.REDIS_URL, 'this pass must run with Redis');
  });

  it("when a user blocks an anonymous commenter on node A, then the blocker's sockets on node B stop receiving that author's posts and comments (made on either node), lists there too; a third user on B still gets them", async () => {
    const [op, troll, blocker, third] = await newUsers(
      a.url,
      ['op', 'troll', 'blocker', 'third'] as const,
      (name) => uniqueNick(name),
    );
    const opA = boardsOn(a, op);
    const free = await boardId(opA, '자유게시판');
    const thread = ok(
      await opA.ask('post:create', { boardId: free, title: `스레드 ${hex()}`, content: '.' }),
    );
    const trollA = { boards: boardsOn(a, troll), comments: commentsOn(a, troll) };
    const trollB = { boards: boardsOn(b, troll), comments: commentsOn(b, troll) };
    const first = ok(
      await trollA.comments.ask('comment:create', { postId: thread.id, content: '첫 댓글', anonymous: true }),
    );

    // The blocker and the third user read on node B.
    const seen = new Map<TestUser, { posts: PushEvent<PostDto>[]; comments: PushEvent<CommentDto>[] }>();
    const onB = new Map<
      TestUser,
      { boards: ReturnType<typeof boardsOn>; comments: ReturnType<typeof commentsOn> }
    >();
    for (const u of [blocker, third]) {
      const sockets = { boards: boardsOn(b, u), comments: commentsOn(b, u) };
      ok(await sockets.boards.ask('board:subscribe', { boardId: free }));
      ok(await sockets.comments.ask('post:subscribe', { postId: thread.id }));
      onB.set(u, sockets);
      seen.set(u, {
        posts: collect(sockets.boards, 'post:created'),
        comments: collect(sockets.comments, 'comment:created'),
      });
    }
    const blockerB = onB.get(blocker)!;

    // The block is made through a socket of the blocker's on node A.
    const started = Date.now();
    const block = ok(
      await commentsOn(a, blocker).ask('user:block', { target: { kind: 'comment', id: first.id } }),
    );
    assert.match(block.label, /^익명1 in '스레드 /);
    const hide = rooms.hide(troll.user.id);
    await until(
      () =>
        inRoom(b, '/boards', hide, blockerB.boards.socket.id) &&
        inRoom(b, '/comments', hide, blockerB.comments.socket.id),
      "the blocker's sockets on node B to join the hide room",
    );
    console.log(
      `      (node B applied the block made on node A ${Date.now() - started} ms after it was asked)`,
    );
    assert.ok(!inRoom(b, '/boards', hide, onB.get(third)!.boards.socket.id));

    const posts: PostDto[] = [];
    const comments: CommentDto[] = [];
    for (const node of [trollA, trollB]) {
      posts.push(
        ok(
          await node.boards.ask('post:create', {
            boardId: free,
            title: `글 ${hex()}`,
            content: '.',
            anonymous: true,
          }),
        ),
      );
      comments.push(
        ok(await node.comments.ask('comment:create', { postId: thread.id, content: '또', anonymous: true })),
      );
    }
    const opPost = ok(
      await opA.ask('post:create', { boardId: free, title: `마지막 ${hex()}`, content: '.' }),
    );

    const thirdSaw = seen.get(third)!;
    await until(() => thirdSaw.posts.length >= 3 && thirdSaw.comments.length >= 2, "the third user's pushes");
    assert.deepEqual(
      thirdSaw.posts.map((e) => e.data.id),
      [...posts.map((p) => p.id), opPost.id],
    );
    const blockerSaw = seen.get(blocker)!;
    await until(() => blockerSaw.posts.length >= 1, "the original poster's post on the blocker's socket");
    await Promise.all([flush(blockerB.boards), flush(blockerB.comments)]);
    assert.deepEqual(
      blockerSaw.posts.map((e) => e.data.id),
      [opPost.id],
    );
    assert.deepEqual(blockerSaw.comments, []);

    // Node B's cache of the blocker's blocks was dropped too: its lists skip the author.
    const listed = ok(await blockerB.boards.ask('posts:list', { boardId: free, limit: 100 })).items.map(
      (p) => p.id,
    );
    for (const p of posts) assert.ok(!listed.includes(p.id), `post ${p.id} listed on node B`);
    const threadB = ok(await blockerB.comments.ask('comments:list', { postId: thread.id })).items;
    assert.deepEqual(threadB, []);

    // Unblocking on node B: node A's sockets of the blocker leave the room as well.
    const blockerA = boardsOn(a, blocker);
    ok(await blockerA.ask('whoami'));
    assert.ok(
      inRoom(a, '/boards', hide, blockerA.socket.id),
      'a socket connecting after the block joins the room',
    );
    ok(await blockerB.boards.ask('user:unblock', { blockId: block.id }));
    await until(() => !inRoom(a, '/boards', hide, blockerA.socket.id), 'node A to apply the unblock');
  });

  it('when one user sends from sockets on two nodes, then one budget covers both (Redis counts per user)', async () => {
    const limit = { SOCKET_RATE_LIMIT: '8', SOCKET_RATE_WINDOW: '1m' };
    const [a2, b2] = [await startApp(limit), await startApp(limit)];
    const u = await newUser(a2.url, 'greedy');
    const [onA, onB] = [boardsOn(a2, u), boardsOn(b2, u)];
    for (let i = 0; i < 4; i++) ok(await onA.ask('whoami'));
    for (let i = 0; i < 4; i++) ok(await onB.ask('whoami'));
    refused(await onA.ask('whoami'), 'RATE_LIMITED');
    refused(await onB.ask('whoami'), 'RATE_LIMITED');
    const other = await newUser(b2.url, 'calm');
    ok(await boardsOn(b2, other).ask('whoami'));
  });
});
