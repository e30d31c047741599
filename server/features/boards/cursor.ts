import { AppError } from '../../core/errors';

/** Opaque page cursors: the last item's sort value and id, base64url JSON. */
export function encodeCursor(value: number | string, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

const BAD = () => AppError.validation({ cursor: 'is not a cursor this server gave out' });

/** Decodes a cursor whose sort value is a number (counts, ids). */
export function numberCursor(cursor: string | undefined): { value: number; id: number } | undefined {
  const c = decodeCursor(cursor);
  if (c && !Number.isSafeInteger(c.value)) throw BAD();
  return c as { value: number; id: number } | undefined;
}

/** Decodes a cursor whose sort value is an ISO time. */
export function dateCursor(cursor: string | undefined): { value: Date; id: number } | undefined {
  const c = decodeCursor(cursor);
  if (!c) return undefined;
  const at = typeof c.value === 'string' ? new Date(c.value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw BAD();
  return { value: at, id: c.id };
}

export function decodeCursor(cursor: string | undefined): { value: number | string; id: number } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'number' || typeof parsed[0] === 'string') &&
      Number.isSafeInteger(parsed[1])
    ) {
      return { value: parsed[0], id: parsed[1] as number };
    }
  } catch {
    // fall through
  }
  throw BAD();
}

/** Takes one extra row to know whether there is a next page. */
export function page<T>(
  rows: T[],
  limit: number,
  cursorOf: (last: T) => string,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? cursorOf(items[items.length - 1]!) : null };
}
