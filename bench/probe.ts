/**
 * Loaded into a Quad process under fuzz or soak (`node --expose-gc --import tsx --import
 * ./bench/probe.ts server/main.ts`), talking to the fuzzer over IPC: it counts unhandled
 * rejections and uncaught exceptions (server/main.ts logs them and goes on; the fuzzer must see
 * them), and answers `heap` with the heap in use after full garbage collections. Nothing of it
 * is in Quad itself.
 */
let unhandled = 0;
let uncaught = 0;
process.on('unhandledRejection', () => unhandled++);
process.on('uncaughtExceptionMonitor', () => uncaught++);

process.on('message', (m: { cmd?: string }) => {
  if (m.cmd === 'counts') process.send?.({ counts: { unhandled, uncaught } });
  if (m.cmd === 'heap') {
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 4; i++) gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    process.send?.({ heap: { heapUsed, rss, uptime: process.uptime() } });
  }
});
// The IPC channel must not keep the process alive on its own, or SIGTERM's exit would wait.
process.channel?.unref();
