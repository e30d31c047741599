import { z } from 'zod';
import { id, plain, text } from './common';

/** Last event id the client has seen; omit on a first subscribe. */
export const since = z
  .number()
  .int()
  .min(0)
  .max(2 ** 53 - 1);

/** The epoch of the history `since` comes from (PushEvent.epoch, ResumeDto.epoch). */
export const epoch = z.string().regex(/^[0-9a-f]{1,32}$/, 'must be the epoch a push or resume returned');

export const cursor = plain().min(1).max(200);
export const limit = z.number().int().min(1, 'must be 1–100').max(100, 'must be 1–100');

export const tagName = text(1, 30);
export const tags = z.array(tagName).max(30, 'at most 30 tags');

export const boardRef = z.strictObject({ boardId: id });
export const boardSubscribeInput = z.strictObject({
  boardId: id,
  since: since.optional(),
  epoch: epoch.optional(),
});
export type BoardSubscribeInput = z.infer<typeof boardSubscribeInput>;

export const POST_ORDERS = ['newest', 'oldest', 'likes', 'comments'] as const;
export type PostOrder = (typeof POST_ORDERS)[number];

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

export const postsListInput = z.strictObject({
  boardId: id,
  /** Username of a named author; anonymous posts never match. */
  author: plain().min(1).max(20).optional(),
  /** Text in the title or the content. */
  q: plain().trim().min(1).max(100).optional(),
  tag: tagName.optional(),
  /** Created at or after (ISO date or date-time). */
  from: isoDate.optional(),
  /** Created before (ISO date-time), or on or before (ISO date). */
  to: isoDate.optional(),
  order: z.enum(POST_ORDERS).default('newest'),
  cursor: cursor.optional(),
  limit: limit.default(20),
});
export type PostsListInput = z.infer<typeof postsListInput>;

export const postRef = z.strictObject({ postId: id });
export type PostRef = z.infer<typeof postRef>;

export const postTitle = text(1, 200);
export const postContent = text(1, 20_000);

export const postCreateInput = z.strictObject({
  boardId: id,
  title: postTitle,
  content: postContent,
  tags: tags.optional(),
  anonymous: z.boolean().optional(),
});
export type PostCreateInput = z.infer<typeof postCreateInput>;

export const postUpdateInput = z
  .strictObject({
    postId: id,
    title: postTitle.optional(),
    content: postContent.optional(),
    tags: tags.optional(),
  })
  .refine((v) => v.title !== undefined || v.content !== undefined || v.tags !== undefined, {
    message: 'give at least one of title, content, tags',
    path: [],
  })
  // The refinement in the API documents, which zod's JSON Schema cannot show.
  .meta({ anyOf: [{ required: ['title'] }, { required: ['content'] }, { required: ['tags'] }] });
export type PostUpdateInput = z.infer<typeof postUpdateInput>;

export const pageInput = z.strictObject({ cursor: cursor.optional(), limit: limit.default(20) });
export type PageInput = z.infer<typeof pageInput>;

export const hotListInput = z.strictObject({
  boardId: id.optional(),
  cursor: cursor.optional(),
  limit: limit.default(20),
});
export type HotListInput = z.infer<typeof hotListInput>;

export const popularTagsInput = z.strictObject({ boardId: id.optional(), limit: limit.default(20) });
export type PopularTagsInput = z.infer<typeof popularTagsInput>;

export const resumeInput = z.strictObject({ since, epoch: epoch.optional() });
export type ResumeInput = z.infer<typeof resumeInput>;
