import type { Sequelize } from 'sequelize-typescript';
import type { TargetRef } from '../../../shared/schemas/moderation';
import { User } from '../accounts/user.model';
import { ConversationMember, Message } from '../messages/conversation.model';
import { AppError } from '../../core/errors';
import type { Post } from '../boards/post.model';
import type { Comment } from '../comments/comment.model';
import { keyOf, type Targets } from './targets';
import { canSee, type Viewer } from './visibility';

/** Who wrote the blocked thing (kept on the server) and how the blocker saw it (the label). */
export interface BlockTarget {
  authorId: number;
  /** `익명3 in '오늘 학식 뭐임'`: the name as shown in the thread, never an anonymous author's identity. */
  label: string;
}

/** Titles longer than this are cut in a label (code points, so Korean and emoji are never split). */
const TITLE_IN_LABEL = 40;

/**
 * Finds the author of a post or comment for a block, as the blocker may see it: content they
 * cannot see (deleted, hidden, missing) is NOT_FOUND, like anywhere else, and so is content
 * whose author's account is gone (there is no one left to block). The name in the label is the
 * one moderators see too (Targets.describe): as the thread shows it.
 */
export class BlockTargets {
  constructor(
    private readonly targets: Targets,
    private readonly db: Sequelize,
  ) {}

  private sender(viewer: Viewer, id: number): Promise<BlockTarget> {
    return messageSender(this.db, viewer, id);
  }

  async resolve(viewer: Viewer, ref: TargetRef): Promise<BlockTarget> {
    if (ref.kind === 'message') return this.sender(viewer, ref.id);
    const what = `${ref.kind === 'post' ? 'Post' : ref.kind === 'comment' ? 'Comment' : 'Message'} ${ref.id}`;
    const target = (await this.targets.load([ref])).get(keyOf(ref));
    const gone = (row: Post | Comment) => row.deletedAt !== null || !canSee(viewer, row);
    // A message ref never gets here (answered above); the guard narrows the type.
    if (!target || target.kind === 'message' || gone(target.post) || gone(target.row))
      throw new AppError('NOT_FOUND', `${what} does not exist`);
    const authorId = authorOf(target.row.authorId, what);
    const { authorName } = (await this.targets.describe([target])).get(target)!;
    return { authorId, label: label(authorName, target.post.title) };
  }
}

/** The sender of a 쪽지 the viewer received, named as the conversation names them. */
async function messageSender(db: Sequelize, viewer: Viewer, id: number): Promise<BlockTarget> {
  const missing = () => new AppError('NOT_FOUND', `Message ${id} does not exist`);
  const message = await db.getRepository(Message).findByPk(id);
  if (!message || message.removedAt || message.senderId === null) throw missing();
  const members = await db
    .getRepository(ConversationMember)
    .findAll({ where: { conversationId: message.conversationId } });
  // Only a member may block from it; a withheld message was never theirs to see.
  if (!members.some((m) => m.userId === viewer.id) || (message.withheld && message.senderId !== viewer.id))
    throw missing();
  const sender = members.find((m) => m.userId === message.senderId);
  const name =
    sender?.alias ??
    (await db.getRepository(User).findByPk(message.senderId, { attributes: ['nickname'] }))?.nickname;
  return { authorId: message.senderId, label: `${name ?? '?'} in 쪽지` };
}

function authorOf(authorId: number | null, what: string): number {
  if (authorId === null) throw new AppError('NOT_FOUND', `${what} has no author left to block`);
  return authorId;
}

function label(name: string, title: string): string {
  const points = [...title];
  const short = points.length > TITLE_IN_LABEL ? `${points.slice(0, TITLE_IN_LABEL - 1).join('')}…` : title;
  return `${name} in '${short}'`;
}
