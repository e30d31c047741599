/**
 * `npm run fuzz [-- --frames N --bodies N --seed N --connections N]`: throws hostile input at a
 * Quad of its own on the embedded default (see fuzz.ts), prints the report and exits non-zero
 * when anything broke. Defaults: 10⁶ socket frames and 10⁵ REST bodies. The seed makes a run
 * reproducible; the report prints it.
 */
import { parseArgs } from 'node:util';
import { failures, fuzz } from './fuzz';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: String(1_000_000) },
    bodies: { type: 'string', default: String(100_000) },
    seed: { type: 'string', default: String(Date.now() % 1_000_000_000) },
    connections: { type: 'string', default: '8' },
    json: { type: 'string' },
  },
});
const count = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number, got ${String(values[name])}`);
    process.exit(2);
  }
  return n;
};

async function main(): Promise<void> {
  const frames = count('frames');
  const bodies = count('bodies');
  const seed = count('seed');
  console.log(`fuzzing Quad (embedded default): ${frames} frames, ${bodies} REST bodies, seed ${seed}`);
  const report = await fuzz({
    frames,
    bodies,
    seed,
    connections: Math.max(1, count('connections')),
    progress: (line) => console.log(line),
  });
  const mib = (b: number) => (b / 2 ** 20).toFixed(1);
  console.log(`\nreport (${report.seconds} s, seed ${report.seed})`);
  console.log(`frames sent       ${report.framesSent}  ${JSON.stringify(report.byLabel)}`);
  console.log(`commands          ${JSON.stringify(report.commands)}`);
  console.log(`acks by code      ${JSON.stringify(report.acks)}`);
  console.log(
    `INTERNAL          refused-by-schema ${report.internal.refused}, accepted ${report.internal.accepted}`,
  );
  console.log(`connections       closed by the server ${report.connectionsClosedByServer}`);
  console.log(
    `REST              ${report.rest.sent} sent, by status ${JSON.stringify(report.rest.byStatus)}`,
  );
  console.log(`normal client     ${JSON.stringify(report.normal)}`);
  console.log(
    `process           exits ${report.exits}, unhandled rejections ${report.unhandledRejections}, uncaught exceptions ${report.uncaughtExceptions}, error log lines ${report.errorLogLines}`,
  );
  console.log(
    `heap after GC     ${mib(report.heap.before)} → ${mib(report.heap.after)} MiB (${(report.heap.growth * 100).toFixed(1)} %), RSS ${mib(report.heap.rssBefore)} → ${mib(report.heap.rssAfter)} MiB`,
  );
  for (const s of report.samples) console.log(`  sample: ${s.what}: ${s.detail}`);
  if (values.json) (await import('node:fs')).writeFileSync(values.json, JSON.stringify(report, null, 2));
  const broke = failures(report);
  if (broke.length) {
    console.log(`\nFAIL:\n- ${broke.join('\n- ')}`);
    process.exit(1);
  }
  console.log(
    '\nPASS: no exit, no unhandled rejection, no INTERNAL, heap flat, the normal client answered throughout',
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
