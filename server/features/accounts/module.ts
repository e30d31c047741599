import type { Sequelize } from 'sequelize-typescript';
import type { Bus } from '../../core/bus';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import { Limiter } from '../../core/ratelimit';
import type { Redis } from '../../core/redis';
import { memoryRevocations, redisRevocations } from '../../core/revocation';
import { REVOCATION_MARGIN_MS, Tokens } from '../../core/tokens';
import type { Mailer } from '../../core/mail';
import { AccountsService, revokedSessions } from './accounts.service';
import { PasswordResets } from './password-reset.service';
import { VerificationService } from './verification.service';

export interface AccountsModuleDeps {
  config: Pick<
    Config,
    | 'jwtSecret'
    | 'JWT_ISSUER'
    | 'JWT_AUDIENCE'
    | 'ACCESS_TOKEN_TTL'
    | 'REDIS_PREFIX'
    | 'REFRESH_TOKEN_TTL'
    | 'SESSION_MAX_AGE'
    | 'LOGIN_FAILURE_WINDOW'
    | 'LOGIN_MAX_FAILURES'
    | 'LOGIN_MAX_FAILURES_PER_IP'
  >;
  db: Sequelize;
  redis?: Redis;
  bus: Bus;
  /** The rate limits' Redis (every node counts together), or none: in process. */
  limiterStore: { client: Redis['client']; prefix: string } | undefined;
  log: Logger;
  /** Disconnects a revoked session's sockets on every node. */
  onSessionRevoked: (sid: string) => Promise<void>;
}

/**
 * Tokens (with the revocation list: in Redis, backed by the sessions table, or in process) and
 * the accounts service with its failed-login limits, wired from the configuration.
 */
export function accountsModule(d: AccountsModuleDeps): { tokens: Tokens; accounts: AccountsService } {
  const { config, db, redis } = d;
  const tokens = new Tokens(
    {
      secret: config.jwtSecret,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      accessTtlMs: config.ACCESS_TOKEN_TTL,
    },
    redis
      ? redisRevocations(
          redis.client,
          config.REDIS_PREFIX,
          revokedSessions(db),
          config.ACCESS_TOKEN_TTL + REVOCATION_MARGIN_MS,
          d.log,
        )
      : memoryRevocations(),
  );
  const window = config.LOGIN_FAILURE_WINDOW;
  const accounts = new AccountsService({
    db,
    bus: d.bus,
    tokens,
    refreshTtlMs: config.REFRESH_TOKEN_TTL,
    sessionMaxAgeMs: config.SESSION_MAX_AGE,
    limits: {
      perUserIp: new Limiter(
        { name: 'login-user-ip', points: config.LOGIN_MAX_FAILURES, durationMs: window },
        d.limiterStore,
        'Too many failed logins for this username; try again later',
      ),
      perIp: new Limiter(
        { name: 'login-ip', points: config.LOGIN_MAX_FAILURES_PER_IP, durationMs: window },
        d.limiterStore,
        'Too many failed logins from this address; try again later',
      ),
    },
    onSessionRevoked: d.onSessionRevoked,
    secret: config.jwtSecret,
  });
  return { tokens, accounts };
}

export interface VerificationModuleDeps {
  config: Pick<
    Config,
    | 'jwtSecret'
    | 'SCHOOL_EMAIL_DOMAINS'
    | 'VERIFY_RESEND_INTERVAL'
    | 'RESET_MAX_PER_EMAIL'
    | 'RESET_MAX_PER_IP'
    | 'PUBLIC_URL'
    | 'PORT'
  >;
  db: Sequelize;
  accounts: AccountsService;
  mailer: Mailer;
  limiterStore: AccountsModuleDeps['limiterStore'];
  log: Logger;
}

const HOUR_MS = 3_600_000;

/** School email verification and password reset by mail, wired from the configuration. */
export function verificationModule(d: VerificationModuleDeps): {
  verification: VerificationService;
  resets: PasswordResets;
} {
  const { config, db, accounts, mailer } = d;
  const verification = new VerificationService({
    db,
    accounts,
    mailer,
    domains: config.SCHOOL_EMAIL_DOMAINS,
    resendMs: config.VERIFY_RESEND_INTERVAL,
    secret: config.jwtSecret,
    emailHeld: async (key) => (await accounts.holds.heldUntil('email', key)) !== null,
  });
  const limit = (name: string, points: number) =>
    new Limiter(
      { name, points, durationMs: HOUR_MS },
      d.limiterStore,
      'Too many password reset requests; try again later',
    );
  const resets = new PasswordResets({
    db,
    accounts,
    mailer,
    log: d.log,
    publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    limits: {
      perEmail: limit('reset-email', config.RESET_MAX_PER_EMAIL),
      perIp: limit('reset-ip', config.RESET_MAX_PER_IP),
    },
  });
  return { verification, resets };
}
