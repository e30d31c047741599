import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ms, { type StringValue } from 'ms';
import { z } from 'zod';

/** A duration like `15m`, `7d`, `10s` (or a bare number of milliseconds), parsed to ms. */
const duration = z.string().transform((value, ctx) => {
  const parsed = /^\d+$/.test(value) ? Number(value) : ms(value as StringValue);
  if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed <= 0) {
    ctx.addIssue({ code: 'custom', message: `must be a duration like 15m, 7d or 30s (got "${value}")` });
    return z.NEVER;
  }
  return parsed;
});

/** Like `duration`, but `0` (or `off`) switches the feature off. */
const durationOrOff = z
  .string()
  .transform((v) => (v === '0' || v === 'off' ? '0' : v))
  .pipe(z.union([z.literal('0').transform(() => 0), duration]));

/** A size in bytes: `1048576`, `512kb`, `4mb` (multiples of 1024); `0` where the setting allows it. */
const bytes = z.string().transform((value, ctx) => {
  const m = /^(\d+)\s*(b|kb|k|kib|mb|m|mib|gb|g|gib)?$/i.exec(value.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `must be a size like 4mb, 512kb or 65536 (got "${value}")` });
    return z.NEVER;
  }
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  return Number(m[1]) * ({ b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[unit]!;
});

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/**
 * `TRUST_PROXY`: how Express decides which hop is the client. `false` (default) trusts no
 * proxy; a number trusts that many hops; anything else is a comma list of addresses/subnets.
 */
const trustProxy = z.string().transform((v): boolean | number | string[] => {
  const s = v.trim();
  if (s === '' || s === 'false' || s === '0') return false;
  if (/^\d+$/.test(s)) return Number(s);
  if (s === 'true') return 1;
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
});

/** `SCHOOL_EMAIL_DOMAINS`: `snu.ac.kr,yonsei.ac.kr` → lower-case domains; empty: verification off. */
const domains = z.string().transform((v, ctx) => {
  const list = v
    .split(',')
    .map((x) => x.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  const bad = list.find((d) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d));
  if (bad) {
    ctx.addIssue({ code: 'custom', message: `must be domains like snu.ac.kr,yonsei.ac.kr (got "${bad}")` });
    return z.NEVER;
  }
  return list;
});

