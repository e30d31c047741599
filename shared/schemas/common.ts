import { z } from 'zod';

/** A positive database id. */
export const id = z
  .number()
  .int()
  .positive()
  .max(2 ** 53 - 1);

/** Payload for commands that take no input: nothing, or an empty object. */
export const empty = z.union([z.undefined(), z.null(), z.strictObject({})]).transform(() => ({}));

/** Trims and NFC-normalises text, so the same Korean word is stored one way. */
export function text(min: number, max: number) {
  return z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z.string().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`),
    );
}
