import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { NamespaceClient } from '../../shared/client';
import type { MessageCreatedDto, PushEvent } from '../../shared/dto';
import { ok } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { boardId } from '../helpers/boards';
import { hex, newUser, socket, type TestUser } from '../helpers/clients';

/** Every push and every ack one /messages client sees, as the JSON it arrived as. */
function record(client: NamespaceClient<'/messages'>) {
  const seen: unknown[] = [];
  client.socket.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
  const ask: NamespaceClient<'/messages'>['ask'] = async (...args) => {
    const res = await client.ask(...args);
    seen.push({ ack: args[0], res });
    return res;
  };
  return { seen, ask };
}

/** Keys that name a user; none may hold the other side's id. */
const USER_KEYS = new Set([
  'userId',
  'authorId',
  'senderId',
  'targetId',
  'openerId',
  'recipientId',
  'from',
  'to',
]);

function assertNoIdentity(seen: unknown[], other: TestUser, whose: string): void {
  const text = JSON.stringify(seen);
  assert.ok(text.length > 200, `${whose} recorded traffic`);
  assert.ok(!text.includes(other.user.username), `${whose}'s traffic names the other's username`);
  assert.ok(!text.includes(other.user.nickname), `${whose}'s traffic names the other's nickname`);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (USER_KEYS.has(k)) assert.notEqual(x, other.user.id, `${whose}'s traffic has ${k}: the other's id`);
      walk(x);
    }
  };
  walk(seen);
}

/** 쪽지 across two Quad nodes (MariaDB + Redis pass only). */
describe('쪽지 across two nodes', () => {
  let nodeA: RunningApp;
  let nodeB: RunningApp;
  let FREE: number;

  before(async () => {
    nodeA = await startApp();
    nodeB = await startApp();
    assert.ok(nodeA.config.REDIS_URL, 'this pass must run with Redis');
    FREE = await boardId((await newUser(nodeA.url, 'msgFree')).boards, '자유게시판');
  });

  it('when B opens a conversation from A’s anonymous post on one node, then A gets it live on the other, answers, and neither side’s traffic holds the other’s identity', async () => {
    const [a, b] = [await newUser(nodeA.url, 'lostcard'), await newUser(nodeA.url, 'finder')];
    const p = ok(
      await a.boards.ask('post:create', {
        boardId: FREE,
        title: `학생증 잃어버렸어요 ${hex()}`,
        content: '도서관에서',
        anonymous: true,
      }),
    );
    const aSock = socket(nodeB.url, '/messages', { token: a.accessToken });
    const bSock = socket(nodeA.url, '/messages', { token: b.accessToken });
    await Promise.all([aSock.connected(), bSock.connected()]);
    const aRec = record(aSock);
    const bRec = record(bSock);

    const conv = ok(await bRec.ask('conversation:open', { from: { kind: 'post', id: p.id } }));
    const toA = aSock.next('message:created');
    ok(await bRec.ask('message:send', { conversationId: conv.id, content: '저도 주웠어요, 학생증 맞나요?' }));
    const got = (await toA) as unknown as PushEvent<MessageCreatedDto>;
    assert.equal(got.data.message.content, '저도 주웠어요, 학생증 맞나요?');
    assert.equal(got.data.message.from, '익명');

    const toB = bSock.next('message:created');
    ok(await aRec.ask('message:send', { conversationId: conv.id, content: '맞아요! 감사합니다' }));
    const answer = (await toB) as unknown as PushEvent<MessageCreatedDto>;
    assert.deepEqual([answer.data.message.from, answer.data.message.mine], ['익명(글쓴이)', false]);

    ok(await aRec.ask('conversations:list', {}));
    ok(await bRec.ask('conversations:list', {}));
    ok(await aRec.ask('messages:list', { conversationId: conv.id }));
    ok(await bRec.ask('messages:list', { conversationId: conv.id }));
    ok(await aRec.ask('conversation:read', { conversationId: conv.id }));
    ok(await aRec.ask('conversations:resume', { since: 0 }));
    ok(await bRec.ask('conversations:resume', { since: 0 }));
    assertNoIdentity(aRec.seen, b, 'A');
    assertNoIdentity(bRec.seen, a, 'B');
  });

  it('when one user opens the same conversation on two nodes at the same moment, then both get the one conversation', async () => {
    const [a, b] = [await newUser(nodeA.url, 'racea'), await newUser(nodeA.url, 'raceb')];
    const p = ok(
      await a.boards.ask('post:create', {
        boardId: FREE,
        title: `race ${hex()}`,
        content: '…',
        anonymous: true,
      }),
    );
    const devices = [nodeA, nodeB, nodeA, nodeB].map((n) =>
      socket(n.url, '/messages', { token: b.accessToken }),
    );
    await Promise.all(devices.map((d) => d.connected()));
    const opened = await Promise.all(
      devices.map((d) => d.ask('conversation:open', { from: { kind: 'post', id: p.id } })),
    );
    const ids = new Set(opened.map((r) => ok(r).id));
    assert.equal(ids.size, 1);
    const [row] = await nodeA.app.db.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM conversation_members WHERE conversationId = :id',
      { replacements: { id: [...ids][0] }, type: QueryTypes.SELECT },
    );
    assert.equal(Number(row!.n), 2);
  });

  it('when A misses 10 messages while offline, then conversations:resume hands back all 10, in order, once', async () => {
    const [a, b] = [await newUser(nodeA.url, 'away'), await newUser(nodeA.url, 'chatty')];
    const p = ok(
      await a.boards.ask('post:create', { boardId: FREE, title: `책 팝니다 ${hex()}`, content: '…' }),
    );
    const aSock = socket(nodeB.url, '/messages', { token: a.accessToken });
    const bSock = socket(nodeA.url, '/messages', { token: b.accessToken });
    const conv = ok(await bSock.ask('conversation:open', { from: { kind: 'post', id: p.id } }));
    const first = aSock.next('message:created');
    ok(await bSock.ask('message:send', { conversationId: conv.id, content: '아직 있나요?' }));
    const since = ((await first) as unknown as PushEvent<MessageCreatedDto>).id;
    aSock.close();

    for (let i = 1; i <= 10; i++)
      ok(await bSock.ask('message:send', { conversationId: conv.id, content: `${i}번째` }));

    const back = socket(nodeB.url, '/messages', { token: a.accessToken });
    const resumed = ok(await back.ask('conversations:resume', { since }));
    const contents = resumed.events.map((e) => (e.data as MessageCreatedDto).message.content);
    assert.deepEqual(
      contents,
      Array.from({ length: 10 }, (_, i) => `${i + 1}번째`),
    );
    assert.deepEqual(
      resumed.events.map((e) => e.id),
      Array.from({ length: 10 }, (_, i) => since + i + 1),
      'consecutive ids in the room: nothing missed, nothing twice',
    );
    const again = ok(await back.ask('conversations:resume', { since: resumed.lastId }));
    assert.deepEqual(again.events, []);
    const [top] = ok(await back.ask('conversations:list', {})).items;
    assert.deepEqual([top!.id, top!.unread], [conv.id, 11]);
  });
});
