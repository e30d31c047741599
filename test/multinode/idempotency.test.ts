import assert from 'node:assert/strict';
import net from 'node:net';
import type { PostDto, PushEvent } from '../../shared/dto';
import { ok } from '../helpers/acks';
import { startApp } from '../helpers/app';
import { boardId } from '../helpers/boards';
import { newUsers, socket } from '../helpers/clients';
import { wait } from '../helpers/waiting';

/**
 * A TCP proxy to node A that, the first time an ack (`43/boards,…`) comes back, drops the
 * connection without forwarding it: the server has committed, the client never hears. From
 * then on it connects to node B.
 */
async function cutOnFirstAck(a: number, b: number) {
  const state = { cut: false, connections: [] as number[] };
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    const port = state.cut ? b : a;
    state.connections.push(port);
    const upstream = net.connect(port, '127.0.0.1');
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (!state.cut && port === a && chunk.toString('latin1').includes('43/boards,')) {
        state.cut = true;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const c of open) c.destroy();
        server.close(() => r());
      }),
  };
}

describe('idempotent writes across nodes', () => {
  it('when a post:create commits on node A but its ack is lost, then the typed client sends it again on node B with the same requestId and there is one post and one event', async () => {
    const [a, b] = [await startApp(), await startApp()];
    const proxy = await cutOnFirstAck(a.port, b.port);
    try {
      const [writer, reader] = await newUsers(b.url, ['idemAW', 'idemAR'] as const);
      const board = await boardId(reader.boards, '자유게시판');
      const created: PushEvent<PostDto>[] = [];
      reader.boards.onEvent('post:created', (e) => created.push(e));
      ok(await reader.boards.subscribe('board:subscribe', { boardId: board }));

      const client = socket(proxy.url, '/boards', {
        token: writer.accessToken,
        timeoutMs: 15_000,
        socket: { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 300 },
      });
      await client.connected();
      const title = `lost-ack-${Date.now()}`;
      const post = ok(await client.ask('post:create', { boardId: board, title, content: '한 번만' }));
      assert.equal(proxy.state.cut, true, 'the first ack was not cut');
      assert.deepEqual(proxy.state.connections.slice(-1), [b.port], 'the retry did not go to node B');
      assert.equal(post.title, title);

      const list = ok(await reader.boards.ask('posts:list', { boardId: board, q: title, limit: 10 }));
      assert.deepEqual(
        list.items.map((p) => p.id),
        [post.id],
      );
      await wait(300);
      assert.deepEqual(
        created.filter((e) => e.data.title === title).map((e) => e.data.id),
        [post.id],
      );
      client.close();
    } finally {
      await proxy.close();
    }
  });
});
