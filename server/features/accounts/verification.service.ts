import crypto from 'node:crypto';
import { Op, UniqueConstraintError } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { VerificationStartedDto, VerifiedDto } from '../../../shared/dto';
import type { VerifyConfirmInput, VerifyStartInput } from '../../../shared/schemas/verification';
import { AppError } from '../../core/errors';
import type { Mailer } from '../../core/mail';
import type { AccountsService } from './accounts.service';
import { User } from './user.model';
import { EmailVerification } from './verification.model';

export interface VerificationDeps {
  db: Sequelize;
  accounts: AccountsService;
  mailer: Mailer;
  /** SCHOOL_EMAIL_DOMAINS; empty: verification is off. */
  domains: string[];
  /** VERIFY_RESEND_INTERVAL (ms): how soon another code may be mailed. */
  resendMs: number;
  /** Keys the codes' hashes (the JWT secret): a leaked table cannot be brute-forced offline. */
  secret: string;
  /** Whether a deleted account still holds this email (DELETED_ACCOUNT_HOLD_DAYS). */
  emailHeld?: (emailKey: string) => Promise<boolean>;
}

const MINUTE = 60_000;
/** How long a code works. */
export const CODE_TTL_MS = 10 * MINUTE;
/** Wrong codes before the code dies and the account must wait LOCK_MS. */
export const MAX_TRIES = 5;
const LOCK_MS = 15 * MINUTE;
/** Codes mailed per account per hour, whatever VERIFY_RESEND_INTERVAL allows. */
const MAX_SENDS_PER_HOUR = 5;
const HOUR = 60 * MINUTE;

/** The lower-case address: what makes two emails the same account's. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * School email verification: a 6-digit code mailed to an address at one of SCHOOL_EMAIL_DOMAINS
 * (valid 10 minutes, 5 tries, resends limited), confirmed by the account that asked. One email
 * verifies one account at a time (`users.emailKey` is unique). The code is mailed before anything
 * is stored, so a mail server that is down changes nothing (UNAVAILABLE, the old code still works).
 */
export class VerificationService {
  private readonly users;
  private readonly pending;

  constructor(private readonly deps: VerificationDeps) {
    this.users = deps.db.getRepository(User);
    this.pending = deps.db.getRepository(EmailVerification);
  }

  get enabled(): boolean {
    return this.deps.domains.length > 0;
  }

  /** The SCHOOL_EMAIL_DOMAINS entry an address belongs to (the domain itself or a subdomain). */
  schoolOf(key: string): string | undefined {
    const domain = key.slice(key.lastIndexOf('@') + 1);
    return this.deps.domains.find((d) => domain === d || domain.endsWith(`.${d}`));
  }

  async start(userId: number, input: VerifyStartInput): Promise<VerificationStartedDto> {
    const key = emailKey(input.email);
    const school = this.school(key);
    await this.assertFree(userId, key);
    const now = Date.now();
    const row = await this.pending.findByPk(userId);
    if (row) assertMayResend(row, now, this.deps.resendMs);

    const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
    // Mailed first: if the mail server refuses, nothing below runs and nothing was spent.
    await this.deps.mailer.send({ to: input.email, subject: SUBJECT, text: codeMail(code, school) });

    const fresh = !row || row.windowStartedAt.getTime() + HOUR <= now;
    const values = {
      email: input.email,
      emailKey: key,
      codeHash: this.hash(userId, key, code),
      expiresAt: new Date(now + CODE_TTL_MS),
      attempts: 0,
      sends: fresh ? 1 : row.sends + 1,
      windowStartedAt: fresh ? new Date(now) : row.windowStartedAt,
      sentAt: new Date(now),
      lockedUntil: null,
    };
    if (row) await row.update(values);
    else await this.pending.create({ userId, ...values });
    return {
      email: input.email,
      expiresAt: values.expiresAt.toISOString(),
      resendAfter: new Date(now + this.deps.resendMs).toISOString(),
    };
  }

  async confirm(userId: number, input: VerifyConfirmInput): Promise<VerifiedDto> {
    this.assertEnabled();
    const row = await this.pending.findByPk(userId);
    if (!row) throw wrongCode('No code was sent to this account; ask for one first');
    const now = Date.now();
    if (row.lockedUntil && row.lockedUntil.getTime() > now) throw locked(row.lockedUntil, now);
    if (row.expiresAt.getTime() <= now)
      throw wrongCode('The code has expired; ask for a new one', 'has expired');
    if (!same(row.codeHash, this.hash(userId, row.emailKey, input.code))) await this.miss(row, now);

    const verifiedAt = new Date(now);
    const school = this.school(row.emailKey);
    await this.deps.db
      .transaction(async (transaction) => {
        // Conditional on this very code: of two concurrent confirms, one verifies.
        const gone = await this.pending.destroy({ where: { userId, codeHash: row.codeHash }, transaction });
        if (gone === 0) throw wrongCode('The code was already used; ask for a new one', 'was already used');
        await this.users.update(
          { email: row.email, emailKey: row.emailKey, school, verifiedAt },
          { where: { id: userId }, transaction },
        );
      })
      .catch((err: unknown) => {
        throw err instanceof UniqueConstraintError ? emailTaken() : err;
      });
    // The write guard reads the cached user: every node drops it now.
    this.deps.accounts.changed(userId);
    return { email: row.email, school, verifiedAt: verifiedAt.toISOString() };
  }

