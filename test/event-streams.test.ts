import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { PostDto } from '../shared/dto';
import { ok, refused } from './helpers/acks';
import { startApp, type RunningApp } from './helpers/app';
import { BACKEND } from './helpers/backend';
import { boardsByName } from './helpers/boards';
import { hex, newUsers, socket, type TestUser } from './helpers/clients';
import { collect } from './helpers/pushes';
import { until, wait } from './helpers/waiting';

const ROOT = path.resolve(__dirname, '..');

/** Event ids per room, an epoch per history (migration 0005, docs/protocol.md "Events"). */
describe('event streams: ids per room, epochs', () => {
  let s: RunningApp;
  let boards: { free: number; secret: number };

  const users = <T extends readonly string[]>(app: RunningApp, ...names: T) =>
    newUsers(app.url, names, () => `닉-${hex()}`);
  const post = (u: TestUser, boardId: number, title = `글 ${hex()}`) =>
    u.boards.ask('post:create', { boardId, title, content: '내용' });

  before(async () => {
    s = await startApp();
    const [u] = await users(s, 'x');
    const byName = await boardsByName(u.boards);
    boards = { free: byName.get('자유게시판')!.id, secret: byName.get('비밀게시판')!.id };
  });
  after(() => s.stop());

  it('when many users post to one board at once, then its ids run one by one, in order, without gaps, and resume returns them all', async () => {
    const writers = await users(s, 'a', 'b', 'c', 'd', 'e');
    const [reader] = await users(s, 'r');
    ok(await reader.boards.ask('board:subscribe', { boardId: boards.free }));
    const first = reader.boards.next('post:created');
    const start = ok(await post(writers[0]!, boards.free));
    const since = (await first).id;
    const live = collect<PostDto>(reader.boards, 'post:created');
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(writers[i % writers.length]!, boards.free)),
    );
    for (const res of made) ok(res);
    await until(() => live.length === 20, '20 pushes');
    const ids = live.map((e) => e.id).sort((a, b) => a - b);
    assert.deepEqual(
      ids,
      Array.from({ length: 20 }, (_, i) => since + 1 + i),
    );
    const again = socket(s.url, '/boards', { token: reader.accessToken });
    const resumed = ok(await again.ask('board:subscribe', { boardId: boards.free, since }));
    assert.deepEqual(
      resumed.events.map((e) => e.id),
      ids,
    );
    assert.ok(!resumed.events.some((e) => (e.data as PostDto).id === start.id));
  });

  it('when events are written to two rooms, then each room numbers its own and every push names the epoch', async () => {
    const [w, r] = await users(s, 'w', 'r');
    ok(await r.boards.ask('board:subscribe', { boardId: boards.free }));
    ok(await r.boards.ask('board:subscribe', { boardId: boards.secret }));
    const free = collect<PostDto>(r.boards, 'post:created');
    ok(await post(w, boards.free));
    ok(await post(w, boards.secret));
    ok(await post(w, boards.free));
    await until(() => free.length === 3, 'three pushes');
    const byRoom = (room: string) => free.filter((e) => e.room === room).map((e) => e.id);
    const [a1, a2] = byRoom(`board:${boards.free}`);
    assert.equal(a2, a1! + 1, 'the other room does not take a number of this one');
    const epochs = new Set(free.map((e) => e.epoch));
    assert.equal(epochs.size, 1);
    const { epoch } = ok(await r.boards.ask('board:subscribe', { boardId: boards.free }));
    assert.deepEqual([...epochs], [epoch]);
    assert.match(epoch, /^[0-9a-f]{16}$/);
  });

  it('when since comes with another epoch, then RESYNC_REQUIRED; with this epoch or none, the events', async () => {
    const [w, r] = await users(s, 'w', 'r');
    ok(await r.boards.ask('board:subscribe', { boardId: boards.free }));
    const seen = r.boards.next('post:created');
    ok(await post(w, boards.free));
    const e = await seen;
    ok(await post(w, boards.free));
    const other = e.epoch === '0123456789abcdef' ? 'fedcba9876543210' : '0123456789abcdef';
    const again = socket(s.url, '/boards', { token: r.accessToken });
    for (const res of [
      await again.ask('board:subscribe', { boardId: boards.free, since: e.id, epoch: other }),
      await again.ask('me:resume', { since: 0, epoch: other }),
      await r.comments.ask('post:subscribe', { postId: (e.data as PostDto).id, since: 0, epoch: other }),
    ])
      refused(res, 'RESYNC_REQUIRED');
    const withEpoch = ok(
      await again.ask('board:subscribe', { boardId: boards.free, since: e.id, epoch: e.epoch }),
    );
    const without = ok(await again.ask('board:subscribe', { boardId: boards.free, since: e.id }));
    assert.equal(withEpoch.events.length, 1);
    assert.deepEqual(without.events, withEpoch.events);
    refused(
      await again.ask('board:subscribe', { boardId: boards.free, since: 1, epoch: 'NOT-HEX' }),
      'VALIDATION',
    );
  });

  it('when the database is restored (npm run events:new-epoch) and Quad restarts, then a feed from before answers RESYNC_REQUIRED and the typed client reloads', async () => {
    const app = await startApp();
    const [w, r] = await users(app, 'w', 'r');
    const feed = socket(app.url, '/boards', {
      token: r.accessToken,
      socket: { reconnection: true, reconnectionDelay: 100 },
    });
    ok(await feed.subscribe('board:subscribe', { boardId: boards.free }));
    const seen = feed.next('post:created');
    ok(await post(w, boards.free));
    const before = await seen;
    const port = app.port;
    await app.stop();

    const res = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(ROOT, 'server/scripts/new-epoch.ts')],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: app.config.databaseUrl },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(res.status, 0, res.stderr);
    const epoch = /New event epoch: ([0-9a-f]{16})/.exec(res.stdout)?.[1];
    assert.ok(epoch && epoch !== before.epoch, res.stdout);

    const resynced: string[] = [];
    feed.onResync((room) => resynced.push(room));
    const restarted = await startApp({ PORT: String(port) });
    await until(() => resynced.length > 0, 'onResync after the restart', 15_000);
    assert.deepEqual(resynced, [`board:${boards.free}`]);
    const later = restarted.app.services.events.epoch;
    assert.equal(later, epoch);
    const next = feed.next('post:created');
    const writer = socket(restarted.url, '/boards', { token: w.accessToken });
    ok(await writer.ask('post:create', { boardId: boards.free, title: `글 ${hex()}`, content: '내용' }));
    assert.equal((await next).epoch, epoch);
    assert.equal(feed.epoch, epoch);
    await restarted.stop();
  });

  if (BACKEND === 'mysql') {
    it('when a write to one room holds its transaction open, then writes to another room commit and push meanwhile', async () => {
      const [w, r] = await users(s, 'w', 'r');
      ok(await post(w, boards.free)); // the room has its sequence row
      ok(await r.boards.ask('board:subscribe', { boardId: boards.secret }));
      ok(await r.boards.ask('board:subscribe', { boardId: boards.free }));
      const pushed = collect<PostDto>(r.boards, 'post:created');
      // An open transaction that has written to board:<free> holds that room's row until it ends.
      const conn = await mysql.createConnection(s.config.databaseUrl);
      await conn.query('BEGIN');
      await conn.query('UPDATE event_streams SET seq = seq WHERE room = ?', [`board:${boards.free}`]);
      let held = false;
      const blocked = post(w, boards.free).then((res) => ((held = true), res));
      try {
        const others = await Promise.all([post(w, boards.secret), post(w, boards.secret)]);
        for (const res of others) ok(res);
        await until(() => pushed.filter((e) => e.room === `board:${boards.secret}`).length === 2, 'pushes');
        await wait(200);
        assert.equal(held, false, 'the write to the held room waits for it');
        assert.ok(!pushed.some((e) => e.room === `board:${boards.free}`));
      } finally {
        await conn.query('ROLLBACK');
        await conn.end();
      }
      const res = ok(await blocked);
      await until(() => pushed.some((e) => (e.data as PostDto).id === res.id), 'the held post');
    });
  }
});
