import assert from 'node:assert/strict';
import type { ConnectionState } from '../../shared/client';
import type { PostDto, PushEvent } from '../../shared/dto';
import { ok } from '../helpers/acks';
import { startApp } from '../helpers/app';
import { balancer } from '../helpers/balancer';
import { boardId } from '../helpers/boards';
import { newUsers, socket } from '../helpers/clients';
import { until, wait } from '../helpers/waiting';

/** Two nodes behind a load balancer (this file runs only in the MariaDB + Redis pass). */
describe('typed client failover', () => {
  it('when node A drains, then a typed client on A reconnects to B through the load balancer, gets a post made during the switch exactly once, and every command it sent meanwhile succeeds', async () => {
    const [a, b] = [
      await startApp({ SOCKET_RATE_LIMIT: '100000' }),
      await startApp({ SOCKET_RATE_LIMIT: '100000' }),
    ];
    const lb = await balancer([a.url, b.url]);
    try {
      const [reader, writer] = await newUsers(b.url, ['reader', 'writer'] as const);
      const board = await boardId(writer.boards, '자유게시판'); // the writer is on B directly
      const client = socket(lb.url, '/boards', {
        token: reader.accessToken,
        timeoutMs: 10_000,
        socket: { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 500 },
      });
      await client.connected();
      assert.deepEqual(lb.upgrades, [a.url], 'the load balancer sends the client to A first');
      const states: ConnectionState[] = [];
      client.onState((state) => states.push(state));
      const seen: Array<PushEvent<PostDto>> = [];
      client.onEvent('post:created', (e) => seen.push(e));
      ok(await client.subscribe('board:subscribe', { boardId: board }));
      const drainsOnB: unknown[] = [];
      writer.boards.on('server:draining', (p) => drainsOnB.push(p));

      const post = (c: typeof client, title: string) =>
        c.ask('post:create', { boardId: board, title, content: '페일오버' });
      ok(await post(writer.boards, 'before'));
      await until(() => seen.length === 1, 'the first post');

      // Commands on their way to A as it starts draining, then more while the client switches.
      const asks = [post(client, 'sent 0'), post(client, 'sent 1')];
      const draining = client.next('server:draining');
      const stopping = a.stop();
      await draining;
      const during = post(writer.boards, 'during');
      for (let i = 2; i < 14; i++) {
        asks.push(post(client, `sent ${i}`));
        await wait(100);
      }
      await stopping;
      for (const res of await Promise.all(asks)) ok(res);
      ok(await during);
      await until(() => client.state === 'live', 'the client to be live again');
      assert.deepEqual(lb.upgrades, [a.url, b.url], 'the reconnect went to B');
      ok(await post(writer.boards, 'after'));

      const titles = ['before', 'during', 'after', ...asks.map((_, i) => `sent ${i}`)];
      await until(() => seen.length >= titles.length, 'every post');
      await wait(200); // a duplicate would arrive by now
      assert.deepEqual(seen.map((e) => e.data.title).sort(), titles.sort());
      const ids = seen.map((e) => e.id);
      assert.equal(new Set(ids).size, ids.length, 'each event once');
      assert.deepEqual(states.slice(0, 3), ['reconnecting', 'catching-up', 'live']);
      assert.deepEqual(drainsOnB, [], "A's drain is not pushed to B's sockets");
    } finally {
      await lb.close();
    }
  });
});