  private assertEnabled(): void {
    if (!this.enabled) throw new AppError('FORBIDDEN', 'Email verification is not enabled on this server');
  }

  private school(key: string): string {
    this.assertEnabled();
    const school = this.schoolOf(key);
    if (school) return school;
    const list = this.deps.domains.join(', ');
    throw AppError.validation({ email: `must be an address at ${list}` }, `Use your school email (${list})`);
  }

  /** Another account verified with this email, verifying it right now, or deleted with it lately: CONFLICT. */
  private async assertFree(userId: number, key: string): Promise<void> {
    const [holder, verifying, held] = await Promise.all([
      this.users.findOne({ where: { emailKey: key }, attributes: ['id'], raw: true }),
      this.pending.findOne({
        where: { emailKey: key, userId: { [Op.ne]: userId }, expiresAt: { [Op.gt]: new Date() } },
        attributes: ['userId'],
        raw: true,
      }),
      this.deps.emailHeld?.(key) ?? false,
    ]);
    if (holder?.id === userId) {
      throw new AppError('CONFLICT', 'This account is already verified with that email', {
        fields: { email: 'already verifies this account' },
      });
    }
    if (holder || verifying || held) throw emailTaken();
  }

  /** A wrong code: counted (atomically); the last try locks the account out for LOCK_MS. */
  private async miss(row: EmailVerification, now: number): Promise<never> {
    await this.pending.increment('attempts', { where: { userId: row.userId } });
    const attempts =
      (await this.pending.findByPk(row.userId, { attributes: ['attempts'], raw: true }))?.attempts ??
      MAX_TRIES;
    const left = MAX_TRIES - attempts;
    if (left > 0) {
      throw wrongCode(
        `The code is wrong; ${left} ${left === 1 ? 'try' : 'tries'} left`,
        `is wrong (${left} left)`,
      );
    }
    // The code dies with the lock: after it, only a new code works.
    await this.pending.update(
      { lockedUntil: new Date(now + LOCK_MS), codeHash: '' },
      { where: { userId: row.userId } },
    );
    throw wrongCode(
      `The code is wrong and this was the last try; ask for a new code after ${new Date(now + LOCK_MS).toISOString()}`,
      'is wrong (no tries left)',
    );
  }

  private hash(userId: number, key: string, code: string): string {
    return crypto.createHmac('sha256', this.deps.secret).update(`${userId}:${key}:${code}`).digest('hex');
  }
}

const SUBJECT = '[Quad] 학교 이메일 인증 코드 / School email code';

function codeMail(code: string, school: string): string {
  return [
    `Quad 학교 이메일 인증 코드: ${code}`,
    `10분 동안 유효합니다. 요청하지 않았다면 이 메일을 무시하세요.`,
    '',
    `Your Quad verification code for ${school}: ${code}`,
    'It works for 10 minutes. If you did not ask for it, ignore this mail.',
  ].join('\n');
}

/** RATE_LIMITED while locked, too soon after the last code, or past the hour's sends. */
function assertMayResend(row: EmailVerification, now: number, resendMs: number): void {
  if (row.lockedUntil && row.lockedUntil.getTime() > now) throw locked(row.lockedUntil, now);
  const next = Math.max(
    row.sentAt.getTime() + resendMs,
    row.sends >= MAX_SENDS_PER_HOUR ? row.windowStartedAt.getTime() + HOUR : 0,
  );
  if (next > now) {
    const until = new Date(next).toISOString();
    throw new AppError('RATE_LIMITED', `A new code can be sent at ${until}`, {
      retryAfter: Math.ceil((next - now) / 1000),
      until,
    });
  }
}

function locked(until: Date, now: number): AppError {
  return new AppError('RATE_LIMITED', `Too many wrong codes; try again at ${until.toISOString()}`, {
    retryAfter: Math.max(1, Math.ceil((until.getTime() - now) / 1000)),
    until: until.toISOString(),
  });
}

function wrongCode(message: string, problem = 'was not sent'): AppError {
  return AppError.validation({ code: problem }, message);
}

function emailTaken(): AppError {
  return new AppError('CONFLICT', 'That email verifies another account', {
    fields: { email: 'verifies another account' },
  });
}

function same(a: string, b: string): boolean {
  return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
