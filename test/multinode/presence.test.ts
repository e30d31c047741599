import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../deploy/cluster/checks';
import { QuadNode } from '../../deploy/cluster/node';
import { rooms } from '../../shared/rooms';
import { ok } from '../helpers/acks';
import { startApp } from '../helpers/app';
import { backendEnv } from '../helpers/backend';
import { boardId } from '../helpers/boards';
import { hex, newUsers, socket } from '../helpers/clients';
import { last, presenceOf } from '../helpers/presence';
import { until } from '../helpers/waiting';

const TTL_MS = 3_000;

/**
 * Node A in this process, node B a real `server/main.ts` process (so SIGKILL leaves its readers
 * in Redis, as a crash does), on the same MariaDB and Redis. This file runs only in the
 * MariaDB + Redis pass.
 */
describe('presence on two nodes', function () {
  this.timeout(90_000);

  it('when three users read a post on two nodes, then every reader is told 3 (a user on both nodes counts once); a reader leaving on B is seen on A; when B is killed, A is told 2 within PRESENCE_TTL', async () => {
    const env = {
      PRESENCE_INTERVAL: '300ms',
      PRESENCE_TTL: `${TTL_MS}ms`,
      REDIS_PREFIX: `presence-${hex()}`,
      JWT_SECRET: `presence-test-secret-${hex()}-${hex()}-${hex()}`,
    };
    const a = await startApp(env);
    const output: string[] = [];
    const b = new QuadNode({
      name: 'nodeB',
      port: await freePort(),
      env: {
        ...process.env,
        ...backendEnv(),
        ...env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'quad-presence-')),
        LOG_LEVEL: 'warn',
      },
      log: (line) => output.push(line),
      stopTimeoutMs: 10_000,
    });
    await b.start();
    try {
      const [writer, alice, bob, carol, dave] = await newUsers(a.url, [
        'writer',
        'alice',
        'bob',
        'carol',
        'dave',
      ] as const);
      const board = await boardId(writer.boards, '자유게시판');
      const post = ok(
        await writer.boards.ask('post:create', { boardId: board, title: `함께 ${hex()}`, content: '.' }),
      );
      const room = rooms.post(post.id);
      const onB = (token: string) => socket(b.url, '/comments', { token });
      const [carolB, aliceB, daveB] = [onB(carol.accessToken), onB(alice.accessToken), onB(dave.accessToken)];
      const seenA = [presenceOf(alice.comments, room), presenceOf(bob.comments, room)];
      const seenB = presenceOf(carolB, room);
      const aliceOnB = presenceOf(aliceB, room);
      const subscribe = async (c: typeof carolB) => ok(await c.ask('post:subscribe', { postId: post.id }));

      for (const c of [alice.comments, bob.comments, carolB]) await subscribe(c);
      await until(() => [...seenA, seenB].every((s) => last(s) === 3), 'every reader to be told 3', 10_000);

      // Alice on node B too: still three users.
      await subscribe(aliceB);
      await until(() => last(aliceOnB) === 3, "alice's socket on B to be told 3", 10_000);

      const beforeDave = seenA.map((s) => [...s]);

      // A clean leave on B reaches A's readers within an interval or two, not a TTL.
      await subscribe(daveB);
      await until(() => seenA.every((s) => last(s) === 4), 'A to be told 4', 10_000);
      ok(await daveB.ask('post:unsubscribe', { postId: post.id }));
      await until(() => seenA.every((s) => last(s) === 3), 'A to be told 3 after dave left on B', 10_000);

      const killed = Date.now();
      b.kill('SIGKILL');
      await b.exited();
      // Carol is gone with B; alice still reads on A. Nobody told B anything: her entry lapses.
      await until(() => seenA.every((s) => last(s) === 2), "A's readers to be told 2", TTL_MS + 10_000);
      console.log(
        `      A's readers were told 2 after ${Date.now() - killed} ms (PRESENCE_TTL ${TTL_MS} ms)`,
      );
      assert.ok(
        beforeDave.every((s) => s.every((n) => n <= 3)),
        `alice on two nodes counted once: ${JSON.stringify(beforeDave)}`,
      );
    } catch (err) {
      console.log(output.slice(-20).join('\n'));
      throw err;
    } finally {
      b.kill('SIGKILL');
      await b.exited();
    }
  });
});
