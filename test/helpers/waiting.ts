import assert from 'node:assert/strict';

/** Resolves after `ms` milliseconds. */
export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` (which may ask the server) every 20 ms until it holds; fails after `ms` (5 s
 * unless told), naming `what`.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  what = 'the condition',
  ms = 5_000,
): Promise<void> {
  for (const started = Date.now(); !(await check()); await wait(20)) {
    if (Date.now() - started > ms) assert.fail(`timed out waiting for ${what}`);
  }
}
