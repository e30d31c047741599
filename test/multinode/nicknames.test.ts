import assert from 'node:assert/strict';
import type { PostDto } from '../../shared/dto';
import { ok } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { boardsByName } from '../helpers/boards';
import { hex, newUser, socket } from '../helpers/clients';
import { until } from '../helpers/waiting';

/** Two Quad nodes sharing MariaDB and Redis (this file runs only in the MariaDB + Redis pass). */
describe('nickname changes on two nodes', () => {
  let a: RunningApp;
  let b: RunningApp;
  before(async () => {
    a = await startApp();
    b = await startApp();
    assert.ok(a.config.REDIS_URL, 'this pass must run with Redis');
  });

  it('when a user changes the nickname on node A, then their sockets on node B take it without reconnecting, and what they write there carries it', async () => {
    const u = await newUser(a.url);
    const onB = socket(b.url, '/boards', { token: u.accessToken });
    const commentsOnB = socket(b.url, '/comments', { token: u.accessToken });
    assert.equal(ok(await onB.ask('whoami')).nickname, u.user.nickname);
    assert.equal(ok(await commentsOnB.ask('whoami')).nickname, u.user.nickname);
    const free = (await boardsByName(onB)).get('자유게시판')!.id;

    const next = `nb${hex()}`;
    const started = performance.now();
    const told = [onB.next('account:renamed'), commentsOnB.next('account:renamed')];
    const done = ok(await u.boards.ask('account:nickname', { nickname: next }));
    // Every socket of theirs on node B is told, with what the change answered.
    assert.deepEqual(await Promise.all(told), [done, done]);
    await until(async () => ok(await onB.ask('whoami')).nickname === next, 'node B sees the new nickname');
    console.log(
      `      node B's socket renamed ${(performance.now() - started).toFixed(1)} ms after the change`,
    );
    await until(async () => ok(await commentsOnB.ask('whoami')).nickname === next, '/comments on B too');

    const written: PostDto = ok(
      await onB.ask('post:create', { boardId: free, title: `B에서 ${hex()}`, content: '내용' }),
    );
    assert.equal(written.authorName, next);
    const reply = ok(await commentsOnB.ask('comment:create', { postId: written.id, content: '댓글' }));
    assert.equal(reply.authorName, next);
    assert.equal(ok(await u.boards.ask('post:get', { postId: written.id })).authorName, next);
  });
});
