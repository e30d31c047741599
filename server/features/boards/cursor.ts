import { AppError } from '../../core/errors';

/** Opaque page cursors: the last item's sort value and id, base64url JSON. */
export function encodeCursor(value: number | string, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
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
  throw AppError.validation({ cursor: 'is not a cursor this server gave out' });
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
