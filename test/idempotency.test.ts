import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { PostDto, PushEvent } from '../shared/dto';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { BACKEND } from './helpers/backend';
import { boardId } from './helpers/boards';
import { newUsers } from './helpers/clients';

type Ackish = { ok: boolean; data?: PostDto; error?: { code: string; fields?: Record<string, string> } };

describe(`idempotent writes: requestId (${BACKEND})`, () => {
  let s: RunningApp;
  before(async () => {
    s = await startApp();
  });

  async function setUp() {
    const [w, r] = await newUsers(s.url, ['idemW', 'idemR'] as const);
    const board = await boardId(w.boards, '자유게시판');
    const created: PushEvent<PostDto>[] = [];
    r.boards.onEvent('post:created', (e) => created.push(e));
    ok(await r.boards.subscribe('board:subscribe', { boardId: board }));
    const send = (payload: object) => w.boards.socket.emitWithAck('post:create', payload) as Promise<Ackish>;
    const count = async (title: string) =>
      ok(await w.boards.ask('posts:list', { boardId: board, q: title, limit: 100 })).items.length;
    return { w, r, board, created, send, count };
  }

  it('when a write is sent again with the same requestId, then the first answer comes back and nothing is written twice', async () => {
    const { w, board, created, send, count } = await setUp();
    const requestId = crypto.randomUUID();
    const title = `idem-${requestId.slice(0, 8)}`;
    const payload = { boardId: board, title, content: '한 번만', requestId };
    const first = await send(payload);
    const again = await send(payload);
    assert.equal(first.ok, true);
    assert.deepEqual(again, first);
    assert.equal(await count(title), 1);
    await w.boards.ask('whoami');
    assert.equal(created.filter((e) => e.data.title === title).length, 1);
  });

  it('when the same requestId is sent twice at once, then both get the one post', async () => {
    const { send, count, board } = await setUp();
    const requestId = crypto.randomUUID();
    const title = `race-${requestId.slice(0, 8)}`;
    const payload = { boardId: board, title, content: '동시에', requestId };
    const [a, b] = await Promise.all([send(payload), send(payload)]);
    assert.equal(a.ok && b.ok, true, JSON.stringify([a, b]));
    assert.equal(a.data!.id, b.data!.id);
    assert.equal(await count(title), 1);
  });

  it('when a requestId is reused for another payload or another command, then CONFLICT and nothing is written', async () => {
    const { w, send, count, board } = await setUp();
    const requestId = crypto.randomUUID();
    const title = `reuse-${requestId.slice(0, 8)}`;
    const post = ok((await send({ boardId: board, title, content: '원래', requestId })) as never) as PostDto;
    const other = await send({ boardId: board, title: `${title}-2`, content: '다른 내용', requestId });
    assert.equal(other.ok, false);
    assert.equal(other.error!.code, 'CONFLICT');
    assert.ok(other.error!.fields?.requestId);
    const like = (await w.boards.socket.emitWithAck('post:like', { postId: post.id, requestId })) as Ackish;
    assert.equal(like.error?.code, 'CONFLICT');
    assert.equal(await count(`${title}-2`), 0);
    // The post was not liked by the refused command.
    assert.equal(ok(await w.boards.ask('post:get', { postId: post.id })).likeCount, 0);
  });

  it('when a requestId is not a UUID, then VALIDATION naming it', async () => {
    const { send, board } = await setUp();
    const res = await send({ boardId: board, title: 't', content: 'c', requestId: 'not-a-uuid' });
    assert.equal(res.ok, false);
    assert.equal(res.error!.code, 'VALIDATION');
    assert.ok(res.error!.fields?.requestId);
  });

  it('when a write fails (refused), then the same requestId may be used again once the input is right', async () => {
    const { send, count, board } = await setUp();
    const requestId = crypto.randomUUID();
    const title = `retry-${requestId.slice(0, 8)}`;
    refused((await send({ boardId: 999_999, title, content: 'x', requestId })) as never, 'NOT_FOUND');
    const res = await send({ boardId: board, title, content: 'x', requestId });
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.equal(await count(title), 1);
  });
});
