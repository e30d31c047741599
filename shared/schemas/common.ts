import { z } from 'zod';

/** A positive database id. */
export const id = z
  .number()
  .int()
  .positive()
  .max(2 ** 53 - 1);

/** Payload for commands that take no input: nothing, or an empty object. */
export const empty = z.union([z.undefined(), z.null(), z.strictObject({})]).transform(() => ({}));

/** Characters as people count them: code points, so an emoji or a Hangul syllable is one. */
export function length(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * A string without U+0000. NUL is no text anyone types, and SQLite's statement parser stops at
 * it: a NUL that reached a query there failed it (INTERNAL) instead of being refused.
 *
 * zod's JSON Schema cannot show a refinement: the API documents get this one from the `pattern`
 * metadata. Metadata overrides zod's own keywords there, so a `.regex()` on a plain() string
 * would lose its pattern in them.
 */
export function plain() {
  return z
    .string()
    .refine((s) => !s.includes('\u0000'), 'must not contain the NUL character (U+0000)')
    .meta({ pattern: '^[^\\u0000]*$' });
}

/**
 * Trims and NFC-normalises text, so the same Korean word is stored one way; min/max count code
 * points. The API documents get them as `minLength`/`maxLength` metadata, which count code points
 * too, but of the text as sent (before the trim and NFC), as zod's own `.trim().max()` shows.
 */
export function text(min: number, max: number) {
  return plain()
    .transform((s) => s.normalize('NFC').trim())
    .refine((s) => length(s) >= min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .refine((s) => length(s) <= max, `must be at most ${max} characters`)
    .meta({ minLength: min, maxLength: max });
}

/** A write command's optional `requestId`: a UUID the client makes, the same on every retry. */
export const requestId = z.uuid();
