import type { Actor } from '../../core/auth';
import { AppError } from '../../core/errors';
import type { Limiter } from '../../core/ratelimit';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface WriteLimitsOptions {
  /** NEW_ACCOUNT_DAYS: younger accounts may not write on restricted boards; 0 = off. */
  newAccountDays: number;
  /** COMMENT_COOLDOWN, per user across nodes; undefined when off. */
  commentCooldown?: Limiter;
}

/**
 * What a user may write, beyond the per-user socket rate limit and POST_COOLDOWN: young accounts
 * stay off restricted boards (홍보게시판 and the like, `boards.restricted`), and comments are
 * spaced by COMMENT_COOLDOWN.
 */
export class WriteLimits {
  constructor(private readonly options: WriteLimitsOptions) {}

  /** FORBIDDEN `NEW_ACCOUNT` (with `until`: when it may) for a young account on a restricted board. */
  board(actor: Actor, board: { name: string; restricted: boolean }): void {
    const days = this.options.newAccountDays;
    if (!board.restricted || days === 0) return;
    // An actor without createdAt (not a socket's) counts as new: refuse rather than let it through.
    const until = (actor.createdAt ?? Date.now()) + days * DAY_MS;
    if (until <= Date.now()) return;
    throw new AppError(
      'FORBIDDEN',
      `Accounts younger than ${days} days cannot write on ${board.name}; you can from ${new Date(until).toISOString()}`,
      { reason: 'NEW_ACCOUNT', until: new Date(until).toISOString() },
    );
  }

  /** Uses the user's comment cooldown (RATE_LIMITED with retryAfter when it has not passed). */
  async comment(actor: Actor): Promise<void> {
    await this.options.commentCooldown?.consume(String(actor.id));
  }
}
