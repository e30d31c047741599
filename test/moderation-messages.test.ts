import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { ModerationCaseDto } from '../shared/dto';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { boardId } from './helpers/boards';
import { hex, http, newUsers, type TestUser } from './helpers/clients';
import { traces } from './helpers/forgotten';
import { promote, report } from './helpers/moderation';
import { assertNamesNobody, moderation, recorder } from './helpers/sanctions';

/** 쪽지 in moderation: reporting a message, the queue's view of it, removal, restore and suspension. */
describe('moderation of 쪽지 (messages)', () => {
  let s: RunningApp;
  let free: number;

  const users = <T extends readonly string[]>(...names: T) => newUsers(s.url, names, () => `닉-${hex()}`);
  const count = async (sql: string, replacements: Record<string, unknown>): Promise<number> => {
    const [row] = await s.app.db.query<{ n: number }>(sql, { replacements, type: QueryTypes.SELECT });
    return Number(row?.n);
  };
  const moderator = async () => {
    const [mod] = await users('mod');
    await promote(s, mod);
    return mod;
  };
  const send = (u: TestUser, conversationId: number, content: string) =>
    u.messages.ask('message:send', { conversationId, content });
  const contents = async (u: TestUser, conversationId: number) =>
    ok(await u.messages.ask('messages:list', { conversationId })).items.map((m) => m.content);
  const lastOf = async (u: TestUser, conversationId: number) =>
    ok(await u.messages.ask('conversations:list', {})).items.find((c) => c.id === conversationId)?.lastMessage
      ?.content;
  const caseOf = (page: { items: ModerationCaseDto[] }, id: number) =>
    page.items.find((c) => c.target.kind === 'message' && c.target.id === id);

  /**
   * `asker` writes to the author of a post (anonymous unless `named`) and the author answers:
   * the author's message is the one to report.
   */
  async function conversation(author: TestUser, asker: TestUser, named = false) {
    const post = ok(
      await author.boards.ask('post:create', {
        boardId: free,
        title: `쪽지 신고 ${hex()}`,
        content: '…',
        anonymous: !named,
      }),
    );
    const conv = ok(await asker.messages.ask('conversation:open', { from: { kind: 'post', id: post.id } }));
    ok(await send(asker, conv.id, '안녕하세요'));
    const answer = ok(await send(author, conv.id, '꺼져 ㅋㅋ'));
    return { post, conv, message: answer, target: { kind: 'message', id: answer.id } as const };
  }

  before(async () => {
    s = await startApp({ REPORT_HIDE_THRESHOLD: '1' });
    const [u] = await users('setup');
    free = await boardId(u.boards, '자유게시판');
  });

  it('when a member reports a message of an anonymous conversation, then the queue shows it with the sender’s alias, and nothing the moderator receives names the sender or the reporter', async () => {
    const [author, asker] = await users('author', 'asker');
    const mod = await moderator();
    const queue = moderation(s, mod);
    const traffic = recorder(queue);
    ok(await traffic.ack(queue.ask('queue:subscribe', {})));
    const { post, conv, message, target } = await conversation(author, asker);

    const pushed = queue.next('report:created');
    const dto = ok(await report(asker.boards, target, 'abuse', '욕설 쪽지'));
    assert.deepEqual({ ...dto, createdAt: '' }, { target, reason: 'abuse', createdAt: '' });
    const expected = {
      kind: 'message',
      id: message.id,
      boardId: null,
      postId: post.id,
      title: post.title,
      content: '꺼져 ㅋㅋ',
      authorName: '익명(글쓴이)',
      anonymous: true,
      createdAt: message.createdAt,
    };
    const live = (await pushed).data;
    assert.deepEqual(live.target, expected);
    // REPORT_HIDE_THRESHOLD is 1 here: a message is never hidden by reports, only removed.
    assert.deepEqual(
      [live.status, live.reportCount, live.reasons, live.hidden],
      ['open', 1, { abuse: 1 }, null],
    );
    const listed = caseOf(ok(await traffic.ack(queue.ask('queue:list', { status: 'open' }))), message.id)!;
    assert.deepEqual(listed.target, expected);
    assert.deepEqual(
      await contents(asker, conv.id),
      ['꺼져 ㅋㅋ', '안녕하세요'],
      'still shown until removed',
    );

    assertNamesNobody(traffic.seen, author, "the moderator's traffic");
    assertNamesNobody(traffic.seen, asker, "the moderator's traffic");
  });

  it('when someone outside the conversation, the sender, or a member twice reports a message, then NOT_FOUND (as for a missing one), FORBIDDEN and CONFLICT; a withheld or removed one is NOT_FOUND', async () => {
    const [author, asker, outsider] = await users('author', 'asker', 'outsider');
    const mod = await moderator();
    const { conv, target } = await conversation(author, asker);

    const missing = { kind: 'message', id: 2_000_000_000 } as const;
    const none = refused(await report(outsider.boards, missing), 'NOT_FOUND');
    const notMine = refused(await report(outsider.boards, target), 'NOT_FOUND');
    assert.equal(
      notMine.message.replace(String(target.id), '#'),
      none.message.replace(String(missing.id), '#'),
    );
    refused(await report(mod.boards, target), 'NOT_FOUND'); // staff outside it neither
    refused(await report(author.comments, target), 'FORBIDDEN');
    ok(await report(asker.boards, target, 'spam'));
    refused(await report(asker.comments, target, 'abuse'), 'CONFLICT');
    assert.equal(
      await count("SELECT COUNT(*) AS n FROM reports WHERE targetKind = 'message' AND targetId = :id", {
        id: target.id,
      }),
      1,
    );

    // The asker blocks the sender from the conversation: the next message is withheld from them.
    ok(await asker.boards.ask('user:block', { target }));
    const withheld = ok(await send(author, conv.id, '차단 뒤'));
    refused(await report(asker.boards, { kind: 'message', id: withheld.id }), 'NOT_FOUND');

    const other = await conversation(author, outsider);
    ok(await moderation(s, mod).ask('target:remove', { target: other.target, reason: '욕설' }));
    refused(await report(outsider.boards, other.target), 'NOT_FOUND');
  });

  it('when a moderator removes a reported message, then both members lose it from messages:list and the inbox, the case resolves and is logged; target:restore brings it back', async () => {
    const [author, asker, admin] = await users('author', 'asker', 'admin');
    const mod = await moderator();
    await promote(s, admin, 'admin');
    const queue = moderation(s, mod);
    ok(await queue.ask('queue:subscribe', {}));
    const { conv, message, target } = await conversation(author, asker);
    ok(await report(asker.boards, target));

    const resolvedPush = queue.next('case:resolved');
    const removed = ok(await queue.ask('target:remove', { target, reason: '욕설' }));
    assert.deepEqual(
      [removed.status, removed.resolution, removed.hidden?.reason],
      ['resolved', 'removed', 'moderator'],
    );
    assert.equal(removed.target.content, '꺼져 ㅋㅋ', 'kept for review');
    assert.equal((await resolvedPush).data.id, removed.id);
    for (const u of [author, asker]) {
      assert.deepEqual(await contents(u, conv.id), ['안녕하세요']);
      assert.equal(await lastOf(u, conv.id), '안녕하세요');
    }
    refused(await queue.ask('target:remove', { target, reason: '또' }), 'CONFLICT');
    assert.equal(
      caseOf(ok(await queue.ask('queue:list', { status: 'resolved' })), message.id)?.id,
      removed.id,
    );

    const restored = ok(await queue.ask('target:restore', { target }));
    assert.deepEqual([restored.resolution, restored.hidden], ['restored', null]);
    for (const u of [author, asker]) {
      assert.deepEqual(await contents(u, conv.id), ['꺼져 ㅋㅋ', '안녕하세요']);
      assert.equal(await lastOf(u, conv.id), '꺼져 ㅋㅋ');
    }
    refused(await queue.ask('target:restore', { target }), 'CONFLICT');

    const log = ok(await moderation(s, admin).ask('log:list', { limit: 100 })).items.filter(
      (e) => e.target?.kind === 'message' && e.target.id === message.id,
    );
    assert.deepEqual(
      log.map((e) => [e.action, e.actor.id, e.reason]),
      [
        ['restore', mod.user.id, null],
        ['remove', mod.user.id, '욕설'],
      ],
    );
  });

  it('when a moderator suspends the anonymous sender through a message, then the sender’s next message:send is FORBIDDEN SUSPENDED, and the moderator is never told who it is', async () => {
    const [author, asker] = await users('author', 'asker');
    const mod = await moderator();
    const queue = moderation(s, mod);
    const traffic = recorder(queue);
    const { conv, target } = await conversation(author, asker);
    ok(await report(asker.boards, target));

    const { until } = ok(
      await traffic.ack(queue.ask('user:suspend', { target, days: 2, reason: '쪽지 욕설' })),
    );
    const err = refused(await send(author, conv.id, '또 보냄'), 'FORBIDDEN');
    assert.deepEqual([err.reason, err.until], ['SUSPENDED', until]);
    ok(await send(asker, conv.id, '괜찮아요')); // the reporter is not touched
    ok(await author.messages.ask('messages:list', { conversationId: conv.id })); // reading still works
    ok(await traffic.ack(queue.ask('user:unsuspend', { target })));
    ok(await send(author, conv.id, '죄송합니다'));
    assertNamesNobody(traffic.seen, author, "the moderator's traffic");
  });

  it('when the sender of a named conversation is reported, then the queue names them by nickname; once their account is gone, as (탈퇴한 사용자), and nothing stored names them', async () => {
    const [author, asker] = await users('author', 'asker');
    const mod = await moderator();
    const queue = moderation(s, mod);
    ok(await queue.ask('queue:subscribe', {}));
    const { message, target } = await conversation(author, asker, true);
    const pushed = queue.next('report:created');
    ok(await report(asker.boards, target));
    const live = (await pushed).data.target;
    assert.deepEqual([live.authorName, live.anonymous], [author.user.nickname, false]);

    const res = await http(s.url, 'DELETE', '/api/account', {
      token: author.accessToken,
      json: { password: author.password },
    });
    assert.equal(res.status, 204);
    const gone = caseOf(ok(await queue.ask('queue:list', { status: 'open' })), message.id)!;
    assert.equal(gone.target.authorName, '(탈퇴한 사용자)');
    refused(await queue.ask('user:suspend', { target, days: 1, reason: '?' }), 'NOT_FOUND');
    assert.deepEqual(await traces(s.app.db, author.user), []);
  });
});
