import assert from 'node:assert/strict';
import type { PostDto, PushEvent } from '../../shared/dto';
import type { Ack } from '../../shared/events';
import { ok } from '../helpers/acks';
import { startApp, type RunningApp } from '../helpers/app';
import { boardId } from '../helpers/boards';
import { connectError, hex, http, newUsers, socket, type TestUser } from '../helpers/clients';
import { testRedis, type TestRedis } from '../helpers/redis-server';
import { until, wait } from '../helpers/waiting';

/**
 * Two nodes sharing MariaDB and a Redis of the test's own, which the test kills (SIGKILL) and
 * starts again while posts are made on both nodes and typed clients on both nodes subscribe.
 * The database is the truth: commands go on without Redis, and afterwards every subscriber has
 * every acknowledged post, in order, once (this file runs only in the MariaDB + Redis pass).
 */
describe('Redis outage on two nodes', function () {
  this.timeout(120_000);

  const SUBSCRIBERS_PER_NODE = 5;
  let redis: TestRedis;
  let a: RunningApp;
  let b: RunningApp;

  beforeEach(async () => {
    redis = await testRedis();
    const env = {
      REDIS_URL: redis.url,
      REDIS_PREFIX: `quadtest-outage-${hex()}`,
      SOCKET_RATE_LIMIT: '100000',
    };
    a = await startApp(env);
    b = await startApp(env);
  });
  afterEach(async () => {
    // Whatever happened: Redis up again so the nodes can stop cleanly, then everything down.
    await redis.start();
    await Promise.allSettled([a.stop(), b.stop()]);
    await redis.stop();
  });

  interface Scenario {
    /** Runs while the writers post; gets the time the writing started. */
    disturb: () => Promise<void>;
  }

  /** Posts at 10/s alternately on A and B while `disturb` runs, then checks every subscriber. */
  async function run({ disturb }: Scenario) {
    const [wa] = await newUsers(a.url, ['wa'] as const);
    const [wb] = await newUsers(b.url, ['wb'] as const);
    const board = await boardId(wa.boards, '자유게시판');
    const readers = [...(await newUsers(a.url, names('ra'))), ...(await newUsers(b.url, names('rb')))];
    const seen = new Map<TestUser, Array<PushEvent<PostDto>>>();
    for (const r of readers) {
      const got: Array<PushEvent<PostDto>> = [];
      seen.set(r, got);
      r.boards.onEvent('post:created', (e) => got.push(e));
      ok(await r.boards.subscribe('board:subscribe', { boardId: board }));
    }
    const tag = `outage-${hex()}`;
    const acks: Array<{ at: number; res: Ack<PostDto> }> = [];
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        const w = n % 2 === 0 ? wa : wb;
        const at = Date.now();
        void w.boards
          .ask('post:create', { boardId: board, title: `${tag} ${n}`, content: '레디스 장애' })
          .then(
            (res) => acks.push({ at, res }),
            (err: Error) =>
              acks.push({ at, res: { ok: false, error: { code: 'INTERNAL', message: err.message } } }),
          );
        await wait(100);
      }
    })();
    await wait(1_000);
    const disturbedAt = Date.now();
    await disturb();
    const undisturbedAt = Date.now();
    await wait(2_000);
    writing = false;
    await writer;
    await until(() => acks.length > 0 && acks.every(Boolean), 'the last acks');
    await wait(1_500); // the last acks

    const acked = acks.filter((x) => x.res.ok).map((x) => (x.res as { ok: true; data: PostDto }).data.id);
    const refusals = acks
      .filter((x) => !x.res.ok)
      .map((x) => (x.res as { ok: false; error: { code: string } }).error.code);
    for (const code of refusals) assert.equal(code, 'UNAVAILABLE', `a refused post:create said ${code}`);
    const mine = (events: Array<PushEvent<PostDto>>) => events.filter((e) => e.data.title.startsWith(tag));
    await until(
      () => readers.every((r) => acked.every((id) => mine(seen.get(r)!).some((e) => e.data.id === id))),
      'every acknowledged post at every subscriber',
      20_000,
    );
    await wait(500); // a late duplicate would arrive by now
    for (const r of readers) {
      const got = seen.get(r)!;
      const ids = got.map((e) => e.id);
      assert.deepEqual(
        ids,
        [...ids].sort((x, y) => x - y),
        'delivered in room order',
      );
      assert.equal(new Set(ids).size, ids.length, 'each event once');
      const posts = mine(got).map((e) => e.data.id);
      assert.deepEqual(
        [...posts].sort((x, y) => x - y),
        [...acked].sort((x, y) => x - y).filter((id) => posts.includes(id)),
      );
      for (const id of acked) assert.ok(posts.includes(id), `post ${id} reached every subscriber`);
    }
    const during = acks.filter((x) => x.at >= disturbedAt && x.at < undisturbedAt);
    console.log(
      `      posts made ${acks.length} (${during.length} while disturbed), acked ok ${acked.length} (${during.filter((x) => x.res.ok).length} while disturbed), refused ${refusals.length}; ${readers.length} subscribers on two nodes, each with all ${acked.length} acked posts, in order, once`,
    );
    return { acks, acked, refusals };
  }

  const names = (p: string) =>
    Array.from({ length: SUBSCRIBERS_PER_NODE }, (_, i) => `${p}${i}`) as unknown as readonly [string];

  it('when Redis is down for 10 s during 10 posts/s on two nodes, then ≥ 99 % of the posts are acked, /readyz stays 200 with /healthz saying redis down, and afterwards every subscriber on both nodes has every acked post in order, once', async () => {
    const health: Array<{ ready: number; redis: unknown }> = [];
    const { acks, acked } = await run({
      disturb: async () => {
        await redis.stop();
        const end = Date.now() + 10_000;
        while (Date.now() < end) {
          for (const node of [a, b]) {
            const [ready, healthz] = await Promise.all([
              http(node.url, 'GET', '/readyz'),
              http<{ redis: string }>(node.url, 'GET', '/healthz'),
            ]);
            health.push({ ready: ready.status, redis: healthz.body.redis });
          }
          await wait(1_000);
        }
        await redis.start();
      },
    });
    assert.ok(acks.length >= 120, `only ${acks.length} posts were made`);
    assert.ok(acked.length >= 0.99 * acks.length, `${acked.length} of ${acks.length} acked ok`);
    assert.ok(health.length >= 10);
    for (const h of health) assert.equal(h.ready, 200, '/readyz stays 200 without Redis');
    assert.ok(
      health.slice(2).every((h) => h.redis === 'down'),
      `/healthz said ${health.map((h) => h.redis).join(',')}`,
    );
  });

  it('when Redis flaps down and up every 2 s for 20 s, then no node exits, every post:create is acked ok or UNAVAILABLE, and every acked post reaches every subscriber in order, once', async () => {
    const { acks, acked } = await run({
      disturb: async () => {
        for (let i = 0; i < 5; i++) {
          await redis.stop();
          await wait(2_000);
          await redis.start();
          await wait(2_000);
        }
      },
    });
    assert.ok(acks.length >= 200, `only ${acks.length} posts were made`);
    assert.ok(acked.length >= 0.9 * acks.length, `${acked.length} of ${acks.length} acked ok`);
  });

  it('when a session logs out while Redis is down, then its token is refused on the other node, during the outage and after Redis is back; other sessions connect throughout', async () => {
    const [leaving, staying] = await newUsers(a.url, ['leaving', 'staying'] as const);
    ok(await leaving.boards.ask('whoami'));
    await redis.stop();
    await wait(300);
    const out = await http(a.url, 'POST', '/api/auth/logout', { token: leaving.accessToken });
    assert.equal(out.status, 204, `logout answered ${out.status} ${JSON.stringify(out.body)}`);
    const refused = await connectError(socket(b.url, '/boards', { token: leaving.accessToken }));
    assert.equal(refused.data?.code, 'TOKEN_REVOKED', 'refused on B while Redis is down');
    const fine = socket(b.url, '/boards', { token: staying.accessToken });
    ok(await fine.ask('whoami'));

    await redis.start(); // empty: the revocation written meanwhile is only in the database
    for (let i = 0; i < 50; i++) {
      const h = await http<{ redis: string }>(b.url, 'GET', '/healthz');
      if (h.body.redis === 'up') break;
      await wait(100);
    }
    await wait(500);
    const after = await connectError(socket(b.url, '/boards', { token: leaving.accessToken }));
    assert.equal(after.data?.code, 'TOKEN_REVOKED', 'still refused on B once Redis is back');
    ok(await socket(a.url, '/boards', { token: staying.accessToken }).ask('whoami'));
  });
});
