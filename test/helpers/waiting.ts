import assert from 'node:assert/strict';

/** Resolves after `ms` milliseconds. */
export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 20 ms until it holds; fails after `ms` (5 s unless told), naming `what`. */
export async function until(check: () => boolean, what = 'the condition', ms = 5_000): Promise<void> {
  for (const started = Date.now(); !check(); await wait(20)) {
    if (Date.now() - started > ms) assert.fail(`timed out waiting for ${what}`);
  }
}
