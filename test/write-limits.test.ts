import assert from 'node:assert/strict';
import { ok, refused } from './helpers/acks';
import { startApp } from './helpers/app';
import { boardsByName } from './helpers/boards';
import { hex, newUser, socket, type TestUser } from './helpers/clients';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('limits per user, not per socket', () => {
  it('when one user sends from two sockets, then both draw on one budget (more sockets buy no more); another user still has theirs', async () => {
    const s = await startApp({ SOCKET_RATE_LIMIT: '10', SOCKET_RATE_WINDOW: '1m' });
    const [u, other] = [await newUser(s.url, 'greedy'), await newUser(s.url, 'calm')];
    const one = socket(s.url, '/boards', { token: u.accessToken });
    const two = socket(s.url, '/comments', { token: u.accessToken });
    const three = socket(s.url, '/boards', { token: u.accessToken });
    for (let i = 0; i < 4; i++) ok(await one.ask('whoami'));
    for (let i = 0; i < 3; i++) ok(await two.ask('whoami'));
    for (let i = 0; i < 3; i++) ok(await three.ask('whoami'));
    for (const res of [await one.ask('whoami'), await two.ask('whoami'), await three.ask('whoami')]) {
      const error = refused(res, 'RATE_LIMITED');
      assert.ok(error.retryAfter !== undefined && error.retryAfter > 0, JSON.stringify(error));
    }
    ok(await other.boards.ask('whoami'));
  });

  it('when COMMENT_COOLDOWN is set and a user comments twice, even on two posts, then the second is RATE_LIMITED with retryAfter; others still comment', async () => {
    const s = await startApp({ COMMENT_COOLDOWN: '1m' });
    const [u, other] = [await newUser(s.url, 'chatty'), await newUser(s.url, 'quiet')];
    const free = (await boardsByName(u.boards)).get('자유게시판')!.id;
    const [a, b] = [
      ok(await other.boards.ask('post:create', { boardId: free, title: `글 ${hex()}`, content: '.' })),
      ok(await other.boards.ask('post:create', { boardId: free, title: `글 ${hex()}`, content: '.' })),
    ];
    ok(await u.comments.ask('comment:create', { postId: a.id, content: '첫 댓글' }));
    const content = `too soon ${hex()}`;
    const error = refused(await u.comments.ask('comment:create', { postId: b.id, content }), 'RATE_LIMITED');
    assert.ok(
      error.retryAfter !== undefined && error.retryAfter > 0 && error.retryAfter <= 60,
      String(error.retryAfter),
    );
    const thread = ok(await other.comments.ask('comments:list', { postId: b.id })).items;
    assert.equal(thread.length, 0);
    ok(await other.comments.ask('comment:create', { postId: b.id, content: '나는 돼' }));
  });

  describe('with NEW_ACCOUNT_DAYS=3', () => {
    /** A user whose account was made `days` ago (set before their first socket connects). */
    async function userAged(
      url: string,
      db: { query: (sql: string, o: object) => Promise<unknown> },
      days: number,
    ) {
      const u = await newUser(url, 'aged');
      await db.query('UPDATE users SET createdAt = :at WHERE id = :id', {
        replacements: { at: new Date(Date.now() - days * DAY_MS), id: u.user.id },
      });
      return u;
    }

    it('when a new account writes a post or a comment on 홍보게시판 (restricted), then FORBIDDEN NEW_ACCOUNT with when it may; elsewhere, and for an older account, it works', async () => {
      const s = await startApp({ NEW_ACCOUNT_DAYS: '3' });
      const fresh: TestUser = await newUser(s.url, 'fresh');
      const old = await userAged(s.url, s.app.db, 4);
      const boards = await boardsByName(fresh.boards);
      const promo = boards.get('홍보게시판')!.id;
      const free = boards.get('자유게시판')!.id;

      const title = `동아리 홍보 ${hex()}`;
      const error = refused(
        await fresh.boards.ask('post:create', { boardId: promo, title, content: '.' }),
        'FORBIDDEN',
      );
      assert.equal(error.reason, 'NEW_ACCOUNT');
      const until = Date.parse(error.until!);
      const made = Date.parse(fresh.user.createdAt);
      assert.ok(
        Math.abs(until - (made + 3 * DAY_MS)) < 5_000,
        `${error.until} is 3 days after ${fresh.user.createdAt}`,
      );
      const listed = ok(await old.boards.ask('posts:list', { boardId: promo, q: title })).items;
      assert.equal(listed.length, 0);

      const ad = ok(
        await old.boards.ask('post:create', { boardId: promo, title: `홍보 ${hex()}`, content: '.' }),
      );
      const comment = refused(
        await fresh.comments.ask('comment:create', { postId: ad.id, content: '저도요' }),
        'FORBIDDEN',
      );
      assert.equal(comment.reason, 'NEW_ACCOUNT');
      ok(await old.comments.ask('comment:create', { postId: ad.id, content: '좋아요' }));

      const elsewhere = ok(
        await fresh.boards.ask('post:create', { boardId: free, title: '안녕', content: '.' }),
      );
      ok(await fresh.comments.ask('comment:create', { postId: elsewhere.id, content: '.' }));
    });
  });
});
