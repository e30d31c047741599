import { z } from 'zod';
import { cursor, epoch, limit, since } from './boards';
import { id, plain, text } from './common';

/**
 * Why something is reported (신고 사유), as students know them from Everytime. The keys travel;
 * the labels are for display, in Korean and English.
 */
export const REPORT_REASONS = {
  offtopic: { ko: '게시판 성격에 부적절함', en: 'Off-topic for this board' },
  abuse: { ko: '욕설/비하', en: 'Abuse or insults' },
  sexual: { ko: '음란물/불건전한 만남 및 대화', en: 'Sexual content or solicitation' },
  spam: { ko: '상업적 광고 및 판매', en: 'Advertising or sales' },
  fraud: { ko: '유출/사칭/사기', en: 'Leak, impersonation or fraud' },
  flooding: { ko: '낚시/놀람/도배', en: 'Clickbait, shock or flooding' },
  political: { ko: '정당/정치인 비하 및 선거운동', en: 'Political disparagement or campaigning' },
} as const;

export type ReportReason = keyof typeof REPORT_REASONS;
export const reportReason = z.enum(Object.keys(REPORT_REASONS) as [ReportReason, ...ReportReason[]]);

/** What can be reported, blocked or acted on. `message` is a 쪽지 (once messages exist). */
export const TARGET_KINDS = ['post', 'comment', 'message'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export const targetRef = z.strictObject({ kind: z.enum(TARGET_KINDS), id });
export type TargetRef = z.infer<typeof targetRef>;

export const reportCreateInput = z.strictObject({
  target: targetRef,
  reason: reportReason,
  detail: text(1, 500).optional(),
});
export type ReportCreateInput = z.infer<typeof reportCreateInput>;

/** Blocks the author of a post, comment or message (차단), without learning who it is. */
export const blockInput = z.strictObject({ target: targetRef });
export const unblockInput = z.strictObject({ blockId: id });

export const ROLES = ['user', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const queueSubscribeInput = z.strictObject({ since: since.optional(), epoch: epoch.optional() });
export const queueListInput = z.strictObject({
  status: z.enum(['open', 'resolved']).default('open'),
  cursor: cursor.optional(),
  limit: limit.default(20),
});
export type QueueListInput = z.infer<typeof queueListInput>;

export const targetActionInput = z.strictObject({ target: targetRef });
export const targetRemoveInput = z.strictObject({ target: targetRef, reason: text(1, 500) });
export type TargetRemoveInput = z.infer<typeof targetRemoveInput>;

/** Suspends the author of `target` (whoever it is: the moderator never learns) for `days`. */
export const suspendInput = z.strictObject({
  target: targetRef,
  days: z.number().int().min(1, 'must be at least 1').max(3650, 'must be at most 3650 (10 years)'),
  reason: text(1, 500),
});
export type SuspendInput = z.infer<typeof suspendInput>;

export const logListInput = z.strictObject({ cursor: cursor.optional(), limit: limit.default(50) });
export type LogListInput = z.infer<typeof logListInput>;

/** Admins only: gives a user a role. */
export const roleSetInput = z.strictObject({
  username: plain().min(1).max(20),
  role: z.enum(ROLES),
});
export type RoleSetInput = z.infer<typeof roleSetInput>;
