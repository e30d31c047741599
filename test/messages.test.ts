import assert from 'node:assert/strict';
import type { ConversationDto, MessageCreatedDto, PushEvent } from '../shared/dto';
import { User } from '../server/features/accounts/user.model';
import { ok, refused } from './helpers/acks';
import { traces } from './helpers/forgotten';
import { startApp, type RunningApp } from './helpers/app';
import { boardsByName } from './helpers/boards';
import { hex, http, newUser, socket, type TestUser } from './helpers/clients';
import { collect, flush } from './helpers/pushes';

describe('쪽지 (/messages)', () => {
  let s: RunningApp;
  let FREE: number;

  before(async () => {
    s = await startApp({ MESSAGE_RATE_LIMIT: '12', MESSAGE_RATE_WINDOW: '1m' });
    FREE = (await boardsByName((await newUser(s.url)).boards)).get('자유게시판')!.id;
  });

  const post = async (u: TestUser, anonymous: boolean) =>
    ok(await u.boards.ask('post:create', { boardId: FREE, title: `쪽지 ${hex()}`, content: '…', anonymous }));
  const open = (u: TestUser, kind: 'post' | 'comment' | 'user', id: number) =>
    u.messages.ask('conversation:open', { from: { kind, id } });
  const send = (u: TestUser, conversationId: number, content: string) =>
    u.messages.ask('message:send', { conversationId, content });

  it('when B writes to the author of an anonymous post, then both see aliases (익명(글쓴이) and 익명), live, and the same conversation is reused', async () => {
    const [a, b] = [await newUser(s.url, 'author'), await newUser(s.url, 'asker')];
    const p = await post(a, true);
    await a.messages.connected();
    const created = a.messages.next('message:created');
    const conv = ok(await open(b, 'post', p.id));
    assert.deepEqual([conv.me, conv.other, conv.anonymous], ['익명', '익명(글쓴이)', true]);
    assert.equal(conv.context.postId, p.id);
    assert.equal(ok(await open(b, 'post', p.id)).id, conv.id, 'opened again: the same conversation');

    const sent = ok(await send(b, conv.id, '혹시 그 카드 찾으셨어요?'));
    assert.deepEqual([sent.mine, sent.from], [true, '익명']);
    const pushed = (await created) as unknown as PushEvent<MessageCreatedDto>;
    assert.equal(pushed.data.message.content, '혹시 그 카드 찾으셨어요?');
    assert.deepEqual([pushed.data.message.mine, pushed.data.message.from], [false, '익명']);
    assert.deepEqual([pushed.data.conversation.me, pushed.data.conversation.other], ['익명(글쓴이)', '익명']);
    assert.equal(pushed.data.conversation.unread, 1);

    // A answers in the conversation; B's list shows it on top with one unread.
    ok(await send(a, conv.id, '아직이요 ㅠ'));
    const list = ok(await b.messages.ask('conversations:list', {}));
    const top = list.items[0]!;
    assert.deepEqual(
      [top.id, top.unread, top.lastMessage?.content, top.lastMessage?.from],
      [conv.id, 1, '아직이요 ㅠ', '익명(글쓴이)'],
    );
    const msgs = ok(await b.messages.ask('messages:list', { conversationId: conv.id }));
    assert.deepEqual(
      msgs.items.map((m) => [m.mine, m.content]),
      [
        [false, '아직이요 ㅠ'],
        [true, '혹시 그 카드 찾으셨어요?'],
      ],
    );
  });

  it('when the conversation starts from an anonymous comment, then its author is the comment’s alias; from a named post, nicknames', async () => {
    const [a, b, c] = [
      await newUser(s.url, 'op'),
      await newUser(s.url, 'commenter'),
      await newUser(s.url, 'reader'),
    ];
    const p = await post(a, false);
    ok(await b.comments.ask('comment:create', { postId: p.id, content: '첫 댓글', anonymous: true }));
    const second = ok(
      await c.comments.ask('comment:create', { postId: p.id, content: '둘째', anonymous: true }),
    );
    assert.equal(second.authorName, '익명2');
    const fromComment = ok(await open(a, 'comment', second.id));
    assert.deepEqual([fromComment.other, fromComment.me], ['익명2', '익명']);
    const fromPost = ok(await open(b, 'post', p.id));
    assert.deepEqual(
      [fromPost.other, fromPost.me, fromPost.anonymous],
      [a.user.nickname, b.user.nickname, false],
    );
  });

  it('when friends write, then the one conversation of the pair is found by either; a non-friend is NOT_FOUND', async () => {
    const [a, b, stranger] = [
      await newUser(s.url, 'fa'),
      await newUser(s.url, 'fb'),
      await newUser(s.url, 'st'),
    ];
    const req = ok(await a.timetables.ask('friend:request', { username: b.user.username }));
    ok(await b.timetables.ask('friend:accept', { requestId: req.id }));
    const ab = ok(await open(a, 'user', b.user.id));
    assert.equal(ok(await open(b, 'user', a.user.id)).id, ab.id);
    assert.equal(ab.other, b.user.nickname);
    refused(await open(stranger, 'user', a.user.id), 'NOT_FOUND');
  });

  it('when the input is bad, then clear errors: oneself VALIDATION, missing NOT_FOUND, others’ conversation NOT_FOUND, empty or too long VALIDATION', async () => {
    const [a, b, eve] = [await newUser(s.url, 'ba'), await newUser(s.url, 'bb'), await newUser(s.url, 'eve')];
    const p = await post(a, true);
    assert.equal(refused(await open(a, 'post', p.id), 'VALIDATION').fields?.from, 'is your own');
    refused(await open(a, 'user', a.user.id), 'VALIDATION');
    refused(await open(b, 'post', 999_999_999), 'NOT_FOUND');
    const gone = await post(a, true);
    ok(await a.boards.ask('post:delete', { postId: gone.id }));
    refused(await open(b, 'post', gone.id), 'NOT_FOUND');
    const conv = ok(await open(b, 'post', p.id));
    // Someone else's conversation answers exactly like one that does not exist.
    const theirs = refused(await send(eve, conv.id, '끼어들기'), 'NOT_FOUND');
    const none = refused(await send(eve, 999_999_999, '끼어들기'), 'NOT_FOUND');
    assert.equal(theirs.message, none.message);
    refused(await eve.messages.ask('messages:list', { conversationId: conv.id }), 'NOT_FOUND');
    refused(await eve.messages.ask('conversation:get', { conversationId: conv.id }), 'NOT_FOUND');
    assert.ok(refused(await send(b, conv.id, '   '), 'VALIDATION').fields?.content);
    assert.ok(refused(await send(b, conv.id, 'ㄱ'.repeat(1001)), 'VALIDATION').fields?.content);
    ok(await send(b, conv.id, 'ㄱ'.repeat(1000)));

    // Suspended (before this user's first connection, as an operator would): FORBIDDEN, SUSPENDED.
    const suspended = await newUser(s.url, 'susp');
    await s.app.db
      .getRepository(User)
      .update(
        { suspendedUntil: new Date(Date.now() + 86_400_000), suspendReason: '도배' },
        { where: { id: suspended.user.id } },
      );
    const theirConv = ok(await open(suspended, 'post', p.id));
    assert.equal(refused(await send(suspended, theirConv.id, '안녕'), 'FORBIDDEN').reason, 'SUSPENDED');
  });

  it('when a user floods, then RATE_LIMITED with retryAfter (MESSAGE_RATE_LIMIT)', async () => {
    const [a, b] = [await newUser(s.url, 'fl'), await newUser(s.url, 'fm')];
    const conv = ok(await open(b, 'post', (await post(a, true)).id));
    for (let i = 0; i < 12; i++) ok(await send(b, conv.id, `${i}`));
    const err = refused(await send(b, conv.id, 'one more'), 'RATE_LIMITED');
    assert.ok(err.retryAfter! > 0);
  });

  it('when the recipient blocked the sender, then the send answers as delivered and reaches no one', async () => {
    const [a, b] = [await newUser(s.url, 'blocker'), await newUser(s.url, 'pest')];
    const conv = ok(await open(b, 'post', (await post(a, true)).id));
    const first = ok(await send(b, conv.id, '안녕하세요'));
    ok(await a.boards.ask('user:block', { target: { kind: 'message', id: first.id } }));
    await a.messages.connected();
    const pushes = collect(a.messages, 'message:created');
    const after = ok(await send(b, conv.id, '왜 답장 안 해요'));
    assert.equal(after.mine, true);
    assert.equal(
      ok(await b.messages.ask('messages:list', { conversationId: conv.id })).items[0]!.id,
      after.id,
    );
    await flush(a.messages);
    assert.equal(pushes.length, 0);
    const seen = ok(await a.messages.ask('messages:list', { conversationId: conv.id }));
    assert.deepEqual(
      seen.items.map((m) => m.content),
      ['안녕하세요'],
    );
  });

  it('when a conversation is read on one device, then the other gets conversation:read with the badge; a left one comes back with a new message', async () => {
    const [a, b] = [await newUser(s.url, 'ra'), await newUser(s.url, 'rb')];
    const conv = ok(await open(b, 'post', (await post(a, true)).id));
    ok(await send(b, conv.id, '하나'));
    ok(await send(b, conv.id, '둘'));
    // A second device of a's.
    const login = await http<{ accessToken: string }>(s.url, 'POST', '/api/auth/login', {
      json: { username: a.user.username, password: a.password },
    });
    const phone = socket(s.url, '/messages', { token: login.body.accessToken });
    await phone.connected();
    assert.equal(ok(await phone.ask('whoami')).unreadMessages, 2);
    const got = ok(await phone.ask('conversation:get', { conversationId: conv.id }));
    assert.deepEqual([got.id, got.unread, got.other], [conv.id, 2, '익명']);
    const synced = phone.next('conversation:read');
    const read = ok(await a.messages.ask('conversation:read', { conversationId: conv.id }));
    assert.deepEqual(read, { conversationId: conv.id, unread: 0 });
    assert.deepEqual(await synced, read);

    assert.equal(ok(await phone.ask('whoami')).unreadMessages, 0);
    ok(await a.messages.ask('conversation:leave', { conversationId: conv.id }));
    // Left, it is still mine to read.
    assert.equal(ok(await a.messages.ask('conversation:get', { conversationId: conv.id })).id, conv.id);
    const ids = (l: { items: ConversationDto[] }) => l.items.map((c) => c.id);
    assert.ok(!ids(ok(await a.messages.ask('conversations:list', {}))).includes(conv.id));
    ok(await send(b, conv.id, '셋'));
    const back = ok(await a.messages.ask('conversations:list', {}));
    assert.equal(back.items[0]!.id, conv.id);
    assert.equal(back.items[0]!.unread, 1);
  });

  it('when the other side types, then typing is pushed to them, at most every 2 s', async () => {
    const [a, b] = [await newUser(s.url, 'ta'), await newUser(s.url, 'tb')];
    const conv = ok(await open(b, 'post', (await post(a, true)).id));
    await a.messages.connected();
    const typing = collect(a.messages, 'typing');
    ok(await b.messages.ask('typing', { conversationId: conv.id }));
    ok(await b.messages.ask('typing', { conversationId: conv.id }));
    await flush(b.messages);
    await flush(a.messages);
    assert.deepEqual(typing, [{ conversationId: conv.id }]);
  });
});

