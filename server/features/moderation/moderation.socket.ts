import type { CommandTable } from '../../core/handle';
import { queueCommands, type QueueSocketDeps } from './queue.socket';
import { sanctionCommands, type SanctionsSocketDeps } from './sanctions.socket';

export type ModerationSocketDeps = QueueSocketDeps & SanctionsSocketDeps;

/** `/moderation` (moderators and admins; the handshake refuses anyone else): the queue and the sanctions. */
export function moderationSocket(deps: ModerationSocketDeps) {
  return (table: CommandTable): void => {
    queueCommands(deps)(table);
    sanctionCommands(deps)(table);
  };
}
