import { z } from 'zod';
import { id, text } from './common';
import { cursor, epoch, limit, since } from './boards';

export const postSubscribeInput = z.strictObject({
  postId: id,
  since: since.optional(),
  epoch: epoch.optional(),
});
export type PostSubscribeInput = z.infer<typeof postSubscribeInput>;

export const commentsListInput = z.strictObject({
  postId: id,
  cursor: cursor.optional(),
  limit: limit.default(50),
});
export type CommentsListInput = z.infer<typeof commentsListInput>;

export const commentCreateInput = z.strictObject({
  postId: id,
  content: text(1, 1000),
  /** Reply to this top-level comment (replies are one level deep). */
  parentId: id.optional(),
  anonymous: z.boolean().optional(),
});
export type CommentCreateInput = z.infer<typeof commentCreateInput>;

export const commentRef = z.strictObject({ commentId: id });
export type CommentRef = z.infer<typeof commentRef>;

export const notificationsListInput = z.strictObject({ cursor: cursor.optional(), limit: limit.default(20) });
export type NotificationsListInput = z.infer<typeof notificationsListInput>;

export const notificationsReadInput = z.union([
  z.strictObject({ ids: z.array(id).min(1).max(100) }),
  z.strictObject({ all: z.literal(true) }),
]);
export type NotificationsReadInput = z.infer<typeof notificationsReadInput>;
