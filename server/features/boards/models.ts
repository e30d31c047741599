import { Board } from './board.model';
import { Post, PostLike, Scrap } from './post.model';
import { PostTag, Tag } from './tag.model';

/** The tables the boards feature owns. */
export const boardModels = [Board, Post, PostLike, Scrap, Tag, PostTag];
