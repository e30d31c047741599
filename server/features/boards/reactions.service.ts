import type { Sequelize } from 'sequelize-typescript';
import type { PostLikedDto } from '../../../shared/events';
import type { Actor } from '../../core/auth';
import { insertOnce, transaction } from '../../core/db';
import { AppError } from '../../core/errors';
import type { EventLog } from '../events/events.service';
import { assertOpen } from '../moderation/visibility';
import type { NotificationsService } from '../notifications/notifications.service';
import { PostLike, Scrap } from './post.model';
import type { PostsService } from './posts.service';

export interface ReactionsDeps {
  db: Sequelize;
  posts: PostsService;
  events: EventLog;
  notifications: NotificationsService;
  hotThreshold: number;
  bestThreshold: number;
}

/** 공감 (likes), HOT/BEST promotion and scraps. */
export class ReactionsService {
  private readonly likes;
  private readonly scraps;

  constructor(private readonly deps: ReactionsDeps) {
    this.likes = deps.db.getRepository(PostLike);
    this.scraps = deps.db.getRepository(Scrap);
  }

  /**
   * 공감. The post row is locked first, so concurrent likes on several nodes queue on it:
   * the one that reaches the threshold stamps hotAt/bestAt, exactly once.
   */
  async like(actor: Actor, postId: number): Promise<PostLikedDto> {
    return this.deps.events.write(async (tx, emit) => {
      const post = await this.deps.posts.live(postId, tx, true);
      assertOpen(actor, post, `Post ${postId}`);
      if (post.authorId === actor.id) throw new AppError('FORBIDDEN', 'You cannot like your own post');
      await insertOnce(
        this.likes.create({ postId, userId: actor.id }, { transaction: tx }),
        'You already liked this post',
      );
      const likeCount = post.likeCount + 1;
      const now = new Date();
      const reachesHot = post.hotAt == null && likeCount >= this.deps.hotThreshold;
      const becomesHot = reachesHot && (await this.deps.posts.board(post.boardId)).hotEligible;
      const becomesBest = post.bestAt == null && likeCount >= this.deps.bestThreshold;
      await post.update(
        { likeCount, ...(becomesHot && { hotAt: now }), ...(becomesBest && { bestAt: now }) },
        { transaction: tx, silent: true },
      );
      emit('postLiked', { postId, boardId: post.boardId, likeCount });
      if (becomesHot || becomesBest) {
        const dto = await this.deps.posts.renderer.one(post, undefined, tx);
        if (becomesHot) {
          emit('postHot', { post: dto, authorId: post.authorId });
          if (post.authorId !== null) {
            await this.deps.notifications.add(tx, emit, {
              userId: post.authorId,
              type: 'hot',
              postId,
              boardId: post.boardId,
              text: post.title,
              actorName: null,
            });
          }
        }
        if (becomesBest) emit('postBest', { post: dto, authorId: post.authorId });
      }
      return { postId, likeCount };
    });
  }

  async unlike(actor: Actor, postId: number): Promise<PostLikedDto> {
    return this.deps.events.write(async (tx, emit) => {
      const post = await this.deps.posts.live(postId, tx, true);
      const removed = await this.likes.destroy({ where: { postId, userId: actor.id }, transaction: tx });
      if (removed === 0) throw new AppError('CONFLICT', 'You have not liked this post');
      const likeCount = Math.max(0, post.likeCount - 1);
      await post.update({ likeCount }, { transaction: tx, silent: true });
      emit('postLiked', { postId, boardId: post.boardId, likeCount });
      return { postId, likeCount };
    });
  }

  async scrap(actor: Actor, postId: number, on: boolean): Promise<{ postId: number; scrapCount: number }> {
    return transaction(this.deps.db, async (tx) => {
      const post = await this.deps.posts.live(postId, tx, true);
      if (on) {
        await insertOnce(
          this.scraps.create({ postId, userId: actor.id }, { transaction: tx }),
          'You already scrapped this post',
        );
      } else if (
        (await this.scraps.destroy({ where: { postId, userId: actor.id }, transaction: tx })) === 0
      ) {
        throw new AppError('CONFLICT', 'You have not scrapped this post');
      }
      const scrapCount = Math.max(0, post.scrapCount + (on ? 1 : -1));
      await post.update({ scrapCount }, { transaction: tx, silent: true });
      return { postId, scrapCount };
    });
  }
}
