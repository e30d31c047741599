import assert from 'node:assert/strict';
import { boardsByName } from '../helpers/boards';
import { until, wait } from '../helpers/waiting';
import { login, nodeOf, startTestCluster, tracedClient, type TestCluster } from './lib';
import { committed, counts, spread, subscribe, summary, verify, Writer, type Subscriber } from './load';

const SUBSCRIBERS = 100;
const POSTS_PER_SECOND = 10;
/** Every subscriber must be connected again this soon after its node went away. */
const RECONNECT_LIMIT_MS = 10_000;

/**
 * Two nodes behind nginx, 100 board subscribers through wss, a writer posting 10/s: one node
 * is killed (kill -9), then both are drained and restarted one at a time. The typed client
 * in shared/client.ts reconnects and resumes with `since` by itself.
 */
describe('cluster: failover and rolling restart under load', function () {
  this.timeout(120_000);
  let t: TestCluster;
  let tokens: string[];
  let writerToken: string;
  let boards: number[];
  let subs: Subscriber[] = [];
  let writer: Writer | undefined;
  before(async () => {
    // A writer posting 10/s exceeds the default per-socket limit (60 per 10 s).
    t = await startTestCluster({ SOCKET_RATE_LIMIT: '100000' });
    // 10 subscribers per user: all of them fit on one node (MAX_CONNECTIONS_PER_USER is 20) when
    // the other one is down.
    const names = ['w', ...Array.from({ length: SUBSCRIBERS / 10 }, (_, i) => `s${i + 1}`)];
    const users = await Promise.all(names.map((n) => login(t.cluster, n)));
    writerToken = users[0]!.accessToken;
    tokens = users.slice(1).map((u) => u.accessToken);
    const probe = tracedClient(t.cluster, '/boards', writerToken);
    boards = [...(await boardsByName(probe.client)).values()].map((b) => b.id);
    probe.client.close();
  });
  afterEach(async function () {
    // The cluster's own lines and the nodes' warnings, to tell what happened in a failed run.
    if (this.currentTest?.state === 'failed') console.log(t.output.slice(-40).join('\n'));
    await writer?.stop();
    for (const s of subs) s.traced.client.close();
    writer?.traced.client.close();
    subs = [];
    writer = undefined;
    // A test that failed half-way may leave a node down: the next one needs both.
    await Promise.all(t.cluster.nodes.filter((n) => !n.running).map((n) => n.start()));
  });
  after(async () => {
    await t?.stop();
  });

  async function load(board: number): Promise<void> {
    subs = await subscribe(t.cluster, tokens, SUBSCRIBERS, board);
    const onEach = spread(t.cluster, subs);
    assert.equal(Object.keys(onEach).length, 2, `subscribers are on both nodes (${JSON.stringify(onEach)})`);
    writer = new Writer(tracedClient(t.cluster, '/boards', writerToken), board);
    await writer.traced.client.connected();
    writer.start(POSTS_PER_SECOND);
  }

  /** Stops the writer, waits until every subscriber has every acked post, and checks them all. */
  async function finish(board: number) {
    const sent = await writer!.stop();
    const acked = writer!.acked;
    const all = () => subs.every((s) => acked.every((id) => s.delivered.some((d) => d.postId === id)));
    // Not `until`: on a timeout the counts below say what is missing.
    for (const end = Date.now() + 15_000; !all() && Date.now() < end;) await wait(50);
    await wait(300); // a late duplicate or stray push would arrive by now
    const log = await committed(t.db.url, board);
    return {
      sent,
      acked: acked.length,
      failed: writer!.failed,
      committed: log.length,
      verdict: verify(subs, acked, log),
    };
  }

  it('when one of two nodes is killed (kill -9), then every subscriber reconnects within 10 s and ends with every acknowledged post exactly once, in order', async () => {
    const board = boards[0]!;
    await load(board);
    const writerNode = nodeOf(t.cluster, writer!.traced.upstream());
    // Kill the node the writer is not on, so posts keep being committed while its subscribers are away.
    const victim = t.cluster.nodes.find((n) => n !== writerNode)!;
    await wait(2_000);
    const orphans = subs.filter((s) => nodeOf(t.cluster, s.traced.upstream()) === victim);
    const killedAt = Date.now();
    victim.kill('SIGKILL');
    await until(
      () => orphans.every((s) => s.connectedAt.some((at) => at > killedAt)),
      'the killed node’s subscribers to reconnect',
      RECONNECT_LIMIT_MS,
    );
    const sinceKill = orphans.map((s) => s.connectedAt.find((at) => at > killedAt)! - killedAt);
    for (const s of orphans) assert.notEqual(nodeOf(t.cluster, s.traced.upstream()), victim);
    await wait(2_000);
    const r = await finish(board);
    console.log(
      `      failover: ${orphans.length}/${subs.length} subscribers on the killed node; reconnect after kill ` +
        `${summary(sinceKill)}; posts sent ${r.sent}, acked ${r.acked}, failed ${r.failed.length}, committed ${r.committed}; ` +
        counts(r.verdict),
    );
    assert.deepEqual(r.verdict.problems, []);
    assert.ok(orphans.length > 0);
    assert.ok(Math.max(...sinceKill) <= RECONNECT_LIMIT_MS);
  });

  it('when both nodes are drained and restarted one at a time, then no command fails and no event is lost or duplicated', async () => {
    const board = boards[1]!;
    await load(board);
    await wait(2_000);
    const rollStarted = Date.now();
    await t.cluster.roll();
    const rollMs = Date.now() - rollStarted;
    await wait(2_000);
    const r = await finish(board);
    const reconnects = subs.flatMap((s) => s.reconnectMs);
    const movedOnce = subs.filter((s) => s.reconnectMs.length > 0).length;
    console.log(
      `      rolling restart (${rollMs} ms): ${movedOnce}/${subs.length} subscribers reconnected, ` +
        `${reconnects.length} reconnects, disconnect→connect ${summary(reconnects)}; posts sent ${r.sent}, ` +
        `acked ${r.acked}, failed ${r.failed.length}${r.failed.length ? ` ${JSON.stringify(r.failed.slice(0, 3))}` : ''}, ` +
        `committed ${r.committed}; ${counts(r.verdict)}`,
    );
    assert.deepEqual(r.verdict.problems, []);
    // The reconnect times are printed above, not asserted: how fast clients move off a draining
    // node is the drain's and the client's policy (server:draining's reconnectInMs).
    assert.deepEqual(r.failed, [], 'no command failed');
    assert.equal(r.acked, r.sent);
    assert.equal(r.committed, r.acked, 'every committed post was acknowledged');
  });
});
