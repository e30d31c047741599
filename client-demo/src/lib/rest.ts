import type { ErrorWire } from '../../../shared/errors';
import type { Ack } from '../../../shared/events';

/**
 * REST calls to Quad's `/api` (same origin). Answers in the same `Ack` shape as socket
 * commands, so screens handle errors one way. A network failure becomes `UNAVAILABLE`.
 */
export async function rest<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<Ack<T>> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    return { ok: false, error: { code: 'UNAVAILABLE', message: 'The server cannot be reached' } };
  }
  if (res.status === 204) return { ok: true, data: undefined as T };
  const body = (await res.json().catch(() => ({}))) as { error?: ErrorWire } & T;
  if (!res.ok) {
    return {
      ok: false,
      error: body.error ?? { code: 'INTERNAL', message: `The server answered ${res.status}` },
    };
  }
  return { ok: true, data: body };
}
