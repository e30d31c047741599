import type { MessagesCommands } from '../../../shared/events';
import * as g from '../../../shared/schemas/messages';
import type { CommandTable } from '../../core/handle';
import { actor } from '../../core/realtime';
import type { MessagesService } from './messages.service';

/** `/messages` (쪽지): parse, call the service, reply. */
export function messagesSocket(deps: { messages: MessagesService }) {
  return (table: CommandTable): void => {
    const { messages } = deps;
    const on = table.typed<MessagesCommands>();
    on('conversation:open', g.conversationOpenInput, (input, socket) => messages.open(actor(socket), input));
    on('message:send', g.messageSendInput, (input, socket) => messages.send(actor(socket), input));
    on('conversation:get', g.conversationRef, ({ conversationId }, socket) =>
      messages.get(actor(socket), conversationId),
    );
    on('conversations:list', g.conversationsListInput, (input, socket) =>
      messages.list(actor(socket), input),
    );
    on('messages:list', g.messagesListInput, (input, socket) => messages.messageList(actor(socket), input));
    on('conversation:read', g.conversationRef, ({ conversationId }, socket) =>
      messages.read(actor(socket), conversationId),
    );
    on('conversation:leave', g.conversationRef, ({ conversationId }, socket) =>
      messages.leave(actor(socket), conversationId),
    );
    on('conversations:resume', g.conversationsResumeInput, (from, socket) =>
      messages.resume(actor(socket), from),
    );
    on('typing', g.conversationRef, ({ conversationId }, socket) =>
      messages.typing(actor(socket), conversationId),
    );
  };
}
