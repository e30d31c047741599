import { Op, type WhereOptions } from 'sequelize';
import type { HiddenDto } from '../../../shared/dto';
import type { ReportReason } from '../../../shared/schemas/moderation';
import type { Actor } from '../../core/auth';
import { AppError } from '../../core/errors';

/**
 * Who is reading, as far as what they may see goes: hidden posts and comments are shown only to
 * their author (marked hidden, with the reason) and to moderators; a blocked author's are never
 * shown to the blocker.
 */
export interface Viewer {
  id: number;
  staff: boolean;
  /** Authors this viewer blocked (차단). */
  blocked: ReadonlySet<number>;
}

/** The authors a user blocked; the blocks feature answers it (cached). */
export interface BlockedAuthors {
  of(userId: number): Promise<ReadonlySet<number>>;
}

const NONE: ReadonlySet<number> = new Set();

/** Makes the Viewer of an acting user. */
export class Viewers {
  constructor(private readonly blocked?: BlockedAuthors) {}

  async of(actor: Actor): Promise<Viewer> {
    return {
      id: actor.id,
      staff: actor.role === 'moderator' || actor.role === 'admin',
      blocked: this.blocked ? await this.blocked.of(actor.id) : NONE,
    };
  }
}

/** A post or comment row, as far as visibility goes. */
export interface Visible {
  authorId: number | null;
  hiddenAt: Date | null;
  hiddenReason: string | null;
}

/** The rows of `posts` or `comments` this viewer may see (deletion is the caller's own filter). */
export function visibleTo(viewer: Viewer): WhereOptions {
  const clauses: WhereOptions[] = [];
  if (!viewer.staff) clauses.push({ [Op.or]: [{ hiddenAt: { [Op.is]: null } }, { authorId: viewer.id }] });
  if (viewer.blocked.size) {
    clauses.push({
      [Op.or]: [{ authorId: { [Op.is]: null } }, { authorId: { [Op.notIn]: [...viewer.blocked] } }],
    });
  }
  return { [Op.and]: clauses };
}

/** The same rule for one row already read. */
export function canSee(viewer: Viewer, row: Visible): boolean {
  if (row.authorId !== null && viewer.blocked.has(row.authorId)) return false;
  return row.hiddenAt === null || viewer.staff || row.authorId === viewer.id;
}

/** The `hidden` marker of a DTO: set for a hidden row (only its author and moderators get it). */
export function hiddenOf(row: Pick<Visible, 'hiddenAt' | 'hiddenReason'>): HiddenDto | undefined {
  if (!row.hiddenAt) return undefined;
  return {
    at: row.hiddenAt.toISOString(),
    reason: (row.hiddenReason ?? 'moderator') as ReportReason | 'moderator',
  };
}

/**
 * A hidden post or comment takes nothing new (likes, comments, edits): pushes of those would
 * carry it to everyone still in its rooms. Whoever may not see it is told it does not exist;
 * its author and moderators, that it waits for review.
 */
export function assertOpen(actor: Actor, row: Visible, what: string): void {
  if (row.hiddenAt === null) return;
  const sees = actor.role === 'moderator' || actor.role === 'admin' || row.authorId === actor.id;
  if (!sees) throw new AppError('NOT_FOUND', `${what} does not exist`);
  throw new AppError('CONFLICT', `${what} is hidden pending review`);
}

/** A logged event, as far as what it shows goes (see EventLog's StoredEvent). */
export interface ShownEvent {
  type: string;
  data: object;
  authorId?: number | null;
}

/** The posts and comments whose content a logged event carries (what a resume would hand out again). */
export function contentOf(e: ShownEvent): { postId?: number; commentId?: number } {
  const d = e.data as { id?: unknown; postId?: unknown; commentId?: unknown; type?: unknown };
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  switch (e.type) {
    case 'post:created':
    case 'post:updated':
    case 'post:hot':
    case 'post:best':
    case 'post:restored':
      return { postId: num(d.id) };
    case 'comment:created':
    case 'comment:restored':
      return { postId: num(d.postId), commentId: num(d.id) };
    case 'notification':
      // A comment or reply notification quotes someone else's comment; the others are about
      // the recipient's own content (hot, hidden, removed), which its author always sees.
      return d.type === 'comment' || d.type === 'reply'
        ? { postId: num(d.postId), commentId: num(d.commentId) }
        : {};
    default:
      return {};
  }
}

/**
 * Whether a resume may hand a logged event to this viewer again: not the content of a post or
 * comment hidden since (unless theirs, or they moderate), nor anything a blocked author wrote.
 * `rows` holds the posts and comments `contentOf` named, as they are now.
 */
export function eventVisible(
  viewer: Viewer,
  e: ShownEvent,
  rows: { posts: ReadonlyMap<number, Visible>; comments: ReadonlyMap<number, Visible> },
): boolean {
  if (e.authorId != null && viewer.blocked.has(e.authorId)) return false;
  const { postId, commentId } = contentOf(e);
  const post = postId === undefined ? undefined : rows.posts.get(postId);
  const comment = commentId === undefined ? undefined : rows.comments.get(commentId);
  return (!post || canSee(viewer, post)) && (!comment || canSee(viewer, comment));
}
