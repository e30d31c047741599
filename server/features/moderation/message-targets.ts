import { Op, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { HiddenDto, ModerationTargetDto } from '../../../shared/dto';
import { AppError } from '../../core/errors';
import { Post } from '../boards/post.model';
import { ANONYMOUS, DELETED_USER, type PostRenderer } from '../boards/render';
import { Conversation, ConversationMember, Message } from '../messages/conversation.model';

/** A reported (or acted on) 쪽지, with its conversation, both members and the post it started from. */
export interface MessageTarget {
  kind: 'message';
  row: Message;
  conversation: Conversation;
  members: ConversationMember[];
  /** The post the conversation started from (also a comment's); null for friends or once the row is gone. */
  post: Post | null;
}

/** The same answer for a missing message and one the asker may not see: no oracle. */
export const missingMessage = (id: number) => new AppError('NOT_FOUND', `Message ${id} does not exist`);

/**
 * Whether `userId` sees the message as messages:list shows it (render.ts `shownTo`): a member of
 * its conversation, not removed, and not someone else's withheld message.
 */
export function shownToMember(t: MessageTarget, userId: number): boolean {
  if (!t.members.some((m) => m.userId === userId)) return false;
  return t.row.removedAt === null && (!t.row.withheld || t.row.senderId === userId);
}

/** A removed message's `hidden` marker in the queue, as a removed post's (`reason: 'moderator'`). */
export function removedOf(row: Message): HiddenDto | null {
  return row.removedAt ? { at: row.removedAt.toISOString(), reason: 'moderator' } : null;
}

/**
 * The message side of Targets. Moderators see a message's sender as its conversation names them
 * (its alias: 익명, 익명(글쓴이), 익명3; a nickname only in a named conversation): never an
 * anonymous sender's id, username or nickname.
 */
export class MessageTargets {
  private readonly messages;
  private readonly conversations;
  private readonly members;
  private readonly posts;

  constructor(
    db: Sequelize,
    private readonly renderer: PostRenderer,
  ) {
    this.messages = db.getRepository(Message);
    this.conversations = db.getRepository(Conversation);
    this.members = db.getRepository(ConversationMember);
    this.posts = db.getRepository(Post);
  }

  /**
   * Locks a message for a write (its row first: no plain read before it, see Targets.lock), or
   * NOT_FOUND when it does not exist or is removed (with `removed`, a removed one is returned too).
   */
  async lock(tx: Transaction, id: number, { removed = false } = {}): Promise<MessageTarget> {
    const row = await this.messages.findByPk(id, { transaction: tx, lock: tx.LOCK.UPDATE });
    if (!row || (row.removedAt && !removed)) throw missingMessage(id);
    const [target] = await this.complete([row], tx);
    if (!target) throw missingMessage(id);
    return target;
  }

  /** Messages by id, removed ones too; missing ones are left out. */
  async load(ids: number[]): Promise<MessageTarget[]> {
    if (ids.length === 0) return [];
    return this.complete(await this.messages.findAll({ where: { id: { [Op.in]: ids } } }));
  }

  /** What moderators see of each message (one read of nicknames, for named conversations only). */
  async describe(
    targets: MessageTarget[],
    tx?: Transaction,
  ): Promise<Map<MessageTarget, ModerationTargetDto>> {
    const named = targets.filter((t) => !t.conversation.anonymous).map((t) => t.row.senderId);
    const names = await this.renderer.nicknames(named, tx);
    return new Map(targets.map((t) => [t, describe(t, names)]));
  }

  private async complete(rows: Message[], tx?: Transaction): Promise<MessageTarget[]> {
    const ids = [...new Set(rows.map((m) => m.conversationId))];
    if (ids.length === 0) return [];
    const [conversations, members] = await Promise.all([
      this.conversations.findAll({ where: { id: { [Op.in]: ids } }, transaction: tx }),
      this.members.findAll({ where: { conversationId: { [Op.in]: ids } }, transaction: tx }),
    ]);
    const postIds = [...new Set(conversations.flatMap((c) => (c.postId === null ? [] : [c.postId])))];
    const posts = postIds.length
      ? await this.posts.findAll({ where: { id: { [Op.in]: postIds } }, transaction: tx })
      : [];
    return rows.flatMap((row) => {
      const conversation = conversations.find((c) => c.id === row.conversationId);
      if (!conversation) return [];
      return [
        {
          kind: 'message' as const,
          row,
          conversation,
          members: members.filter((m) => m.conversationId === conversation.id),
          post: posts.find((p) => p.id === conversation.postId) ?? null,
        },
      ];
    });
  }
}

function describe(t: MessageTarget, names: Map<number, string>): ModerationTargetDto {
  const { row, conversation } = t;
  const sender = row.senderId === null ? undefined : t.members.find((m) => m.userId === row.senderId);
  let authorName = DELETED_USER;
  if (sender?.alias) authorName = sender.alias;
  // An anonymous conversation's member always has an alias; never fall back to their nickname.
  else if (sender && conversation.anonymous) authorName = ANONYMOUS;
  else if (sender) authorName = names.get(sender.userId) ?? DELETED_USER;
  return {
    kind: 'message',
    id: row.id,
    boardId: null,
    postId: conversation.postId,
    title: t.post?.title ?? null,
    // The text stays for review even once removed (removal only hides it from the members).
    content: row.content,
    authorName,
    anonymous: conversation.anonymous,
    createdAt: row.createdAt.toISOString(),
  };
}