describe('쪽지 of a deleted account', () => {
  it('when one side deletes the account, then the other reads (탈퇴한 사용자) in lists, messages and resumed pushes, cannot write on, and the database holds no trace of them', async () => {
    const s = await startApp();
    const FREE = (await boardsByName((await newUser(s.url)).boards)).get('자유게시판')!.id;
    const [leaver, friend] = [await newUser(s.url, 'leaver'), await newUser(s.url, 'stayer')];
    const req = ok(await leaver.timetables.ask('friend:request', { username: friend.user.username }));
    ok(await friend.timetables.ask('friend:accept', { requestId: req.id }));
    const named = ok(
      await leaver.messages.ask('conversation:open', { from: { kind: 'user', id: friend.user.id } }),
    );
    const { lastId: since } = ok(await friend.messages.ask('conversations:resume', { since: 0 }));
    const p = ok(
      await friend.boards.ask('post:create', {
        boardId: FREE,
        title: `t ${hex()}`,
        content: '…',
        anonymous: true,
      }),
    );
    const anon = ok(await leaver.messages.ask('conversation:open', { from: { kind: 'post', id: p.id } }));
    ok(await leaver.messages.ask('message:send', { conversationId: named.id, content: '잘 지내?' }));
    ok(await leaver.messages.ask('message:send', { conversationId: anon.id, content: '익명으로 안녕' }));

    const res = await http(s.url, 'DELETE', '/api/account', {
      token: leaver.accessToken,
      json: { password: leaver.password },
    });
    assert.equal(res.status, 204);

    const list = ok(await friend.messages.ask('conversations:list', {}));
    for (const c of list.items) {
      assert.deepEqual(
        [c.other, c.otherDeleted, c.lastMessage?.from],
        ['(탈퇴한 사용자)', true, '(탈퇴한 사용자)'],
      );
    }
    const msgs = ok(await friend.messages.ask('messages:list', { conversationId: named.id }));
    assert.equal(msgs.items[0]!.from, '(탈퇴한 사용자)');
    const resumed = ok(await friend.messages.ask('conversations:resume', { since }));
    assert.ok(resumed.events.length >= 2);
    for (const e of resumed.events) {
      const d = e.data as MessageCreatedDto;
      assert.deepEqual([d.conversation.other, d.message.from], ['(탈퇴한 사용자)', '(탈퇴한 사용자)']);
    }
    refused(
      await friend.messages.ask('message:send', { conversationId: named.id, content: '?' }),
      'NOT_FOUND',
    );
    assert.deepEqual(
      await traces(s.app.db, {
        id: leaver.user.id,
        username: leaver.user.username,
        nickname: leaver.user.nickname,
      }),
      [],
    );
    await s.stop();
  });
});
