import { Op, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { NotificationDto, NotificationReadDto, NotificationType, Page } from '../../../shared/dto';
import type { NotificationsListInput, NotificationsReadInput } from '../../../shared/schemas/comments';
import type { Actor } from '../../core/auth';
import { decodeCursor, encodeCursor, page } from '../boards/cursor';
import type { Emit } from '../../core/routes';
import { Notification } from './notification.model';
import { NotificationSettings, type SettingsSync } from './settings.service';

export interface NewNotification {
  userId: number;
  type: NotificationType;
  postId: number;
  commentId?: number;
  boardId: number;
  text: string;
  /** As rendered in the thread (익명3, a nickname); never an anonymous author's identity. */
  actorName: string | null;
  /**
   * Who caused it (the commenter), if anyone: a recipient who blocked them gets no notification.
   * Kept on the server only: never stored with the notification nor sent.
   */
  actorId?: number | null;
}

/** Whether a user blocked another (blocks.service.ts); inside a write, reads on its transaction. */
export interface BlockCheck {
  has(blockerId: number, blockedId: number, tx?: Transaction): Promise<boolean>;
}

const PREVIEW = 80;

/** State syncs to every socket of a user, on every node (not logged; see Realtime.users.state). */
export interface NotificationSync {
  read: (userId: number, read: NotificationReadDto) => void;
  settings: SettingsSync;
}

/** Stored notifications, pushed live as `notification` to `user:<id>` on /boards. */
export class NotificationsService {
  private readonly rows;
  /** The user's switches and muted threads, which `add` obeys. */
  readonly settings: NotificationSettings;

  constructor(
    db: Sequelize,
    private readonly blocks?: BlockCheck,
    private readonly sync?: NotificationSync,
  ) {
    this.rows = db.getRepository(Notification);
    this.settings = new NotificationSettings(db, sync?.settings);
  }

  /**
   * Stores a notification inside the caller's transaction and emits its push; none at all when
   * the recipient blocked whoever caused it, switched its kind off or muted the post's thread.
   */
  async add(tx: Transaction, emit: Emit, n: NewNotification): Promise<void> {
    if (n.actorId != null && (await this.blocks?.has(n.userId, n.actorId, tx))) return;
    if (!(await this.settings.wants(tx, n.userId, n.type, n.postId))) return;
    const text = n.text.length > PREVIEW ? `${n.text.slice(0, PREVIEW - 1)}…` : n.text;
    const row = await this.rows.create(
      {
        userId: n.userId,
        type: n.type,
        postId: n.postId,
        commentId: n.commentId ?? null,
        data: JSON.stringify({ boardId: n.boardId, text, actorName: n.actorName }),
      },
      { transaction: tx },
    );
    emit('notificationAdded', { userId: n.userId, notification: toDto(row) });
  }

  async list(actor: Actor, input: NotificationsListInput): Promise<Page<NotificationDto>> {
    const after = decodeCursor(input.cursor);
    const rows = await this.rows.findAll({
      where: { userId: actor.id, ...(after && { id: { [Op.lt]: after.id } }) },
      order: [['id', 'DESC']],
      limit: input.limit + 1,
    });
    const result = page(rows, input.limit, (last) => encodeCursor(last.id, last.id));
    return { items: result.items.map(toDto), nextCursor: result.nextCursor };
  }

  /**
   * Marks some (only the actor's own) or all as read; answers the unread count left, and tells
   * every socket of the user (`notification:read`) so each badge shows it.
   */
  async read(actor: Actor, input: NotificationsReadInput): Promise<{ unread: number }> {
    const which = 'ids' in input ? { id: { [Op.in]: input.ids } } : {};
    await this.rows.update(
      { readAt: new Date() },
      { where: { userId: actor.id, readAt: { [Op.is]: null }, ...which } },
    );
    const unread = await this.unreadCount(actor.id);
    this.sync?.read(actor.id, 'ids' in input ? { ids: input.ids, unread } : { all: true, unread });
    return { unread };
  }

  unreadCount(userId: number): Promise<number> {
    return this.rows.count({ where: { userId, readAt: { [Op.is]: null } } });
  }
}

function toDto(row: Notification): NotificationDto {
  const data = JSON.parse(row.data) as { boardId?: number; text?: string; actorName?: string | null };
  return {
    id: row.id,
    type: row.type as NotificationType,
    postId: row.postId,
    commentId: row.commentId,
    boardId: data.boardId ?? null,
    text: data.text ?? '',
    actorName: data.actorName ?? null,
    read: row.readAt != null,
    createdAt: row.createdAt.toISOString(),
  };
}
