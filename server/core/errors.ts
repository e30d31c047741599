import type { ZodError } from 'zod';
import type { ErrorCode, ErrorWire, TokenProblem } from '../../shared/errors';

export interface AppErrorDetails {
  fields?: Record<string, string>;
  reason?: ErrorWire['reason'];
  retryAfter?: number;
  clash?: ErrorWire['clash'];
  until?: string;
}

/** The one error class: a code, a human message, and details clients may see. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: AppErrorDetails = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(fields: Record<string, string>, message = 'Some fields are invalid'): AppError {
    return new AppError('VALIDATION', message, { fields });
  }

  static unauthenticated(reason: TokenProblem, message: string): AppError {
    return new AppError('UNAUTHENTICATED', message, { reason });
  }

  static fromZod(error: ZodError): AppError {
    // Null prototype: a key like `__proto__` or `constructor` must become a field, not hit Object.prototype.
    const fields: Record<string, string> = Object.create(null);
    for (const issue of error.issues) {
      const key = issue.path.map(String).join('.');
      // Unknown keys are reported once per key, under the key's own name.
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) fields[key ? `${key}.${k}` : k] ??= 'is not an allowed field';
      } else {
        fields[key] ??= issue.message;
      }
    }
    return AppError.validation(fields);
  }
}

const CONNECTION_ERRORS = new Set([
  'SequelizeConnectionError',
  'SequelizeConnectionRefusedError',
  'SequelizeConnectionAcquireTimeoutError',
  'SequelizeConnectionTimedOutError',
  'SequelizeHostNotReachableError',
  'SequelizeHostNotFoundError',
  'SequelizeAccessDeniedError',
  'ConnectionTimeoutError',
  'ClientClosedError',
  'ClientOfflineError',
  'SocketClosedUnexpectedlyError',
  'DisconnectsClientError',
]);

/** Whether an unexpected error means a backing service (database, Redis) is down. */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (CONNECTION_ERRORS.has(err.name)) return true;
  // SQLite reports a locked, unopenable or failing file as a plain database error; mysql2, a
  // connection lost in the middle of a statement.
  const code = (err as { parent?: { code?: string } }).parent?.code ?? (err as { code?: string }).code;
  return typeof code === 'string' && DRIVER_UNAVAILABLE.has(code);
}

const DRIVER_UNAVAILABLE = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ER_SERVER_SHUTDOWN',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
]);

/** Turns any error into what the client may see. Unknown errors say nothing of their cause. */
export function toWire(err: unknown): ErrorWire {
  if (err instanceof AppError) return { code: err.code, message: err.message, ...err.details };
  if (isUnavailable(err))
    return { code: 'UNAVAILABLE', message: 'A backing service is unavailable; try again shortly' };
  return { code: 'INTERNAL', message: 'Something went wrong on our side' };
}
