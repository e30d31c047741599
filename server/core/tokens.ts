import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from './errors';
import type { RevocationList } from './revocation';

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  accessTtlMs: number;
}

/** How much longer than an access token a revocation is kept (clock skew between nodes). */
export const REVOCATION_MARGIN_MS = 60_000;
/** Who a verified access token speaks for. */
export interface AccessClaims {
  userId: number;
  sid: string;
  jti: string;
  /** Expiry, ms since epoch. */
  expiresAt: number;
}

/**
 * Access tokens: HS256 JWTs with `typ: 'access'`. Verification pins the algorithm, issuer
 * and audience, and refuses tokens of revoked sessions. Refresh tokens are not JWTs at all
 * (random strings stored hashed), so one can never pass as an access token.
 */
export class Tokens {
  /**
   * The secret as a KeyObject, made once: given a string, jsonwebtoken first tries it as a
   * public key (and throws) on every sign and verify, the largest cost of a handshake.
   */
  private readonly key: crypto.KeyObject;

  constructor(
    private readonly settings: TokenSettings,
    private readonly revocations: RevocationList,
  ) {
    this.key = crypto.createSecretKey(Buffer.from(settings.secret, 'utf8'));
  }

  signAccess(userId: number, sid: string): { token: string; expiresAt: Date } {
    const seconds = Math.max(1, Math.round(this.settings.accessTtlMs / 1000));
    const token = jwt.sign({ typ: 'access', sid }, this.key, {
      algorithm: 'HS256',
      expiresIn: seconds,
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      subject: String(userId),
      jwtid: crypto.randomUUID(),
    });
    const { exp } = jwt.decode(token) as { exp: number };
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Verifies an access token or throws UNAUTHENTICATED with the reason. */
  async verifyAccess(token: string | undefined): Promise<AccessClaims> {
    if (!token) throw AppError.unauthenticated('TOKEN_MISSING', 'An access token is required');
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
      }) as jwt.JwtPayload;
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) {
        throw AppError.unauthenticated('TOKEN_EXPIRED', 'The access token has expired; refresh it');
      }
      throw AppError.unauthenticated('TOKEN_INVALID', 'The access token is not valid');
    }
    const userId = Number(payload.sub);
    if (
      payload.typ !== 'access' ||
      !Number.isSafeInteger(userId) ||
      userId <= 0 ||
      typeof payload.sid !== 'string' ||
      typeof payload.jti !== 'string' ||
      typeof payload.exp !== 'number'
    ) {
      throw AppError.unauthenticated('TOKEN_INVALID', 'The access token is not valid');
    }
    if (await this.revocations.isRevoked(payload.sid)) {
      throw AppError.unauthenticated('TOKEN_REVOKED', 'This session has ended; log in again');
    }
    return { userId, sid: payload.sid, jti: payload.jti, expiresAt: payload.exp * 1000 };
  }

  /** Refuses this session's access tokens from now on (until they would have expired anyway). */
  revokeSession(sid: string): Promise<void> {
    return this.revocations.revoke(sid, this.settings.accessTtlMs + REVOCATION_MARGIN_MS);
  }
}

/** A new opaque refresh token and the hash that is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
