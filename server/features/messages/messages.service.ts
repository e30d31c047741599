import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ConversationDto, ConversationReadDto, MessageDto, Page, ResumeDto } from '../../../shared/dto';
import type {
  ConversationOpenInput,
  ConversationsListInput,
  MessageSendInput,
  MessagesListInput,
} from '../../../shared/schemas/messages';
import { rooms } from '../../../shared/rooms';
import type { Actor } from '../../core/auth';
import { transaction } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Limiter } from '../../core/ratelimit';
import type { EventLog } from '../events/events.service';
import { Conversation, ConversationMember, Message } from './conversation.model';
import type { Contexts } from './contexts';
import { MessageRenderer, shownTo, toMessageDto } from './render';

export interface MessagesDeps {
  db: Sequelize;
  events: EventLog;
  contexts: Contexts;
  /** Whether `blockerId` blocked `blockedId` (차단): their messages are then withheld. */
  blocked: (blockerId: number, blockedId: number, tx?: Transaction) => Promise<boolean>;
  /** MESSAGE_RATE_LIMIT per MESSAGE_RATE_WINDOW, per user across nodes. */
  sendLimit: Limiter;
  /** Pushes to one user's /messages sockets on every node, not logged. */
  push: {
    read: (userId: number, read: ConversationReadDto) => void;
    typing: (userId: number, conversationId: number) => void;
  };
}

/** At most one `typing` push per sender and conversation per this long. */
const TYPING_EVERY_MS = 2_000;

const notFound = () => new AppError('NOT_FOUND', 'No such conversation');

/**
 * 쪽지: conversations opened from a post, a comment or a friend, and their messages. Every push
 * goes to the two members' own rooms (`user:<id>` on /messages), rendered for each: names from
 * the context, never an identity. A conversation one is not in is NOT_FOUND, like one that does
 * not exist. A message to someone who blocked the sender is stored for the sender only: it
 * answers as sent and reaches no one.
 */
export class MessagesService {
  private readonly conversations;
  private readonly members;
  private readonly messages;
  private readonly render;
  /** `conversationId:userId` → when its last typing push went (this node; a hint, not a record). */
  private readonly typed = new Map<string, number>();

  constructor(private readonly deps: MessagesDeps) {
    this.conversations = deps.db.getRepository(Conversation);
    this.members = deps.db.getRepository(ConversationMember);
    this.messages = deps.db.getRepository(Message);
    this.render = new MessageRenderer(deps.db);
  }

  async open(actor: Actor, input: ConversationOpenInput): Promise<ConversationDto> {
    const context = await this.deps.contexts.resolve(actor, input);
    let row = await this.conversations.findOne({ where: { contextKey: context.key } });
    if (!row) {
      const now = new Date();
      row = await transaction(this.deps.db, async (tx) => {
        const made = await this.conversations.create(
          {
            contextKind: context.kind,
            contextId: context.contextId,
            postId: context.postId,
            anonymous: context.anonymous,
            contextKey: context.key,
            lastMessageAt: now,
          },
          { transaction: tx },
        );
        await this.members.bulkCreate(
          [
            { conversationId: made.id, userId: actor.id, alias: context.openerAlias },
            { conversationId: made.id, userId: context.targetId, alias: context.targetAlias },
          ],
          { transaction: tx },
        );
        return made;
      }).catch(async (err: unknown) => {
        // Opened at the same moment elsewhere (another device, another node): theirs is the one.
        if (!(err instanceof UniqueConstraintError)) throw err;
        const theirs = await this.conversations.findOne({ where: { contextKey: context.key } });
        if (!theirs) throw err;
        return theirs;
      });
    }
    const [dto] = await this.render.conversations(actor.id, [row]);
    return dto!;
  }

  async send(actor: Actor, input: MessageSendInput): Promise<MessageDto> {
    await this.deps.sendLimit.consume(String(actor.id));
    return this.deps.events.write(async (tx, emit) => {
      const conversation = await this.conversations.findByPk(input.conversationId, {
        transaction: tx,
        lock: tx.LOCK.UPDATE,
      });
      const members = conversation
        ? await this.members.findAll({ where: { conversationId: conversation.id }, transaction: tx })
        : [];
      if (!conversation || !members.some((m) => m.userId === actor.id)) throw notFound();
      const other = members.find((m) => m.userId !== actor.id);
      if (!other)
        throw new AppError('NOT_FOUND', 'The other side of this conversation deleted their account');
      const withheld = await this.deps.blocked(other.userId, actor.id, tx);
      const message = await this.messages.create(
        { conversationId: conversation.id, senderId: actor.id, content: input.content, withheld },
        { transaction: tx },
      );
      conversation.lastMessageAt = message.createdAt;
      await conversation.save({ transaction: tx });
      // A new message brings a left conversation back, for the sender, and for the recipient if it reaches them.
      await this.members.update(
        { leftAt: null },
        {
          where: {
            conversationId: conversation.id,
            userId: withheld ? [actor.id] : [actor.id, other.userId],
          },
          transaction: tx,
        },
      );
      const to = withheld ? [actor.id] : [actor.id, other.userId];
      const views = await this.render.forViewers(to, [conversation], tx);
      const deliveries = to.map((userId) => {
        const view = views.get(userId)![0]!;
        return {
          userId,
          data: {
            message: toMessageDto(message, userId, { me: view.me, other: view.other }),
            conversation: view,
          },
        };
      });
      emit('messageCreated', { deliveries });
      return deliveries[0]!.data.message;
    });
  }

