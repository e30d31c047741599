import type { ModerationLogDto, Page, RoleDto } from '../../../shared/dto';
import type { ModerationCommands } from '../../../shared/events';
import { rooms } from '../../../shared/rooms';
import * as m from '../../../shared/schemas/moderation';
import type { Actor } from '../../core/auth';
import type { CommandTable } from '../../core/handle';
import type { Logger } from '../../core/logger';
import { actor } from '../../core/realtime';
import { isStaff } from './operator';

/** What user:suspend, user:unsuspend, log:list and role:set call (sanctions.service.ts). */
export interface SanctionsApi {
  suspend(actor: Actor, input: m.SuspendInput): Promise<{ until: string }>;
  unsuspend(actor: Actor, target: m.TargetRef): Promise<{ until: null }>;
  log(actor: Actor, input: m.LogListInput): Promise<Page<ModerationLogDto>>;
  setRole(actor: Actor, input: m.RoleSetInput): Promise<RoleDto>;
}

export interface SanctionsSocketDeps {
  sanctions: SanctionsApi;
}

/** Suspensions (moderators and admins), the log and roles (admins only), on `/moderation`. */
export function sanctionCommands({ sanctions }: SanctionsSocketDeps) {
  return (table: CommandTable): void => {
    const on = table.typed<ModerationCommands>();
    on('user:suspend', m.suspendInput, (input, socket) => sanctions.suspend(actor(socket), input));
    on('user:unsuspend', m.targetActionInput, ({ target }, socket) =>
      sanctions.unsuspend(actor(socket), target),
    );
    on('log:list', m.logListInput, (input, socket) => sanctions.log(actor(socket), input));
    on('role:set', m.roleSetInput, (input, socket) => sanctions.setRole(actor(socket), input));
  };
}

/** The sockets of one namespace on this node (a Socket.IO namespace). */
interface LocalSockets {
  adapter: { rooms: Map<string, Set<string>> };
  sockets: Map<string, { disconnect(close?: boolean): unknown }>;
}

/**
 * Keeps `/moderation` for staff: when an account changes (AccountsService.changed, from any node,
 * or `npm run admin` through Redis), each node disconnects that user's `/moderation` sockets of
 * its own if the account is no longer a moderator or admin (or is gone). Subscribed to the same
 * bus message after AccountsService, whose cached copy is dropped by then.
 */
export function keepModerationStaff(
  moderation: () => LocalSockets | undefined,
  roleOf: (userId: number) => Promise<m.Role>,
  log: Logger,
) {
  return (message: unknown): void => {
    const userId = (message as { userId?: unknown }).userId;
    const nsp = moderation();
    if (typeof userId !== 'number' || !nsp) return;
    const ids = nsp.adapter.rooms.get(rooms.user(userId));
    if (!ids?.size) return;
    const here = [...ids];
    roleOf(userId)
      .catch(() => 'user' as const)
      .then((role) => {
        if (isStaff(role)) return;
        for (const id of here) nsp.sockets.get(id)?.disconnect(true);
        log.info({ sockets: here.length }, '/moderation sockets of a former moderator disconnected');
      })
      .catch((err: unknown) => log.warn({ err }, 'moderation staff check failed'));
  };
}
