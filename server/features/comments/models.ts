import { Comment, CommentLike, ThreadAlias } from './comment.model';

/** The tables the comments feature owns. */
export const commentModels = [Comment, CommentLike, ThreadAlias];
