import type { ModerationCommands } from '../../../shared/events';
import { rooms } from '../../../shared/rooms';
import * as m from '../../../shared/schemas/moderation';
import type { CommandTable } from '../../core/handle';
import { actor, joinFeed } from '../../core/realtime';
import type { EventLog } from '../events/events.service';
import type { CasesService } from './cases.service';

export interface QueueSocketDeps {
  cases: CasesService;
  events: EventLog;
}

/** The moderation queue on `/moderation`: follow it, page through it, restore or remove a target. */
export function queueCommands({ cases, events }: QueueSocketDeps) {
  return (table: CommandTable): void => {
    const on = table.typed<ModerationCommands>();
    on('queue:subscribe', m.queueSubscribeInput, async (from, socket) => {
      // Join first, then read the log, as board:subscribe does. The handshake let only staff in.
      await joinFeed(socket, rooms.moderation, { viewer: false });
      return events.resume(rooms.moderation, actor(socket).id, from);
    });
    on('queue:list', m.queueListInput, (input, socket) => cases.list(actor(socket), input));
    on('target:restore', m.targetActionInput, ({ target }, socket) => cases.restore(actor(socket), target));
    on('target:remove', m.targetRemoveInput, (input, socket) => cases.remove(actor(socket), input));
  };
}
