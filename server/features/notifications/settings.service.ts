import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type {
  NotificationKind,
  NotificationSettingsDto,
  NotificationType,
  PostMuteDto,
} from '../../../shared/dto';
import type { NotificationSettingsSetInput } from '../../../shared/schemas/notifications';
import type { Actor } from '../../core/auth';
import { NotificationSetting, PostMute } from './settings.model';

export const KINDS: readonly NotificationKind[] = [
  'comment',
  'reply',
  'hot',
  'friend',
  'message',
  'moderation',
];

/** The switch each stored notification type answers to. */
const KIND_OF: Record<NotificationType, NotificationKind> = {
  comment: 'comment',
  reply: 'reply',
  hot: 'hot',
  hidden: 'moderation',
  removed: 'moderation',
};

/** Who hears a change of settings: every socket of the user, on every node (Realtime.users.state). */
export type SettingsSync = (userId: number, settings: NotificationSettingsDto) => void;

/** Per-user notification switches (all on until changed) and muted threads. */
export class NotificationSettings {
  private readonly settings;
  private readonly mutes;

  constructor(
    private readonly db: Sequelize,
    private readonly sync?: SettingsSync,
  ) {
    this.settings = db.getRepository(NotificationSetting);
    this.mutes = db.getRepository(PostMute);
  }

  async get(actor: Actor): Promise<NotificationSettingsDto> {
    return toDto(await this.settings.findByPk(actor.id));
  }

  /** Switches the named kinds, keeps the others; tells the user's other sockets. */
  async set(actor: Actor, input: NotificationSettingsSetInput): Promise<NotificationSettingsDto> {
    const changed = Object.fromEntries(Object.entries(input.kinds).filter(([, v]) => v !== undefined));
    const current = toDto(await this.settings.findByPk(actor.id)).kinds;
    // An upsert of the whole row: a concurrent set of other kinds may be lost (last write wins),
    // and both devices then receive the settings that were stored last.
    const kinds = { ...current, ...changed };
    await this.settings.upsert({ userId: actor.id, ...kinds, updatedAt: new Date() });
    const result: NotificationSettingsDto = { kinds };
    this.sync?.(actor.id, result);
    return result;
  }

  async mute(actor: Actor, postId: number): Promise<PostMuteDto> {
    await this.mutes.bulkCreate([{ userId: actor.id, postId }], { ignoreDuplicates: true });
    return { postId, muted: true };
  }

  async unmute(actor: Actor, postId: number): Promise<PostMuteDto> {
    await this.mutes.destroy({ where: { userId: actor.id, postId } });
    return { postId, muted: false };
  }

  /**
   * Whether a notification of `type` for `userId` is wanted: its kind is on and, for comments
   * and replies, the post's thread is not muted. Reads on the write's transaction.
   */
  async wants(
    tx: Transaction,
    userId: number,
    type: NotificationType,
    postId: number | null,
  ): Promise<boolean> {
    const kind = KIND_OF[type];
    const thread = (type === 'comment' || type === 'reply') && postId !== null;
    // One statement for both: it runs inside a comment's write transaction, once per notification.
    const [row] = await this.db.query<{ off: number | null; muted: number }>(
      `SELECT (SELECT CASE WHEN ${kind} THEN 0 ELSE 1 END FROM notification_settings WHERE userId = :userId) AS off,
              ${thread ? '(SELECT COUNT(*) FROM post_mutes WHERE userId = :userId AND postId = :postId)' : '0'} AS muted`,
      { replacements: { userId, postId }, type: QueryTypes.SELECT, transaction: tx },
    );
    return !Number(row?.off ?? 0) && !Number(row?.muted ?? 0);
  }
}

function toDto(row: NotificationSetting | null): NotificationSettingsDto {
  const kinds = Object.fromEntries(KINDS.map((k) => [k, row ? Boolean(row[k]) : true]));
  return { kinds: kinds as Record<NotificationKind, boolean> };
}
