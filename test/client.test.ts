import assert from 'node:assert/strict';
import type { PostDto, PushEvent } from '../shared/dto';
import { startApp } from './helpers/app';
import { newUser, socket } from './helpers/clients';
import { until } from './helpers/waiting';

describe('typed client (shared/client.ts)', () => {
  it('when the connection drops and comes back, then the feed resumes with since and every event arrives once, in order', async () => {
    const s = await startApp();
    const [reader, writer] = [await newUser(s.url, 'reader'), await newUser(s.url, 'writer')];
    const boards = await writer.boards.ask('boards:list');
    assert.ok(boards.ok);
    const boardId = boards.data.find((b) => b.name === '취업·진로')!.id;

    const client = socket(s.url, '/boards', {
      token: reader.accessToken,
      socket: { reconnection: true, reconnectionDelay: 600, reconnectionDelayMax: 600 },
    });
    const seen: Array<PushEvent<PostDto>> = [];
    client.onEvent('post:created', (e) => seen.push(e));
    const sub = await client.subscribe('board:subscribe', { boardId });
    assert.equal(sub.ok, true);

    const post = (title: string) => writer.boards.ask('post:create', { boardId, title, content: '본문' });
    assert.equal((await post('before')).ok, true);
    await until(() => seen.length === 1);

    const dropped = new Promise((r) => client.socket.once('disconnect', r));
    client.socket.io.engine.close(); // the network goes away; socket.io-client reconnects by itself
    await dropped;
    for (const title of ['missed 1', 'missed 2', 'missed 3']) assert.equal((await post(title)).ok, true);
    await until(() => seen.length === 4);
    assert.equal((await post('after')).ok, true);
    await until(() => seen.length === 5);

    assert.deepEqual(
      seen.map((e) => e.data.title),
      ['before', 'missed 1', 'missed 2', 'missed 3', 'after'],
    );
    const ids = seen.map((e) => e.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(client.lastIds.get(`board:${boardId}`), ids[ids.length - 1]);
  });

  it('when the server refuses a subscribe outright, then the client does not keep it: a reconnect resubscribes only the granted feeds', async () => {
    const s = await startApp();
    const reader = await newUser(s.url, 'refused');
    const boards = await reader.boards.ask('boards:list');
    assert.ok(boards.ok);
    const boardId = boards.data[0]!.id;
    const client = socket(s.url, '/boards', {
      token: reader.accessToken,
      socket: { reconnection: true, reconnectionDelay: 300, reconnectionDelayMax: 300 },
    });
    assert.equal((await client.subscribe('board:subscribe', { boardId })).ok, true);
    const missing = await client.subscribe('board:subscribe', { boardId: 999_999 });
    assert.equal(missing.ok, false);
    assert.equal(!missing.ok && missing.error.code, 'NOT_FOUND');

    const sent: unknown[][] = [];
    client.socket.onAnyOutgoing((...args: unknown[]) => sent.push(args));
    const back = new Promise((r) => client.socket.io.once('reconnect', r));
    client.socket.io.engine.close();
    await back;
    await until(() => sent.some(([event]) => event === 'board:subscribe'));
    const resubscribed = sent.filter(([event]) => event === 'board:subscribe').map(([, p]) => p);
    assert.deepEqual(
      resubscribed.map((p) => (p as { boardId: number }).boardId),
      [boardId],
    );
  });
});
