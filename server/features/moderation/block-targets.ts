import type { TargetRef } from '../../../shared/schemas/moderation';
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
  constructor(private readonly targets: Targets) {}

  async resolve(viewer: Viewer, ref: TargetRef): Promise<BlockTarget> {
    const what = `${ref.kind === 'post' ? 'Post' : ref.kind === 'comment' ? 'Comment' : 'Message'} ${ref.id}`;
    const target = (await this.targets.load([ref])).get(keyOf(ref));
    const gone = (row: Post | Comment) => row.deletedAt !== null || !canSee(viewer, row);
    if (!target || gone(target.post) || gone(target.row))
      throw new AppError('NOT_FOUND', `${what} does not exist`);
    const authorId = authorOf(target.row.authorId, what);
    const { authorName } = (await this.targets.describe([target])).get(target)!;
    return { authorId, label: label(authorName, target.post.title) };
  }
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
