import crypto from 'node:crypto';
import type { Sequelize } from 'sequelize-typescript';
import type { ConversationOpenInput, ContextKind } from '../../../shared/schemas/messages';
import type { Actor } from '../../core/auth';
import { AppError } from '../../core/errors';
import { Post } from '../boards/post.model';
import { ANONYMOUS } from '../boards/render';
import { Comment } from '../comments/comment.model';
import { byPostAuthor, POST_AUTHOR_ANONYMOUS } from '../comments/comments.service';
import { Friendship } from '../friends/friendship.model';
import { canSee, type Viewers } from '../moderation/visibility';

/** Where a conversation starts, as the server knows it (the target's id never leaves the server). */
export interface Context {
  kind: ContextKind;
  contextId: number | null;
  postId: number | null;
  anonymous: boolean;
  /** The author of the post or comment, or the friend. */
  targetId: number;
  /** How each side appears to the other; null: by nickname. */
  openerAlias: string | null;
  targetAlias: string | null;
  /** What makes it one conversation: the context and both sides, keyed (it names nobody). */
  key: string;
}

/**
 * Resolves `conversation:open`'s `from` into a conversation's context: the post's or comment's
 * author as the thread names them (익명(글쓴이) for an anonymous post's author, the comment's
 * alias for an anonymous comment's, the opener 익명), or nicknames for named content and friends.
 * What the opener could not see (deleted, hidden, a blocked author's) is NOT_FOUND like anywhere.
 */
export class Contexts {
  private readonly posts;
  private readonly comments;
  private readonly friendships;

  constructor(
    db: Sequelize,
    private readonly viewers: Viewers,
    /** Keys contextKey (the JWT secret): the stored key cannot be turned back into user ids. */
    private readonly secret: string,
  ) {
    this.posts = db.getRepository(Post);
    this.comments = db.getRepository(Comment);
    this.friendships = db.getRepository(Friendship);
  }

  async resolve(actor: Actor, { from }: ConversationOpenInput): Promise<Context> {
    if (from.kind === 'user') return this.friend(actor, from.id);
    const viewer = await this.viewers.of(actor);
    const what = `${from.kind === 'post' ? 'Post' : 'Comment'} ${from.id}`;
    const comment = from.kind === 'comment' ? await this.comments.findByPk(from.id) : null;
    const post = await this.posts.findByPk(comment ? comment.postId : from.id);
    const row = comment ?? post;
    const gone = (r: Post | Comment | null) => !r || r.deletedAt !== null || !canSee(viewer, r);
    if (!row || !post || gone(post) || gone(row)) throw new AppError('NOT_FOUND', `${what} does not exist`);
    if (row.authorId === null) throw new AppError('NOT_FOUND', `${what} has no author left to write to`);
    if (row.authorId === actor.id) {
      throw AppError.validation({ from: 'is your own' }, 'You cannot send a message to yourself');
    }
    let targetAlias: string | null = null;
    if (row.anonymous) {
      targetAlias = !comment
        ? POST_AUTHOR_ANONYMOUS
        : byPostAuthor(comment, post)
          ? POST_AUTHOR_ANONYMOUS
          : `${ANONYMOUS}${comment.anonNumber ?? ''}`;
    }
    return {
      kind: from.kind,
      contextId: from.id,
      postId: post.id,
      anonymous: row.anonymous,
      targetId: row.authorId,
      openerAlias: row.anonymous ? ANONYMOUS : null,
      targetAlias,
      key: this.key(`${from.kind}:${from.id}:${actor.id}:${row.authorId}`),
    };
  }

  /** A friend (an accepted friendship): anyone else is NOT_FOUND, as if there were nobody. */
  private async friend(actor: Actor, friendId: number): Promise<Context> {
    if (friendId === actor.id) {
      throw AppError.validation({ from: 'is yourself' }, 'You cannot send a message to yourself');
    }
    const [low, high] = actor.id < friendId ? [actor.id, friendId] : [friendId, actor.id];
    const row = await this.friendships.findOne({
      where: { lowUserId: low, highUserId: high, status: 'accepted' },
      attributes: ['id'],
    });
    if (!row) throw new AppError('NOT_FOUND', 'No such friend');
    return {
      kind: 'user',
      contextId: null,
      postId: null,
      anonymous: false,
      targetId: friendId,
      openerAlias: null,
      targetAlias: null,
      // One conversation per pair of friends, whoever opens it.
      key: this.key(`user:${low}:${high}`),
    };
  }

  private key(text: string): string {
    return crypto.createHmac('sha256', this.secret).update(text).digest('hex');
  }
}