const origins = z.string().transform((v) =>
  v
    .split(',')
    .map((x) => x.trim().replace(/\/$/, ''))
    .filter(Boolean),
);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(mysql|mariadb|sqlite):/, 'must start with mysql://, mariadb:// or sqlite:')
    .optional(),
  DB_POOL_MAX: int(1, 500).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  /** Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w.-]{1,40}$/, 'must be 1–40 letters, digits, dots, dashes or underscores')
    .default('quad'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters of random data').optional(),
  JWT_ISSUER: z.string().min(1).default('quad'),
  JWT_AUDIENCE: z.string().min(1).default('quad-app'),
  ACCESS_TOKEN_TTL: duration.default(ms('15m')),
  REFRESH_TOKEN_TTL: duration.default(ms('7d')),
  SESSION_MAX_AGE: duration.default(ms('30d')),
  CORS_ORIGINS: origins.default([]),
  TRUST_PROXY: trustProxy.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ALLOW_SQLITE_IN_PRODUCTION: flag.default(false),
  LOGIN_MAX_FAILURES: int(1, 10_000).default(10),
  LOGIN_MAX_FAILURES_PER_IP: int(1, 100_000).default(100),
  LOGIN_FAILURE_WINDOW: duration.default(ms('15m')),
  SHUTDOWN_TIMEOUT: duration.default(ms('10s')),
  HOT_THRESHOLD: int(1, 1_000_000).default(10),
  BEST_THRESHOLD: int(1, 1_000_000).default(100),
  /** Distinct users whose reports (신고) of one post or comment hide it at once, pending review. */
  REPORT_HIDE_THRESHOLD: int(1, 1_000_000).default(5),
  /** Minimum time between two posts of one user on one board; 0 = off. */
  POST_COOLDOWN: durationOrOff.default(0),
  /** Minimum time between two comments of one user (anywhere); 0 = off. */
  COMMENT_COOLDOWN: durationOrOff.default(0),
  /** Accounts younger than this many days may not write on restricted boards; 0 = off. */
  NEW_ACCOUNT_DAYS: int(0, 3650).default(0),
  /** A nickname may change once per this many days (0: any time). */
  NICKNAME_CHANGE_DAYS: int(0, 3650).default(30),
  /** A deleted account's username and school email stay refused to new accounts for this many days. */
  DELETED_ACCOUNT_HOLD_DAYS: int(0, 3650).default(30),
  /** Authors one user may block (차단). */
  MAX_BLOCKS: int(1, 100_000).default(1000),
  /** Users whose blocks each node keeps in memory, each for at most BLOCK_CACHE_TTL. */
  BLOCK_CACHE_SIZE: int(1, 10_000_000).default(50_000),
  /**
   * Blocks made through Quad reach every node's cache at once; this bounds how long a change
   * made around it (SQL by hand, a bus message lost while Redis was away) goes unseen.
   */
  BLOCK_CACHE_TTL: duration.default(ms('60s')),
  /** Events one user may send per SOCKET_RATE_WINDOW, over all their sockets on every node. */
  SOCKET_RATE_LIMIT: int(1, 1_000_000).default(60),
  SOCKET_RATE_WINDOW: duration.default(ms('10s')),
  /**
   * How long a node keeps boards in memory without re-reading them. Changes made through Quad
   * reach every node at once; this bounds how long one made around it (SQL by hand) goes unseen.
   */
  BOARD_CACHE_TTL: duration.default(ms('60s')),
  /**
   * Engine.IO connections one user may hold on one node (a client multiplexing its namespaces
   * over one connection holds one); 0 = no limit.
   */
  MAX_CONNECTIONS_PER_USER: int(0, 1_000_000).default(20),
  /**
   * Engine.IO connections from one client address on one node; 0 = no limit. High on purpose: a
   * campus NAT puts thousands of students behind a few addresses. A flood guard, not a quota.
   */
  MAX_CONNECTIONS_PER_IP: int(0, 10_000_000).default(1000),
  /** Feeds (board:subscribe, post:subscribe, friend:watch) one namespace socket may hold; 0 = no limit. */
  MAX_SUBSCRIPTIONS_PER_SOCKET: int(0, 1_000_000).default(200),
  /**
   * A connection whose unsent data stays above this for SLOW_CONSUMER_MS is a slow consumer:
   * disconnected (it resumes with `since`); 0 = never.
   */
  SLOW_CONSUMER_BUFFER: bytes.default(4 * 1024 ** 2),
  SLOW_CONSUMER_MS: duration.default(ms('5s')),
  /** How long the event log keeps events for resume (`since`). */
  EVENT_LOG_RETENTION: duration.default(ms('7d')),
  /** A resume that would return more events than this answers RESYNC_REQUIRED instead. */
  RESUME_MAX_EVENTS: int(1, 100_000).default(1000),
  /** Readers of posts and boards (`presence:changed`): at most one push per room this often; 0 = off. */
  PRESENCE_INTERVAL: durationOrOff.default(ms('2s')),
  /** A node's readers stop counting this long after its last refresh (a killed node's readers). */
  PRESENCE_TTL: duration.default(ms('30s')),
  /** `GET /metrics` needs `Authorization: Bearer <METRICS_TOKEN>` when set. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Serve `/metrics` on this port (on HOST) instead of the main one. */
  METRICS_PORT: int(1, 65535).optional(),
  /** Turns on the Socket.IO admin UI (`/admin-ui/`, namespace `/admin`) with this password. */
  ADMIN_UI_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  ADMIN_UI_USERNAME: z.string().min(1).max(64).default('admin'),
  /** 쪽지 one user may send per MESSAGE_RATE_WINDOW, over all their sockets and nodes. */
  MESSAGE_RATE_LIMIT: int(1, 100_000).default(30),
  MESSAGE_RATE_WINDOW: duration.default(ms('1m')),
  /** The schools whose email verifies an account (`snu.ac.kr,yonsei.ac.kr`); empty: verification off. */
  SCHOOL_EMAIL_DOMAINS: domains.default([]),
  /** Writing (posts, comments, likes, reports, friend requests) needs a verified school email. */
  REQUIRE_VERIFIED: flag.default(false),
  /** How soon a verification code may be sent again. */
  VERIFY_RESEND_INTERVAL: durationOrOff.default(ms('60s')),
  /** Outgoing mail: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`; unset: the development outbox. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** Password reset requests per email address per hour, and per client IP per hour. */
  RESET_MAX_PER_EMAIL: int(1, 1000).default(3),
  RESET_MAX_PER_IP: int(1, 100_000).default(20),
  /** The From of Quad's mail. */
  MAIL_FROM: z.string().min(3).default('Quad <no-reply@quad.localhost>'),
  /** Where the dashboard is, for links in mail (password reset); unset in development: http://localhost:PORT. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
});

/** Every setting's name (README's Configuration table lists each; test/config.test.ts checks). */
export const SETTINGS = Object.keys(schema.shape);

