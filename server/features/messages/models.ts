import { Conversation, ConversationMember, Message } from './conversation.model';

/** The tables the messages feature owns. */
export const messageModels = [Conversation, ConversationMember, Message];
