import { z } from 'zod';
import { cursor, epoch, limit, since } from './boards';
import { id, text } from './common';

/**
 * Where a conversation (쪽지) starts: a post or a comment (to its author, who may be anonymous:
 * neither side learns the other's identity), or a friend (`user`: the friend's id).
 */
export const CONTEXT_KINDS = ['post', 'comment', 'user'] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

export const conversationOpenInput = z.strictObject({
  from: z.strictObject({ kind: z.enum(CONTEXT_KINDS), id }),
});
export type ConversationOpenInput = z.infer<typeof conversationOpenInput>;

/** 1–1,000 characters (code points), trimmed. */
export const messageSendInput = z.strictObject({ conversationId: id, content: text(1, 1000) });
export type MessageSendInput = z.infer<typeof messageSendInput>;

export const conversationRef = z.strictObject({ conversationId: id });
export type ConversationRef = z.infer<typeof conversationRef>;

export const conversationsListInput = z.strictObject({ cursor: cursor.optional(), limit: limit.default(20) });
export type ConversationsListInput = z.infer<typeof conversationsListInput>;

export const messagesListInput = z.strictObject({
  conversationId: id,
  cursor: cursor.optional(),
  limit: limit.default(30),
});
export type MessagesListInput = z.infer<typeof messagesListInput>;

/** `conversations:resume`: my message events (room `user:<id>` on /messages) after `since`. */
export const conversationsResumeInput = z.strictObject({ since, epoch: epoch.optional() });