export type Config = z.infer<typeof schema> & {
  /** The resolved database URL (default: SQLite file in DATA_DIR). */
  databaseUrl: string;
  /** The resolved JWT secret (from JWT_SECRET or the development secret file). */
  jwtSecret: string;
  /** Where the development secret was read from or written to, when used. */
  jwtSecretFile?: string;
};

/** Thrown for a configuration that cannot run; its message is one line naming the variable. */
export class ConfigError extends Error {}

/** Parses the environment once. Throws ConfigError (one line) on anything invalid. */
export function parseEnv(env: NodeJS.ProcessEnv): z.infer<typeof schema> {
  // Empty strings count as unset, so `PORT= npm start` behaves like no PORT at all.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}`);
  }
  return result.data;
}

/**
 * Parses the environment and resolves what has defaults on disk: the SQLite path and the
 * development JWT secret (generated once into DATA_DIR and reused across restarts).
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = parseEnv(env);
  const dataDir = path.resolve(parsed.DATA_DIR);
  const databaseUrl = parsed.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'quad.sqlite')}`;
  const production = parsed.NODE_ENV === 'production';

  if (production && !parsed.JWT_SECRET) {
    throw new ConfigError('Invalid configuration: JWT_SECRET is required when NODE_ENV=production');
  }
  if (production && databaseUrl.startsWith('sqlite:') && !parsed.ALLOW_SQLITE_IN_PRODUCTION) {
    throw new ConfigError(
      'Invalid configuration: DATABASE_URL is SQLite while NODE_ENV=production (set a mysql:// URL, or ALLOW_SQLITE_IN_PRODUCTION=1)',
    );
  }
  if (parsed.PRESENCE_INTERVAL > 0 && parsed.PRESENCE_TTL < 2 * parsed.PRESENCE_INTERVAL) {
    throw new ConfigError('Invalid configuration: PRESENCE_TTL must be at least twice PRESENCE_INTERVAL');
  }
  if (parsed.REFRESH_TOKEN_TTL > parsed.SESSION_MAX_AGE) {
    throw new ConfigError('Invalid configuration: REFRESH_TOKEN_TTL must not be longer than SESSION_MAX_AGE');
  }

  if (production && parsed.SCHOOL_EMAIL_DOMAINS.length > 0 && !(parsed.SMTP_URL && parsed.PUBLIC_URL)) {
    throw new ConfigError(
      'Invalid configuration: SCHOOL_EMAIL_DOMAINS needs SMTP_URL and PUBLIC_URL when NODE_ENV=production (verification codes and reset links are mailed)',
    );
  }
  if (parsed.REQUIRE_VERIFIED && parsed.SCHOOL_EMAIL_DOMAINS.length === 0) {
    throw new ConfigError(
      'Invalid configuration: REQUIRE_VERIFIED needs SCHOOL_EMAIL_DOMAINS (no email could verify)',
    );
  }

  if (parsed.JWT_SECRET) return { ...parsed, databaseUrl, jwtSecret: parsed.JWT_SECRET };
  const jwtSecretFile = path.join(dataDir, 'jwt-secret');
  return { ...parsed, databaseUrl, jwtSecret: developmentSecret(jwtSecretFile), jwtSecretFile };
}

function developmentSecret(file: string): string {
  if (fs.existsSync(file)) {
    const secret = fs.readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
    throw new ConfigError(`Invalid configuration: ${file} holds a JWT secret shorter than 32 characters`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = crypto.randomBytes(48).toString('base64url');
  // `wx` fails if another process created it meanwhile; then read theirs.
  try {
    fs.writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return fs.readFileSync(file, 'utf8').trim();
  }
}
