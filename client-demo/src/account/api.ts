import type { RestResponses } from '../../../shared/contract';
import type { SessionDto, VerificationStartedDto, VerifiedDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import type { Ack } from '../../../shared/events';
import { rest } from '../lib/rest';
import { token } from '../lib/session';

/**
 * The account's REST calls (docs/protocol.md §14), with the signed-in session's access token.
 * Each answers an `Ack`, as socket commands do, so the screens handle errors one way.
 */
const authed = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Ack<T>> =>
  rest<T>(method, path, { body, token: token() ?? undefined });

export const changePassword = (current: string, next: string) =>
  authed<{ ended: number }>('POST', '/account/password', { current, next });

export const listSessions = () => authed<{ sessions: SessionDto[] }>('GET', '/account/sessions');
export const endSession = (id: string) =>
  authed<undefined>('DELETE', `/account/sessions/${encodeURIComponent(id)}`);
export const endOtherSessions = () => authed<{ ended: number }>('DELETE', '/account/sessions');

/** A code is on its way (202); the socket has the same as `account:verify:start`. */
export const startVerification = (email: string) =>
  authed<VerificationStartedDto>('POST', '/account/verification', { email });
export const confirmVerification = (code: string) =>
  authed<VerifiedDto>('POST', '/account/verification/confirm', { code });

/** Asking for a reset link answers the same whether or not the email has an account. */
export const requestReset = (email: string) =>
  rest<RestResponses['POST /api/account/password/reset']>('POST', '/account/password/reset', {
    body: { email },
  });
export const confirmReset = (resetToken: string, next: string) =>
  rest<RestResponses['POST /api/account/password/reset/confirm']>('POST', '/account/password/reset/confirm', {
    body: { token: resetToken, next },
  });

export const deleteAccount = (password: string) => authed<undefined>('DELETE', '/account', { password });

/**
 * `GET /api/account/export`, saved as a JSON file through a temporary link (the token goes in
 * a header, so a plain link to the address would not do).
 */
export async function downloadExport(): Promise<Ack<undefined>> {
  let res: Response;
  try {
    res = await fetch('/api/account/export', {
      headers: { authorization: `Bearer ${token() ?? ''}` },
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, error: { code: 'UNAVAILABLE', message: 'The server cannot be reached' } };
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: ErrorWire };
    return {
      ok: false,
      error: body.error ?? { code: 'INTERNAL', message: `The server answered ${res.status}` },
    };
  }
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `quad-export-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { ok: true, data: undefined };
}
