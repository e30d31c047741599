import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ConversationDto, MessageDto } from '../../../shared/dto';
import { DELETED_USER, PostRenderer } from '../boards/render';
import { Post } from '../boards/post.model';
import { Conversation, ConversationMember, Message } from './conversation.model';

/** What one member may see of a conversation's messages: not others' withheld ones, no removed ones. */
export function shownTo(userId: number) {
  return {
    removedAt: { [Op.is]: null },
    [Op.or]: [{ withheld: false }, { senderId: userId }],
  };
}

/**
 * Renders conversations and messages for one member: names as the conversation's context gives
 * them (an alias, or the nickname read now), never an id. A member whose account is gone reads
 * DELETED_USER.
 */
export class MessageRenderer {
  private readonly members;
  private readonly messages;
  private readonly posts;
  private readonly names;

  constructor(private readonly db: Sequelize) {
    this.members = db.getRepository(ConversationMember);
    this.messages = db.getRepository(Message);
    this.posts = db.getRepository(Post);
    this.names = new PostRenderer(db);
  }

  /** Each conversation as `viewerId` sees it, with its last message and unread count. */
  async conversations(viewerId: number, rows: Conversation[], tx?: Transaction): Promise<ConversationDto[]> {
    return (await this.forViewers([viewerId], rows, tx)).get(viewerId) ?? [];
  }

  /**
   * The same conversations as each of `viewers` sees them (a message's two members): what they
   * share (members, nicknames, titles) is read once, their last message and unread count each.
   */
  async forViewers(
    viewers: number[],
    rows: Conversation[],
    tx?: Transaction,
  ): Promise<Map<number, ConversationDto[]>> {
    const out = new Map<number, ConversationDto[]>();
    if (rows.length === 0) return out;
    const ids = rows.map((c) => c.id);
    const { members, nicknames } = await this.people(ids, tx);
    const postIds = rows.map((c) => c.postId).filter((id): id is number => id !== null);
    const titles = new Map(
      (postIds.length
        ? await this.posts.findAll({
            where: { id: postIds, deletedAt: { [Op.is]: null } },
            attributes: ['id', 'title'],
            transaction: tx,
          })
        : []
      ).map((p) => [p.id, p.title]),
    );
    for (const viewerId of viewers) {
      const last = await this.lastMessages(viewerId, ids, tx);
      const unread = await this.unreadBy(viewerId, ids, tx);
      out.set(
        viewerId,
        rows.map((c) => {
          const names = namesIn(members, nicknames, c.id, viewerId);
          const lastRow = last.get(c.id);
          return {
            id: c.id,
            context: {
              kind: c.contextKind,
              postId: c.postId,
              title: c.postId === null ? null : (titles.get(c.postId) ?? null),
            },
            anonymous: c.anonymous,
            me: names.me,
            other: names.other,
            ...(names.otherGone && { otherDeleted: true as const }),
            lastMessage: lastRow ? toMessageDto(lastRow, viewerId, names) : null,
            unread: unread.get(c.id) ?? 0,
            updatedAt: c.lastMessageAt.toISOString(),
          };
        }),
      );
    }
    return out;
  }

  /** One conversation's messages for `viewerId` (its names read once). */
  async messageList(viewerId: number, conversationId: number, rows: Message[]): Promise<MessageDto[]> {
    const { members, nicknames } = await this.people([conversationId]);
    const names = namesIn(members, nicknames, conversationId, viewerId);
    return rows.map((m) => toMessageDto(m, viewerId, names));
  }

  /** Messages from others `userId` has not read, over every conversation of theirs (the badge). */
  async unreadTotal(userId: number, tx?: Transaction): Promise<number> {
    let total = 0;
    for (const n of (await this.unreadBy(userId, undefined, tx)).values()) total += n;
    return total;
  }

  /** The members of these conversations, and the nicknames of those shown by nickname. */
  private async people(ids: number[], tx?: Transaction) {
    const members = await this.members.findAll({ where: { conversationId: ids }, transaction: tx });
    const nicknames = await this.names.nicknames(
      members.filter((m) => m.alias === null).map((m) => m.userId),
      tx,
    );
    return { members, nicknames };
  }

  private async lastMessages(
    viewerId: number,
    ids: number[],
    tx?: Transaction,
  ): Promise<Map<number, Message>> {
    const newest = await this.db.query<{ id: number }>(
      `SELECT MAX(id) AS id FROM messages
       WHERE conversationId IN (:ids) AND removedAt IS NULL AND (withheld = :no OR senderId = :viewerId)
       GROUP BY conversationId`,
      { replacements: { ids, viewerId, no: false }, type: QueryTypes.SELECT, transaction: tx },
    );
    if (newest.length === 0) return new Map();
    const rows = await this.messages.findAll({ where: { id: newest.map((r) => r.id) }, transaction: tx });
    return new Map(rows.map((m) => [m.conversationId, m]));
  }

  /** Others' unread messages per conversation of `viewerId` (these ones, or all of theirs). */
  private async unreadBy(
    viewerId: number,
    ids: number[] | undefined,
    tx?: Transaction,
  ): Promise<Map<number, number>> {
    const rows = await this.db.query<{ conversationId: number; n: number }>(
      `SELECT m.conversationId AS conversationId, COUNT(*) AS n FROM messages m
       JOIN conversation_members cm ON cm.conversationId = m.conversationId AND cm.userId = :viewerId
       WHERE ${ids ? 'm.conversationId IN (:ids) AND ' : ''}m.id > cm.lastReadId
         AND (m.senderId IS NULL OR m.senderId <> :viewerId) AND m.withheld = :no AND m.removedAt IS NULL
       GROUP BY m.conversationId`,
      { replacements: { ids: ids ?? [], viewerId, no: false }, type: QueryTypes.SELECT, transaction: tx },
    );
    return new Map(rows.map((r) => [Number(r.conversationId), Number(r.n)]));
  }
}

/** How the two sides of one conversation are named for `viewerId`. */
function namesIn(
  members: ConversationMember[],
  nicknames: Map<number, string>,
  conversationId: number,
  viewerId: number,
): { me: string; other: string; otherGone: boolean } {
  const mine = members.find((m) => m.conversationId === conversationId && m.userId === viewerId);
  const other = members.find((m) => m.conversationId === conversationId && m.userId !== viewerId);
  return { me: nameOf(mine, nicknames), other: nameOf(other, nicknames), otherGone: !other };
}

function nameOf(member: ConversationMember | undefined, nicknames: Map<number, string>): string {
  if (!member) return DELETED_USER;
  return member.alias ?? nicknames.get(member.userId) ?? DELETED_USER;
}

export function toMessageDto(m: Message, viewerId: number, names: { me: string; other: string }): MessageDto {
  const mine = m.senderId === viewerId;
  return {
    id: m.id,
    conversationId: m.conversationId,
    mine,
    from: mine ? names.me : names.other,
    content: m.content,
    createdAt: m.createdAt.toISOString(),
  };
}
