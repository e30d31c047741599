import { Op } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { Actor } from '../../core/auth';
import { AppError } from '../../core/errors';
import { Post } from '../boards/post.model';
import type { PostsService } from '../boards/posts.service';
import { Comment } from '../comments/comment.model';
import type { ResumeFilter, StoredEvent } from '../events/events.service';
import { canSee, contentOf, eventVisible, type Viewers, type Visible } from './visibility';

const VISIBLE: (keyof Visible | 'id')[] = ['id', 'authorId', 'hiddenAt', 'hiddenReason'];

/**
 * What the subscribe commands may hand out: a thread only to those who may see its post, and,
 * on a resume with `since`, only the logged events whose posts and comments the viewer may
 * still see (hidden since, or written by an author they blocked, they are left out).
 */
export class FeedVisibility {
  private readonly posts;
  private readonly comments;

  constructor(private readonly deps: { db: Sequelize; viewers: Viewers; posts: PostsService }) {
    this.posts = deps.db.getRepository(Post);
    this.comments = deps.db.getRepository(Comment);
  }

  /** `post:subscribe`: the post exists and this user may see it (NOT_FOUND otherwise, as post:get). */
  async post(actor: Actor, postId: number): Promise<void> {
    const [post, viewer] = await Promise.all([this.deps.posts.live(postId), this.deps.viewers.of(actor)]);
    if (!canSee(viewer, post)) throw new AppError('NOT_FOUND', `Post ${postId} does not exist`);
  }

  /** The resume filter of one user (it reads only when a resume has events to check). */
  for(actor: Actor): ResumeFilter {
    return async (events) => {
      const viewer = await this.deps.viewers.of(actor);
      if (viewer.staff && viewer.blocked.size === 0) return events;
      const rows = await this.rows(events);
      return events.filter((e) => eventVisible(viewer, e, rows));
    };
  }

  /** The posts and comments the events show, as they are now: two or three reads for any number. */
  private async rows(events: StoredEvent[]) {
    const postIds = new Set<number>();
    const commentIds = new Set<number>();
    for (const e of events) {
      const { postId, commentId } = contentOf(e);
      if (postId !== undefined) postIds.add(postId);
      if (commentId !== undefined) commentIds.add(commentId);
    }
    const comments = commentIds.size
      ? await this.comments.findAll({
          where: { id: { [Op.in]: [...commentIds] } },
          attributes: [...VISIBLE, 'postId'],
        })
      : [];
    for (const c of comments) postIds.add(c.postId);
    const posts = postIds.size
      ? await this.posts.findAll({ where: { id: { [Op.in]: [...postIds] } }, attributes: VISIBLE })
      : [];
    return {
      posts: new Map<number, Visible>(posts.map((p) => [p.id, p])),
      comments: new Map<number, Visible>(comments.map((c) => [c.id, c])),
    };
  }
}
