import assert from 'node:assert/strict';
import type { NicknameDto, PostDto, UserDto } from '../shared/dto';
import type { ErrorWire } from '../shared/errors';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardsByName } from './helpers/boards';
import { hex, http, newUser, newUsers, PASSWORD, uniqueName, type TestUser } from './helpers/clients';

/** A fresh ASCII nickname of 10 characters, e.g. `mj3fa09c1b`. */
const latin = (base = 'mj') => `${base}${hex()}`;
/** The same text in full-width forms (U+FF01…U+FF5E): NFKC folds them back. */
const fullWidth = (s: string) =>
  [...s].map((c) => String.fromCodePoint((c.codePointAt(0) ?? 0) + 0xfee0)).join('');

describe('nicknames (account:nickname)', () => {
  let s: RunningApp;
  let FREE: number;

  const signup = (nickname: string) =>
    http<{ user: UserDto; error: ErrorWire }>(s.url, 'POST', '/api/auth/signup', {
      json: { username: uniqueName('nick'), password: PASSWORD, nickname },
    });
  const rename = (u: TestUser, nickname: string) => u.boards.ask('account:nickname', { nickname });

  before(async () => {
    s = await startApp(); // NICKNAME_CHANGE_DAYS: the default, 30
    const u = await newUser(s.url);
    FREE = (await boardsByName(u.boards)).get('자유게시판')!.id;
  });

  it('when a nickname is taken in another width or case, then the change is CONFLICT on the nickname field and nothing changes', async () => {
    const taken = latin('Mj');
    const [holder, other] = await newUsers(s.url, ['holder', 'other'] as const, (_, i) =>
      i === 0 ? taken : latin(),
    );
    assert.equal(holder.user.nickname, taken);
    for (const variant of [
      taken.toLowerCase(),
      taken.toUpperCase(),
      fullWidth(taken),
      fullWidth(taken.toUpperCase()),
    ]) {
      const err = refused(await rename(other, variant), 'CONFLICT');
      assert.equal(err.fields?.nickname, 'is taken', variant);
    }
    const me = ok(await other.boards.ask('whoami'));
    assert.equal(me.nickname, other.user.nickname);
    // The refused tries did not start the wait: a free nickname is taken at once.
    ok(await rename(other, latin()));
  });

  it('when signing up with a nickname taken in another width or case, then 409 CONFLICT on the nickname field', async () => {
    const taken = latin('Ab');
    assert.equal((await signup(taken)).status, 201);
    for (const variant of [taken.toLowerCase(), fullWidth(taken)]) {
      const res = await signup(variant);
      assert.equal(res.status, 409, variant);
      assert.equal(res.body.error.code, 'CONFLICT');
      assert.equal(res.body.error.fields?.nickname, 'is taken');
    }
    // "Ｍｉｎｊｉ" and "minji" are one name, whichever comes first.
    const wide = fullWidth(latin('Mn'));
    assert.equal((await signup(wide)).status, 201);
    assert.equal((await signup(wide.normalize('NFKC').toLowerCase())).status, 409);
  });

  it('when a nickname is too long or too short, then VALIDATION on the nickname field (code points counted)', async () => {
    const u = await newUser(s.url);
    for (const bad of ['가', ' 가 ', `${'가'.repeat(10)}a`, '🐣'.repeat(11), '', 'a\u0000b']) {
      const err = refused(await rename(u, bad), 'VALIDATION');
      assert.ok(err.fields?.nickname, JSON.stringify(bad));
    }
    refused(await u.boards.ask('account:nickname', { nickname: latin(), extra: 1 } as never), 'VALIDATION');
    // Ten emoji or Hangul syllables are ten characters: allowed.
    const ten = `🐣${[...hex()].map((d) => String.fromCharCode(0xac00 + parseInt(d, 16))).join('')}🐣`;
    assert.equal(ok(await rename(u, ten)).nickname, ten);
  });

  it('when the nickname changed less than NICKNAME_CHANGE_DAYS ago, then RATE_LIMITED with retryAfter and until; the same nickname again is no change', async () => {
    const u = await newUser(s.url);
    const first = latin();
    const done: NicknameDto = ok(await rename(u, first));
    const days30 = 30 * 86_400_000;
    const wait = Date.parse(done.changeableAt) - Date.now();
    assert.ok(wait > days30 - 60_000 && wait <= days30, done.changeableAt);
    const err = refused(await rename(u, latin()), 'RATE_LIMITED');
    assert.ok(err.retryAfter! > 30 * 86_400 - 60 && err.retryAfter! <= 30 * 86_400, String(err.retryAfter));
    assert.equal(Date.parse(err.until!), Date.parse(done.changeableAt));
    console.log(`      retryAfter ${err.retryAfter}s, until ${err.until}`);
    // Unchanged: still `first`, and asking for it again is answered without a new wait.
    assert.equal(ok(await rename(u, first)).changeableAt, done.changeableAt);
    assert.equal(ok(await u.boards.ask('whoami')).nickname, first);
  });

  it('when NICKNAME_CHANGE_DAYS is 0, then a nickname may change again at once', async () => {
    const app = await startApp({ NICKNAME_CHANGE_DAYS: '0' });
    try {
      const u = await newUser(app.url);
      ok(await rename(u, latin()));
      const again = latin();
      assert.equal(ok(await rename(u, again)).nickname, again);
    } finally {
      await app.stop();
    }
  });

  it("when a user changes the nickname, then their named posts and comments show it, anonymous ones do not, and the same socket's next post carries it", async () => {
    const [author, reader] = await newUsers(s.url, ['author', 'reader'] as const);
    const old = author.user.nickname;
    const named: PostDto = ok(
      await author.boards.ask('post:create', { boardId: FREE, title: `이름 ${hex()}`, content: '내용' }),
    );
    const anon: PostDto = ok(
      await author.boards.ask('post:create', {
        boardId: FREE,
        title: `익명 ${hex()}`,
        content: '내용',
        anonymous: true,
      }),
    );
    const c1 = ok(await author.comments.ask('comment:create', { postId: named.id, content: '이름 댓글' }));
    const c2 = ok(
      await author.comments.ask('comment:create', {
        postId: named.id,
        content: '익명 댓글',
        anonymous: true,
      }),
    );
    assert.equal(named.authorName, old);
    assert.equal(c1.authorName, old);

    const next = latin('nw');
    ok(await rename(author, next));

    const seen = ok(await reader.boards.ask('post:get', { postId: named.id }));
    assert.equal(seen.authorName, next);
    const anonSeen = ok(await reader.boards.ask('post:get', { postId: anon.id }));
    assert.equal(anonSeen.authorName, '익명');
    assert.equal(anonSeen.authorId, null);
    const thread = ok(await reader.comments.ask('comments:list', { postId: named.id })).items;
    assert.equal(thread.find((c) => c.id === c1.id)?.authorName, next);
    const anonComment = thread.find((c) => c.id === c2.id)!;
    assert.equal(anonComment.authorName, '익명(글쓴이)');
    assert.equal(anonComment.authorId, null);
    assert.ok(!JSON.stringify([anonSeen, anonComment]).includes(next), 'the anonymous ones name nobody');

    // The sockets opened before the change write with the new nickname (no reconnect).
    const later: PostDto = ok(
      await author.boards.ask('post:create', { boardId: FREE, title: `나중 ${hex()}`, content: '내용' }),
    );
    assert.equal(later.authorName, next);
    const reply = ok(await author.comments.ask('comment:create', { postId: named.id, content: '새 이름' }));
    assert.equal(reply.authorName, next);
    assert.equal(ok(await author.timetables.ask('whoami')).nickname, next);
    const me = await http<{ user: UserDto }>(s.url, 'GET', '/api/auth/me', { token: author.accessToken });
    assert.equal(me.body.user.nickname, next);
  });

  it('when the nickname is changed over REST, then the same rules answer with HTTP statuses (409, 400, 429 with Retry-After)', async () => {
    const [u, holder] = await newUsers(s.url, ['rest', 'holder'] as const);
    const change = (nickname: unknown) =>
      http<NicknameDto & { error: ErrorWire }>(s.url, 'POST', '/api/account/nickname', {
        json: { nickname },
        token: u.accessToken,
      });
    // Full-width, as a phone keyboard may type it: stored as typed, compared folded.
    const first = await change(fullWidth(holder.user.nickname.replace('닉', 'nk')));
    assert.equal(first.status, 200, 'a different nickname (닉 → nk) is free');
    const again = await change(latin());
    assert.equal(again.status, 429);
    assert.ok(Number(again.headers.get('retry-after')) > 29 * 86_400);
    assert.equal((await change('가')).status, 400);
    const other = await newUser(s.url);
    const clash = await http<{ error: ErrorWire }>(s.url, 'POST', '/api/account/nickname', {
      json: { nickname: first.body.nickname.normalize('NFKC').toUpperCase() },
      token: other.accessToken,
    });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.fields?.nickname, 'is taken');
    assert.equal(
      (await http(s.url, 'POST', '/api/account/nickname', { json: { nickname: latin() } })).status,
      401,
    );
  });

  it('when two users race for one nickname (in different case), then exactly one gets it', async () => {
    const [a, b] = await newUsers(s.url, ['race1', 'race2'] as const);
    const wanted = latin('Rc');
    const [ra, rb] = await Promise.all([rename(a, wanted), rename(b, wanted.toUpperCase())]);
    assert.equal([ra, rb].filter((r) => r.ok).length, 1, JSON.stringify([ra, rb]));
    const loser = ra.ok ? rb : ra;
    refused(loser, 'CONFLICT');
  });
});
