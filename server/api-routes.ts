import type { RequestHandler, Router } from 'express';
import { accountsRouter } from './features/accounts/accounts.http';
import type { AccountsService } from './features/accounts/accounts.service';
import { nicknameRouter } from './features/accounts/nickname.http';
import type { NicknamesService } from './features/accounts/nicknames.service';
import { accountSessionsRouter } from './features/accounts/sessions.http';
import type { SessionsService } from './features/accounts/sessions.service';
import { boardsRouter } from './features/boards/boards.http';
import type { PostQueries } from './features/boards/posts.queries';
import type { CommentsService } from './features/comments/comments.service';
import type { CatalogService } from './features/timetables/catalog.service';
import { catalogRouter } from './features/timetables/timetables.http';

export interface ApiRouterDeps {
  accounts: AccountsService;
  sessions: SessionsService;
  nicknames: NicknamesService;
  queries: PostQueries;
  comments: CommentsService;
  catalog: CatalogService;
  auth: RequestHandler;
  allowedOrigins: string[];
}

/**
 * Every feature's REST router with the prefix it is mounted at under `/api`: app.ts mounts
 * these, and test/api-docs.test.ts reads the same list to check the OpenAPI document.
 */
export function apiRouters(d: ApiRouterDeps): Array<[string, Router]> {
  return [
    ['/auth', accountsRouter(d.accounts, d.auth, d.allowedOrigins)],
    ['/account', accountSessionsRouter(d.sessions, d.auth)],
    ['/account', nicknameRouter(d.nicknames, d.auth)],
    ['', boardsRouter(d.queries, d.comments, d.auth)],
    ['', catalogRouter(d.catalog, d.auth)],
  ];
}
