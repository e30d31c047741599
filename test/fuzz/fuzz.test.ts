import assert from 'node:assert/strict';
import { failures, fuzz } from './fuzz';

/**
 * The short fuzz run CI makes (`npm run fuzz` runs 10⁶ frames and 10⁵ bodies): a Quad of its
 * own on the embedded default, 10⁴ hostile frames and 10³ REST bodies, and the same verdict.
 */
describe('fuzzing (short run: 10⁴ frames, 10³ REST bodies)', () => {
  it('when hostile frames and bodies arrive, then no exit, no unhandled rejection, no INTERNAL, the heap is flat and a normal client is answered throughout', async function () {
    this.timeout(180_000);
    const report = await fuzz({ frames: 10_000, bodies: 1_000, seed: 20261203, connections: 8 });
    assert.deepEqual(failures(report), [], JSON.stringify(report.samples, null, 1));
    assert.equal(report.framesSent, 10_000);
    assert.equal(report.rest.sent, 1_000);
    // It did reach what it is meant to: commands ran and were refused, connections were broken.
    assert.ok(report.acks.ok! > 0 && report.acks.VALIDATION! > 0, JSON.stringify(report.acks));
    assert.ok(report.commands.refusedBySchema > 0 && report.commands.answered > 0);
    assert.ok(report.connectionsClosedByServer > 0);
    for (const label of ['command', 'socket.io', 'engine.io', 'attachments', 'deep', 'huge', 'truncated'])
      assert.ok((report.byLabel[label] ?? 0) > 0, `no ${label} frame was sent`);
    assert.ok(report.normal.ok > 0);
  });
});
