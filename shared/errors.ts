/** Every error code Quad returns, on REST and in socket acks alike. */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'RESYNC_REQUIRED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Why a token was refused. Sent as `reason` in 401 bodies and as `data.code` of a socket
 * `connect_error`, so a client knows whether to refresh (`TOKEN_EXPIRED`) or log in again.
 */
export type TokenProblem = 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_REVOKED';

/**
 * Which limit refused a connection (`TOO_MANY_CONNECTIONS`, in a connect_error's `data`) or a
 * subscribe (`TOO_MANY_SUBSCRIPTIONS`, in its ack), with the code RATE_LIMITED and no
 * `retryAfter`: the count goes down only when connections close or feeds are unsubscribed
 * (docs/protocol.md, "Limits").
 */
export type LimitProblem = 'TOO_MANY_CONNECTIONS' | 'TOO_MANY_SUBSCRIPTIONS';

/**
 * Why an account may not do what it asked (FORBIDDEN): suspended by a moderator (with `until`),
 * too new to write on a restricted board (with `until`: when it may), or not verified with a
 * school email while the server has REQUIRE_VERIFIED on.
 */
export type AccountProblem = 'SUSPENDED' | 'NEW_ACCOUNT' | 'UNVERIFIED';

/** The error as it travels: `{ error: ErrorWire }` on REST, `{ ok: false, error: ErrorWire }` in acks. */
export interface ErrorWire {
  code: ErrorCode;
  /** A sentence for humans; never a stack trace or SQL. */
  message: string;
  /** For VALIDATION: offending field path (dot-joined; `""` for the payload itself) → problem. */
  fields?: Record<string, string>;
  /**
   * For UNAUTHENTICATED: which problem the token had; for RATE_LIMITED by a limit: which limit;
   * for FORBIDDEN by the account's state: which.
   */
  reason?: TokenProblem | LimitProblem | AccountProblem;
  /** With `reason: 'SUSPENDED'` or `'NEW_ACCOUNT'`: when writing is allowed again (ISO-8601). */
  until?: string;
  /** For RATE_LIMITED: seconds until a retry can succeed. */
  retryAfter?: number;
  /** For a timetable CONFLICT: the entry already there and where the two overlap. */
  clash?: { entryId: number; title: string; day: string; start: string; end: string };
}

/** The HTTP status each code maps to. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  RESYNC_REQUIRED: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};
