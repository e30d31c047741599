import crypto from 'node:crypto';
import { Op } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ResetConfirmInput, ResetRequestInput } from '../../../shared/schemas/verification';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { Mailer } from '../../core/mail';
import type { Limiter } from '../../core/ratelimit';
import type { AccountsService } from './accounts.service';
import { assertUncommonPassword, hashPassword, verifyPassword } from './passwords';
import { Session } from './session.model';
import { revokeSessions } from './sessions.service';
import { User } from './user.model';
import { PasswordReset } from './verification.model';
import { emailKey } from './verification.service';

export interface PasswordResetDeps {
  db: Sequelize;
  accounts: AccountsService;
  mailer: Mailer;
  log: Logger;
  /** Where the dashboard is: the mailed link is `<publicUrl>/#/reset?token=…`. */
  publicUrl: string;
  /** Requests per email and per IP (the same for addresses that exist and those that do not). */
  limits: { perEmail: Limiter; perIp: Limiter };
}

/** How long a reset link works. */
export const RESET_TTL_MS = 30 * 60_000;

const SUBJECT = '[Quad] 비밀번호 재설정 / Reset your password';

/**
 * Password reset by a verified school email: a single-use link token (30 minutes, stored hashed)
 * that sets a new password and ends every session. A request answers the same whether or not the
 * email belongs to an account, and as fast: the token is stored and mailed after the answer.
 */
export class PasswordResets {
  private readonly users;
  private readonly resets;
  private readonly sessions;

  constructor(private readonly deps: PasswordResetDeps) {
    this.users = deps.db.getRepository(User);
    this.resets = deps.db.getRepository(PasswordReset);
    this.sessions = deps.db.getRepository(Session);
  }

  async request(input: ResetRequestInput, ip: string): Promise<void> {
    const key = emailKey(input.email);
    const { perEmail, perIp } = this.deps.limits;
    await Promise.all([perEmail.consume(key), perIp.consume(ip)]);
    const user = await this.users.findOne({
      where: { emailKey: key, verifiedAt: { [Op.ne]: null } },
      attributes: ['id'],
      raw: true,
    });
    if (!user) return;
    void this.send(user.id, input.email).catch((err: unknown) =>
      this.deps.log.warn({ err: (err as Error).message, userId: user.id }, 'password reset mail not sent'),
    );
  }

  /** Sets the new password from a live token; every session of the account ends. Returns how many. */
  async confirm(input: ResetConfirmInput): Promise<number> {
    const tokenHash = hashToken(input.token);
    const reset = await this.resets.findOne({ where: { tokenHash } });
    if (!reset || reset.usedAt || reset.expiresAt.getTime() <= Date.now()) throw invalidToken();
    const user = await this.users.findByPk(reset.userId);
    if (!user) throw invalidToken();
    assertUncommonPassword(input.next, user.username, 'next');
    if (await verifyPassword(user.passwordHash, input.next)) {
      throw AppError.validation({ next: 'must differ from the current password' }, 'Choose a new password');
    }
    const passwordHash = await hashPassword(input.next);
    const now = new Date();
    const ended = await this.deps.db.transaction(async (transaction) => {
      // Claimed with one conditional UPDATE: a token used twice at once works once.
      const [claimed] = await this.resets.update(
        { usedAt: now },
        { where: { id: reset.id, usedAt: { [Op.is]: null } }, transaction },
      );
      if (claimed === 0) throw invalidToken();
      // Any other link mailed before dies with this one.
      await this.resets.update(
        { usedAt: now },
        { where: { userId: user.id, usedAt: { [Op.is]: null } }, transaction },
      );
      await this.users.update({ passwordHash }, { where: { id: user.id }, transaction });
      return revokeSessions(this.sessions, { userId: user.id }, 'password-reset', transaction);
    });
    await this.deps.accounts.revoked(ended);
    return ended.length;
  }

  private async send(userId: number, to: string): Promise<void> {
    const token = crypto.randomBytes(32).toString('base64url');
    await this.resets.create({
      userId,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + RESET_TTL_MS),
    });
    const link = `${this.deps.publicUrl.replace(/\/$/, '')}/#/reset?token=${token}`;
    await this.deps.mailer.send({ to, subject: SUBJECT, text: resetMail(link) });
  }
}

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

function invalidToken(): AppError {
  return AppError.validation(
    { token: 'is invalid, used or expired' },
    'This reset link is invalid, already used or expired; ask for a new one',
  );
}

function resetMail(link: string): string {
  return [
    'Quad 비밀번호를 재설정하려면 30분 안에 아래 링크를 여세요. 한 번만 쓸 수 있습니다.',
    link,
    '요청하지 않았다면 이 메일을 무시하세요. 비밀번호는 바뀌지 않습니다.',
    '',
    'To reset your Quad password, open the link above within 30 minutes. It works once.',
    'If you did not ask for it, ignore this mail: your password stays as it is.',
  ].join('\n');
}
