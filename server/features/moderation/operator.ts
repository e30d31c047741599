import type { Sequelize } from 'sequelize-typescript';
import type { Role } from '../../../shared/schemas/moderation';
import { transaction } from '../../core/db';
import { AppError } from '../../core/errors';
import { User } from '../accounts/user.model';
import type { ModerationLog } from './moderation-log';

/** Moderators and admins: they may connect to /moderation. */
export const isStaff = (role: Role): boolean => role === 'moderator' || role === 'admin';

/** Who acts on an account by name: an admin (role:set), or the operator's CLI (`actorId: null`). */
export interface Operator {
  actorId: number | null;
  /** Logged as the reason (e.g. `npm run admin`). */
  reason?: string;
}

export interface RoleChange {
  userId: number;
  username: string;
  role: Role;
  previous: Role;
}

/**
 * Gives a user a role, logged as `role` with `<username>: <old> → <new>` (roles are not
 * anonymous, so the log names the user here). Unchanged roles write nothing. An admin cannot
 * change their own role (another admin or the operator can): no one locks themselves out.
 * The caller tells every node (AccountsService.changed).
 */
export function setRole(db: Sequelize, log: ModerationLog, username: string, role: Role, by: Operator) {
  const users = db.getRepository(User);
  return transaction(db, async (tx): Promise<RoleChange> => {
    const user = await users.findOne({ where: { usernameKey: username.toLowerCase() }, transaction: tx });
    if (!user) throw new AppError('NOT_FOUND', `No user named ${username}`);
    if (user.id === by.actorId)
      throw new AppError('FORBIDDEN', 'You cannot change your own role; another admin can');
    const previous = user.role;
    if (previous !== role) {
      await user.update({ role }, { transaction: tx });
      await log.append(tx, {
        actorId: by.actorId,
        action: 'role',
        detail: `${user.username}: ${previous} → ${role}`,
        reason: by.reason,
      });
    }
    return { userId: user.id, username: user.username, role, previous };
  });
}

/**
 * Lifts a user's suspension by name: the operator's way out when the only admin is suspended
 * (a suspended account cannot send `user:unsuspend`). Logged as `unsuspend` without a target and
 * without the name: a name next to earlier suspensions of posts would tell admins who wrote them.
 */
export function unsuspendByName(db: Sequelize, log: ModerationLog, username: string, by: Operator) {
  const users = db.getRepository(User);
  return transaction(db, async (tx) => {
    const user = await users.findOne({ where: { usernameKey: username.toLowerCase() }, transaction: tx });
    if (!user) throw new AppError('NOT_FOUND', `No user named ${username}`);
    const wasUntil =
      user.suspendedUntil && user.suspendedUntil.getTime() > Date.now() ? user.suspendedUntil : null;
    if (!wasUntil) return { userId: user.id, username: user.username, wasUntil };
    await user.update({ suspendedUntil: null, suspendReason: null }, { transaction: tx });
    await log.append(tx, { actorId: by.actorId, action: 'unsuspend', reason: by.reason });
    return { userId: user.id, username: user.username, wasUntil };
  });
}