  async list(actor: Actor, input: ConversationsListInput): Promise<Page<ConversationDto>> {
    const after = input.cursor ? parseCursor(input.cursor) : undefined;
    const mine = await this.members.findAll({
      where: { userId: actor.id },
      attributes: ['conversationId', 'leftAt'],
    });
    if (mine.length === 0) return { items: [], nextCursor: null };
    const rows = await this.conversations.findAll({
      where: {
        id: mine.map((m) => m.conversationId),
        ...(after && {
          [Op.or]: [
            { lastMessageAt: { [Op.lt]: after.at } },
            { lastMessageAt: after.at, id: { [Op.lt]: after.id } },
          ],
        }),
      },
      order: [
        ['lastMessageAt', 'DESC'],
        ['id', 'DESC'],
      ],
    });
    // Left ones stay out until a newer message (sending clears leftAt, so this is the rare case).
    const left = new Map(mine.map((m) => [m.conversationId, m.leftAt]));
    const open = rows.filter((c) => {
      const at = left.get(c.id);
      return !at || c.lastMessageAt > at;
    });
    const page = open.slice(0, input.limit);
    const last = page.at(-1);
    return {
      items: await this.render.conversations(actor.id, page),
      nextCursor: open.length > input.limit && last ? `${last.lastMessageAt.getTime()}:${last.id}` : null,
    };
  }

  async messageList(actor: Actor, input: MessagesListInput): Promise<Page<MessageDto>> {
    await this.member(input.conversationId, actor.id);
    const before = input.cursor ? Number(input.cursor) : undefined;
    if (before !== undefined && !Number.isSafeInteger(before))
      throw AppError.validation({ cursor: 'is not a cursor' });
    const rows = await this.messages.findAll({
      where: {
        conversationId: input.conversationId,
        ...shownTo(actor.id),
        ...(before !== undefined && { id: { [Op.lt]: before } }),
      },
      order: [['id', 'DESC']],
      limit: input.limit + 1,
    });
    const page = rows.slice(0, input.limit);
    return {
      items: await this.render.messageList(actor.id, input.conversationId, page),
      nextCursor: rows.length > input.limit ? String(page.at(-1)!.id) : null,
    };
  }

  /** Marks every message of the conversation read; the badge follows on all my devices. */
  async read(actor: Actor, conversationId: number): Promise<ConversationReadDto> {
    await this.member(conversationId, actor.id);
    const newest = (await this.messages.max<number, Message>('id', { where: { conversationId } })) ?? 0;
    await this.members.update(
      { lastReadId: newest },
      { where: { conversationId, userId: actor.id, lastReadId: { [Op.lt]: newest } } },
    );
    const read = { conversationId, unread: await this.render.unreadTotal(actor.id) };
    this.deps.push.read(actor.id, read);
    return read;
  }

  /** One conversation of mine (a left one too). */
  async get(actor: Actor, conversationId: number): Promise<ConversationDto> {
    await this.member(conversationId, actor.id);
    const row = await this.conversations.findByPk(conversationId);
    if (!row) throw notFound();
    const [dto] = await this.render.conversations(actor.id, [row]);
    return dto!;
  }

  /** The inbox badge: others' messages I have not read, over every conversation. */
  unreadTotal(userId: number): Promise<number> {
    return this.render.unreadTotal(userId);
  }

  async leave(actor: Actor, conversationId: number): Promise<{ conversationId: number }> {
    await this.member(conversationId, actor.id);
    await this.members.update({ leftAt: new Date() }, { where: { conversationId, userId: actor.id } });
    return { conversationId };
  }

  /** Tells the other side I am typing: at most every 2 s, and never to someone who blocked me. */
  async typing(actor: Actor, conversationId: number): Promise<{ conversationId: number }> {
    await this.member(conversationId, actor.id);
    const key = `${conversationId}:${actor.id}`;
    const now = Date.now();
    if (now - (this.typed.get(key) ?? 0) < TYPING_EVERY_MS) return { conversationId };
    this.typed.set(key, now);
    if (this.typed.size > 10_000) this.typed.clear();
    const other = await this.members.findOne({
      where: { conversationId, userId: { [Op.ne]: actor.id } },
      attributes: ['userId'],
    });
    if (other && !(await this.deps.blocked(other.userId, actor.id)))
      this.deps.push.typing(other.userId, conversationId);
    return { conversationId };
  }

  /** My message events after `since` (my room on /messages), in order. */
  resume(actor: Actor, from: { since: number; epoch?: string }): Promise<ResumeDto> {
    return this.deps.events.resume(rooms.user(actor.id), actor.id, from, ['message:created']);
  }

  /** My membership, or NOT_FOUND: someone else's conversation is as unknown as a missing one. */
  private async member(conversationId: number, userId: number): Promise<ConversationMember> {
    const row = await this.members.findOne({ where: { conversationId, userId } });
    if (!row) throw notFound();
    return row;
  }
}

function parseCursor(cursor: string): { at: Date; id: number } {
  const [at, id] = cursor.split(':').map(Number);
  if (!Number.isSafeInteger(at) || !Number.isSafeInteger(id))
    throw AppError.validation({ cursor: 'is not a cursor' });
  return { at: new Date(at!), id: id! };
}
