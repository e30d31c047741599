import assert from 'node:assert/strict';
import { rooms } from '../shared/rooms';
import { ConfigError, loadConfig } from '../server/core/config';
import { ok } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { backendEnv } from './helpers/backend';
import { boardsByName } from './helpers/boards';
import { hex, newUsers, socket } from './helpers/clients';
import { last, presenceOf } from './helpers/presence';
import { flush } from './helpers/pushes';
import { until } from './helpers/waiting';

/** "N명이 보고 있어요" on one node (docs/protocol.md §6, "Presence"). */
describe('presence', () => {
  let s: RunningApp;
  before(async () => {
    // A prefix of its own: on MariaDB + Redis no other app's readers share these rooms' keys.
    s = await startApp({ PRESENCE_INTERVAL: '200ms', PRESENCE_TTL: '1s', REDIS_PREFIX: `presence-${hex()}` });
  });
  after(() => s.stop());

  it('when two users read a post, one of them on two sockets, then every socket is told 2 (users, not sockets), and when one user unsubscribes the other is told 1', async () => {
    const [writer, alice, bob] = await newUsers(s.url, ['writer', 'alice', 'bob'] as const);
    const board = (await boardsByName(writer.boards)).get('자유게시판')!.id;
    const post = ok(
      await writer.boards.ask('post:create', { boardId: board, title: `읽기 ${hex()}`, content: '.' }),
    );
    const room = rooms.post(post.id);
    const aliceTab = socket(s.url, '/comments', { token: alice.accessToken });
    const first = presenceOf(alice.comments, room);
    const tab = presenceOf(aliceTab, room);
    const second = presenceOf(bob.comments, room);

    ok(await alice.comments.ask('post:subscribe', { postId: post.id }));
    ok(await aliceTab.ask('post:subscribe', { postId: post.id }));
    // A new reader is told the count right after its ack, without waiting for a change.
    const told = bob.comments.next('presence:changed');
    ok(await bob.comments.ask('post:subscribe', { postId: post.id }));
    assert.deepEqual(await told, { room, count: 2 });
    await until(() => [first, tab, second].every((c) => last(c) === 2), 'every socket to be told 2');

    ok(await aliceTab.ask('post:unsubscribe', { postId: post.id }));
    ok(await bob.comments.ask('post:unsubscribe', { postId: post.id }));
    await until(() => last(first) === 1, 'alice to be told 1');
    assert.ok(
      [first, tab, second].every((c) => c.every((n) => n <= 2)),
      `never 3: ${JSON.stringify([first, tab, second])}`,
    );
  });

  it('when two users read a board, then each is told 2, and when one disconnects the other is told 1', async () => {
    const [alice, bob] = await newUsers(s.url, ['alice', 'bob'] as const);
    const boards = [...(await boardsByName(alice.boards)).values()];
    const board = boards[boards.length - 1]!.id;
    const room = rooms.board(board);
    const a = presenceOf(alice.boards, room);
    const b = presenceOf(bob.boards, room);
    ok(await alice.boards.ask('board:subscribe', { boardId: board }));
    ok(await bob.boards.ask('board:subscribe', { boardId: board }));
    await until(() => last(a) === 2 && last(b) === 2, 'both to be told 2');

    bob.boards.close();
    await until(() => last(a) === 1, 'alice to be told 1 after bob left');
  });

  it('when a post has readers and a board has others, then each room counts its own', async () => {
    const [alice, bob] = await newUsers(s.url, ['alice', 'bob'] as const);
    const board = (await boardsByName(alice.boards)).get('자유게시판')!.id;
    const post = ok(
      await alice.boards.ask('post:create', { boardId: board, title: `방 ${hex()}`, content: '.' }),
    );
    const thread = presenceOf(alice.comments, rooms.post(post.id));
    ok(await alice.comments.ask('post:subscribe', { postId: post.id }));
    ok(await bob.boards.ask('board:subscribe', { boardId: board }));
    await until(() => last(thread) === 1, 'alice to be told 1');
    await flush(alice.comments);
    assert.ok(
      thread.every((n) => n === 1),
      `a board's reader is not a post's: ${JSON.stringify(thread)}`,
    );
  });
});

describe('presence off', () => {
  it('when PRESENCE_INTERVAL is off, then subscribers are told nothing', async () => {
    const s = await startApp({ PRESENCE_INTERVAL: 'off' });
    const [alice, bob] = await newUsers(s.url, ['alice', 'bob'] as const);
    const board = (await boardsByName(alice.boards)).get('자유게시판')!.id;
    const post = ok(
      await alice.boards.ask('post:create', { boardId: board, title: `끔 ${hex()}`, content: '.' }),
    );
    const heard: unknown[] = [];
    for (const c of [alice.comments, bob.comments, alice.boards])
      c.socket.on('presence:changed', (p: unknown) => heard.push(p));
    ok(await alice.comments.ask('post:subscribe', { postId: post.id }));
    ok(await bob.comments.ask('post:subscribe', { postId: post.id }));
    ok(await alice.boards.ask('board:subscribe', { boardId: board }));
    // A count would follow each ack at once: a round trip later it would be here.
    await Promise.all([flush(alice.comments), flush(bob.comments), flush(alice.boards)]);
    assert.deepEqual(heard, []);
  });

  it('when PRESENCE_TTL is under twice PRESENCE_INTERVAL, then the configuration is refused', () => {
    const env = { ...backendEnv(), NODE_ENV: 'test' };
    assert.throws(
      () => loadConfig({ ...env, PRESENCE_INTERVAL: '2s', PRESENCE_TTL: '3s' }),
      (err: unknown) => err instanceof ConfigError && /PRESENCE_TTL/.test(err.message),
    );
    assert.equal(loadConfig({ ...env, PRESENCE_INTERVAL: 'off', PRESENCE_TTL: '1s' }).PRESENCE_INTERVAL, 0);
    const defaults = loadConfig(env);
    assert.deepEqual([defaults.PRESENCE_INTERVAL, defaults.PRESENCE_TTL], [2_000, 30_000]);
  });
});
