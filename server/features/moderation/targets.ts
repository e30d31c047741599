import { Op, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ModerationTargetDto } from '../../../shared/dto';
import type { TargetRef } from '../../../shared/schemas/moderation';
import { AppError } from '../../core/errors';
import { Post } from '../boards/post.model';
import { ANONYMOUS, namedAuthor, PostRenderer } from '../boards/render';
import { Comment } from '../comments/comment.model';
import { byPostAuthor, POST_AUTHOR_ANONYMOUS } from '../comments/comments.service';
import { MessageTargets, shownToMember, type MessageTarget } from './message-targets';
import { canSee, type Viewer } from './visibility';

/** A reported (or acted on) post or comment, with the post it belongs to. */
export type ContentTarget =
  { kind: 'post'; row: Post; post: Post } | { kind: 'comment'; row: Comment; post: Post };

/** A post, a comment, or a 쪽지 (message-targets.ts). */
export type Target = ContentTarget | MessageTarget;

/** `post:12`, `comment:7`: a target's key in maps. */
export const keyOf = (ref: { kind: string; id: number }): string => `${ref.kind}:${ref.id}`;

export const refOf = (t: Target): TargetRef => ({ kind: t.kind, id: t.row.id });

/** Who wrote it (null once their account is gone); kept on the server. */
export const authorIdOf = (t: Target): number | null =>
  t.kind === 'message' ? t.row.senderId : t.row.authorId;

/** The NOT_FOUND of a missing target, and of one the asker may not see (the same answer). */
export const missing = (ref: TargetRef) =>
  new AppError('NOT_FOUND', `${capital(ref.kind)} ${ref.id} does not exist`);

/**
 * Whether the viewer may see the target: a post or comment as feeds and threads show it (not
 * hidden from them, not by someone they blocked), a message as its conversation shows it (a
 * member's, not removed, not someone else's withheld one).
 */
export function visibleTo(viewer: Viewer, t: Target): boolean {
  if (t.kind === 'message') return shownToMember(t, viewer.id);
  return canSee(viewer, t.post) && canSee(viewer, t.row);
}

/**
 * Finds, locks and describes the targets of reports and moderation actions. What a moderator
 * is shown names the author only as the thread does (익명, 익명3, 익명(글쓴이), or the
 * nickname of a named author): never an anonymous author's id, username or nickname.
 */
export class Targets {
  private readonly posts;
  private readonly comments;
  private readonly renderer;
  private readonly messages;

  constructor(db: Sequelize) {
    this.posts = db.getRepository(Post);
    this.comments = db.getRepository(Comment);
    this.renderer = new PostRenderer(db);
    this.messages = new MessageTargets(db, this.renderer);
  }

  /**
   * Locks a target for a write (the post first, then the comment: the order comment:create and
   * comment:delete take them in), or NOT_FOUND when it does not exist or is deleted (with
   * `deleted`, a deleted one is returned too). A comment's post is looked up before the
   * transaction (it never changes): no plain read may come before the locks, or on MySQL the
   * transaction's snapshot would predate the writers it waited for. A message is locked alone
   * (`deleted`: removed ones too).
   */
  async lock(
    tx: Transaction,
    ref: TargetRef,
    postOfComment: number | undefined,
    { deleted = false } = {},
  ): Promise<Target> {
    if (ref.kind === 'message') return this.messages.lock(tx, ref.id, { removed: deleted });
    const postId = ref.kind === 'post' ? ref.id : postOfComment;
    if (postId === undefined) throw missing(ref);
    const post = await this.posts.findByPk(postId, { transaction: tx, lock: tx.LOCK.UPDATE });
    if (!post || (post.deletedAt && !deleted)) throw missing(ref);
    if (ref.kind === 'post') return { kind: 'post', row: post, post };
    const comment = await this.comments.findByPk(ref.id, { transaction: tx, lock: tx.LOCK.UPDATE });
    if (!comment || comment.postId !== post.id || (comment.deletedAt && !deleted)) throw missing(ref);
    return { kind: 'comment', row: comment, post };
  }

  /** The post a comment belongs to (undefined if there is no such comment); for `lock`. */
  async postOf(ref: TargetRef): Promise<number | undefined> {
    if (ref.kind !== 'comment') return undefined;
    const comment = await this.comments.findByPk(ref.id, { attributes: ['id', 'postId'] });
    return comment?.postId;
  }

  /** Targets by key (`keyOf`), deleted (removed) ones too; missing ones are left out. */
  async load(refs: TargetRef[]): Promise<Map<string, Target>> {
    const ids = (kind: TargetRef['kind']) => refs.filter((r) => r.kind === kind).map((r) => r.id);
    const commentIds = ids('comment');
    const [comments, messages] = await Promise.all([
      commentIds.length ? this.comments.findAll({ where: { id: { [Op.in]: commentIds } } }) : [],
      this.messages.load(ids('message')),
    ]);
    const postIds = [...new Set([...ids('post'), ...comments.map((c) => c.postId)])];
    const posts = new Map(
      (postIds.length ? await this.posts.findAll({ where: { id: { [Op.in]: postIds } } }) : []).map((p) => [
        p.id,
        p,
      ]),
    );
    const found = new Map<string, Target>();
    for (const id of ids('post')) {
      const post = posts.get(id);
      if (post) found.set(keyOf({ kind: 'post', id }), { kind: 'post', row: post, post });
    }
    for (const c of comments) {
      const post = posts.get(c.postId);
      if (post) found.set(keyOf({ kind: 'comment', id: c.id }), { kind: 'comment', row: c, post });
    }
    for (const m of messages) found.set(keyOf({ kind: 'message', id: m.row.id }), m);
    return found;
  }

  /** What moderators see of each target (one read of nicknames, for named authors only). */
  async describe(targets: Target[], tx?: Transaction): Promise<Map<Target, ModerationTargetDto>> {
    const content = targets.filter((t): t is ContentTarget => t.kind !== 'message');
    const [names, messages] = await Promise.all([
      this.renderer.nicknames(
        content.filter((t) => !t.row.anonymous).map((t) => t.row.authorId),
        tx,
      ),
      this.messages.describe(
        targets.filter((t): t is MessageTarget => t.kind === 'message'),
        tx,
      ),
    ]);
    return new Map(targets.map((t) => [t, t.kind === 'message' ? messages.get(t)! : describe(t, names)]));
  }
}

function describe(t: ContentTarget, names: Map<number, string>): ModerationTargetDto {
  const { row, post } = t;
  let authorName: string;
  if (!row.anonymous) authorName = namedAuthor(row.authorId, names).authorName;
  else if (t.kind === 'post') authorName = ANONYMOUS;
  // The thread's alias: who wrote the post is known to the server only, as in toCommentDto.
  else if (byPostAuthor(t.row, post)) authorName = POST_AUTHOR_ANONYMOUS;
  else authorName = `${ANONYMOUS}${t.row.anonNumber ?? ''}`;
  return {
    kind: t.kind,
    id: row.id,
    boardId: post.boardId,
    postId: post.id,
    title: post.title,
    // The text stays for review even once removed (content is never erased, only hidden).
    content: row.content,
    authorName,
    anonymous: row.anonymous,
    createdAt: row.createdAt.toISOString(),
  };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
