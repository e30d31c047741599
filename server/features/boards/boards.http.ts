import { Router, type Request, type RequestHandler } from 'express';
import type { RestResponses } from '../../../shared/contract';
import { pageInput, popularTagsInput, postsListInput, postRef } from '../../../shared/schemas/boards';
import { commentsListInput } from '../../../shared/schemas/comments';
import { actorOf } from '../../core/auth';
import { parse, queryInput } from '../../core/http';
import type { CommentsService } from '../comments/comments.service';
import type { PostQueries } from './posts.queries';

function pathId(req: Request): number | string {
  const id = String(req.params.id);
  return /^\d+$/.test(id) ? Number(id) : id;
}

/** REST reads for apps that hold no socket: the same services and schemas as the socket commands. */
export function boardsRouter(posts: PostQueries, comments: CommentsService, auth: RequestHandler): Router {
  const router = Router();

  router.get('/boards', auth, async (_req, res) => {
    res.json({ boards: await posts.listBoards() } satisfies RestResponses['GET /api/boards']);
  });
  router.get('/boards/:id/posts', auth, async (req, res) => {
    const input = parse(postsListInput, { ...queryInput(req, ['limit']), boardId: pathId(req) });
    res.json((await posts.list(actorOf(res), input)) satisfies RestResponses['GET /api/boards/{id}/posts']);
  });
  router.get('/posts/:id', auth, async (req, res) => {
    const { postId } = parse(postRef, { postId: pathId(req) });
    res.json({ post: await posts.get(actorOf(res), postId) } satisfies RestResponses['GET /api/posts/{id}']);
  });
  router.get('/posts/:id/comments', auth, async (req, res) => {
    const input = parse(commentsListInput, { ...queryInput(req, ['limit']), postId: pathId(req) });
    res.json(
      (await comments.list(actorOf(res), input)) satisfies RestResponses['GET /api/posts/{id}/comments'],
    );
  });
  router.get('/tags/popular', auth, async (req, res) => {
    res.json({
      tags: await posts.popularTags(parse(popularTagsInput, queryInput(req, ['boardId', 'limit']))),
    } satisfies RestResponses['GET /api/tags/popular']);
  });
  router.get('/me/posts', auth, async (req, res) => {
    const input = parse(pageInput, queryInput(req, ['limit']));
    res.json((await posts.mine(actorOf(res), input)) satisfies RestResponses['GET /api/me/posts']);
  });
  router.get('/me/comments', auth, async (req, res) => {
    const input = parse(pageInput, queryInput(req, ['limit']));
    res.json((await comments.mine(actorOf(res), input)) satisfies RestResponses['GET /api/me/comments']);
  });
  return router;
}
