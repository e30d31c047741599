import assert from 'node:assert/strict';
import type { ModerationLogDto } from '../shared/dto';
import type { TargetRef } from '../shared/schemas/moderation';
import { Post } from '../server/features/boards/post.model';
import { User } from '../server/features/accounts/user.model';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardId } from './helpers/boards';
import { connectError, hex, newUsers, type TestUser } from './helpers/clients';
import { assertNamesNobody, moderation, recorder, runAdmin, storeRole } from './helpers/sanctions';
import { until, wait } from './helpers/waiting';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('/moderation: suspensions, the log and roles', () => {
  let s: RunningApp;
  let FREE: number;

  const users = <T extends readonly string[]>(...names: T) => newUsers(s.url, names, () => `닉-${hex()}`);
  const write = (u: TestUser) =>
    u.boards.ask('post:create', { boardId: FREE, title: `글 ${hex()}`, content: '내용' });
  /** A post by `poster` and an anonymous comment by `author` under it. */
  async function anonymousComment(poster: TestUser, author: TestUser) {
    const post = ok(await write(poster));
    const comment = ok(
      await author.comments.ask('comment:create', { postId: post.id, content: '욕설', anonymous: true }),
    );
    return { target: { kind: 'comment', id: comment.id } as TargetRef, postId: post.id };
  }
  const logOf = async (admin: ReturnType<typeof moderation>, target: TargetRef) =>
    ok(await admin.ask('log:list', { limit: 100 })).items.filter(
      (e) => e.target?.kind === target.kind && e.target.id === target.id,
    );
  const stored = async (u: TestUser) => (await s.app.db.getRepository(User).findByPk(u.user.id))!;

  before(async () => {
    s = await startApp();
    const [u] = await users('ann');
    FREE = await boardId(u.boards, '자유게시판');
  });

  it('when a user who is not a moderator connects to /moderation, then FORBIDDEN; one demoted while connected gets FORBIDDEN from every sanction command', async () => {
    const [user, mod, poster, author] = await users('plain', 'demoted', 'poster', 'author');
    const refusedConn = await connectError(moderation(s, user));
    assert.equal(refusedConn.data?.code, 'FORBIDDEN');

    await storeRole(s, mod, 'moderator');
    const m = moderation(s, mod);
    assert.equal(ok(await m.ask('whoami')).role, 'moderator');
    const { target } = await anonymousComment(poster, author);
    // In the database only: the socket stays open, and every command reads the role anew.
    await storeRole(s, mod, 'user');
    for (const [command, payload] of [
      ['user:suspend', { target, days: 3, reason: '욕설' }],
      ['user:unsuspend', { target }],
      ['log:list', {}],
      ['role:set', { username: mod.user.username, role: 'admin' }],
    ] as const)
      refused(await m.ask(command, payload as never), 'FORBIDDEN');
    assert.deepEqual([(await stored(author)).suspendedUntil, (await stored(mod)).role], [null, 'user']);
  });

  it('when user:suspend has days 0, 3651 or 1.5, then VALIDATION; a missing post, comment or message, or an author whose account is gone NOT_FOUND; oneself FORBIDDEN', async () => {
    const [mod, poster, author] = await users('vmod', 'vposter', 'vauthor');
    await storeRole(s, mod, 'moderator');
    const m = moderation(s, mod);
    const { target } = await anonymousComment(poster, author);
    for (const days of [0, 3651, 1.5]) {
      const err = refused(await m.ask('user:suspend', { target, days, reason: '욕설' }), 'VALIDATION');
      assert.ok(err.fields?.days, JSON.stringify(err));
    }
    refused(await m.ask('user:suspend', { target, days: 3, reason: '' }), 'VALIDATION');
    for (const missing of [
      { kind: 'comment', id: 2_000_000_000 },
      { kind: 'post', id: 2_000_000_000 },
      { kind: 'message', id: 2_000_000_000 },
    ] as const)
      refused(await m.ask('user:suspend', { target: missing, days: 3, reason: '욕설' }), 'NOT_FOUND');
    const orphan = ok(await write(poster));
    await s.app.db.getRepository(Post).update({ authorId: null }, { where: { id: orphan.id } });
    const gone = { target: { kind: 'post', id: orphan.id }, days: 3, reason: '욕설' } as const;
    refused(await m.ask('user:suspend', gone), 'NOT_FOUND');
    const own = ok(await write(mod));
    refused(
      await m.ask('user:suspend', { target: { kind: 'post', id: own.id }, days: 3, reason: '?' }),
      'FORBIDDEN',
    );
    assert.equal((await stored(author)).suspendedUntil, null);
    assert.equal((await stored(mod)).suspendedUntil, null);
  });

  it('when a moderator made by `npm run admin` suspends the anonymous author of a comment for 3 days, then the author is told, reads but cannot write, and user:unsuspend lifts it; nothing names the author to the moderator or in the log', async () => {
    const [mod, poster, author, admin] = await users('cmod', 'cposter', 'cauthor', 'cadmin');
    const cli = await runAdmin('role', mod.user.username, 'moderator');
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /is now a moderator \(was user\)/);
    const { target, postId } = await anonymousComment(poster, author);
    ok(await author.comments.ask('whoami'));
    ok(await author.boards.ask('whoami'));
    const told = [author.boards.next('account:suspended'), author.comments.next('account:suspended')];

    const m = moderation(s, mod);
    const traffic = recorder(m);
    const asked = Date.now();
    const { until } = ok(await traffic.ack(m.ask('user:suspend', { target, days: 3, reason: '욕설' })));
    assert.ok(Math.abs(Date.parse(until) - (asked + 3 * DAY_MS)) < 60_000, until);
    for (const push of await Promise.all(told)) assert.deepEqual(push, { until, reason: '욕설' });
    assert.equal((await stored(author)).suspendedUntil?.toISOString(), until);

    for (const res of [
      await write(author),
      await author.comments.ask('comment:create', { postId, content: '또' }),
      await author.boards.ask('post:like', { postId }),
    ]) {
      const err = refused(res, 'FORBIDDEN');
      assert.deepEqual([err.reason, err.until], ['SUSPENDED', until]);
    }
    ok(await author.boards.ask('posts:list', { boardId: FREE }));
    ok(await author.boards.ask('post:get', { postId }));
    ok(await author.comments.ask('comments:list', { postId }));
    assert.deepEqual(ok(await author.boards.ask('whoami')).suspension, { until, reason: '욕설' });

    assert.deepEqual(ok(await traffic.ack(m.ask('user:unsuspend', { target }))), { until: null });
    ok(await write(author));
    assert.equal(ok(await author.boards.ask('whoami')).suspension, null);
    assertNamesNobody(traffic.seen, author, "the moderator's traffic");

    await storeRole(s, admin, 'admin');
    const a = moderation(s, admin);
    const entries = await logOf(a, target);
    assert.deepEqual(
      entries.map((e) => [e.action, e.actor.username, e.reason]),
      [
        ['unsuspend', mod.user.username, null],
        ['suspend', mod.user.username, '욕설'],
      ],
    );
    assert.equal(entries[1]!.detail, `3 days, until ${until}`);
    assertNamesNobody(entries, author, 'the log');
    refused(await m.ask('log:list', {}), 'FORBIDDEN');
  });

  it('when an admin sets roles, then role:set answers and logs them, and a demoted moderator leaves /moderation; a moderator, an unknown name or one’s own role are refused', async () => {
    const [admin, mod, other] = await users('radmin', 'rmod', 'rother');
    await storeRole(s, admin, 'admin');
    const a = moderation(s, admin);
    assert.deepEqual(ok(await a.ask('role:set', { username: mod.user.username, role: 'moderator' })), {
      username: mod.user.username,
      role: 'moderator',
    });
    const m = moderation(s, mod);
    assert.equal(ok(await m.ask('whoami')).role, 'moderator');
    refused(await m.ask('role:set', { username: other.user.username, role: 'moderator' }), 'FORBIDDEN');
    refused(await a.ask('role:set', { username: `nobody_${hex()}`, role: 'moderator' }), 'NOT_FOUND');
    refused(await a.ask('role:set', { username: admin.user.username, role: 'user' }), 'FORBIDDEN');
    assert.equal((await stored(other)).role, 'user');

    const dropped = new Promise<string>((resolve) => m.socket.once('disconnect', resolve));
    ok(await a.ask('role:set', { username: mod.user.username, role: 'user' }));
    assert.equal(await dropped, 'io server disconnect');
    assert.equal((await connectError(moderation(s, mod))).data?.code, 'FORBIDDEN');
    assert.equal(ok(await mod.boards.ask('whoami')).role, 'user');

    const roles = ok(await a.ask('log:list', { limit: 100 })).items.filter(
      (e): e is ModerationLogDto =>
        e.action === 'role' && e.detail?.startsWith(`${mod.user.username}:`) === true,
    );
    assert.deepEqual(
      roles.map((e) => [e.actor.username, e.detail, e.target]),
      [
        [admin.user.username, `${mod.user.username}: moderator → user`, null],
        [admin.user.username, `${mod.user.username}: user → moderator`, null],
      ],
    );
  });

  it('when a suspension runs out, then the account writes again by itself', async () => {
    const [author] = await users('expiring');
    const ends = new Date(Date.now() + 1_000);
    // Straight in the database, before the author connects: their first handshake reads it.
    await s.app.db
      .getRepository(User)
      .update({ suspendedUntil: ends, suspendReason: '잠깐' }, { where: { id: author.user.id } });
    const err = refused(await write(author), 'FORBIDDEN');
    assert.deepEqual([err.reason, err.until], ['SUSPENDED', ends.toISOString()]);
    await until(() => Date.now() > ends.getTime(), 'the end of the suspension');
    await wait(20);
    ok(await write(author));
  });

  it('when `npm run admin` gets bad arguments, then usage and exit 2; an unknown user exits 1; unsuspend lifts a suspension by name', async () => {
    const bad = await Promise.all([
      runAdmin(),
      runAdmin('role', 'someone'),
      runAdmin('role', 'someone', 'superuser'),
      runAdmin('frobnicate', 'someone'),
    ]);
    for (const res of bad) {
      assert.equal(res.code, 2, res.stdout + res.stderr);
      assert.match(res.stderr, /Usage: npm run admin -- role <username> user\|moderator\|admin/);
    }
    assert.match(bad[2]!.stderr, /role: /);
    assert.match(bad[3]!.stderr, /unknown command: frobnicate/);
    const help = await runAdmin('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage/);
    const unknown = await runAdmin('role', `nobody_${hex()}`, 'moderator');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No user named nobody_/);

    const [held] = await users('held');
    await s.app.db
      .getRepository(User)
      .update(
        { suspendedUntil: new Date(Date.now() + DAY_MS), suspendReason: '?' },
        { where: { id: held.user.id } },
      );
    const lifted = await runAdmin('unsuspend', held.user.username);
    assert.equal(lifted.code, 0, lifted.stderr);
    assert.match(lifted.stdout, /is no longer suspended/);
    assert.equal((await stored(held)).suspendedUntil, null);
    ok(await write(held));
  });
});
