import type { RequestHandler, Router } from 'express';
import { accountRouter } from './features/accounts/account.http';
import { accountsRouter } from './features/accounts/accounts.http';
import type { AccountsService } from './features/accounts/accounts.service';
import type { AccountDeletion } from './features/accounts/deletion.service';
import type { AccountExport } from './features/accounts/export.service';
import { nicknameRouter } from './features/accounts/nickname.http';
import type { NicknamesService } from './features/accounts/nicknames.service';
import { accountSessionsRouter } from './features/accounts/sessions.http';
import type { SessionsService } from './features/accounts/sessions.service';
import { verificationRouter } from './features/accounts/verification.http';
import type { PasswordResets } from './features/accounts/password-reset.service';
import type { VerificationService } from './features/accounts/verification.service';
import { devOutboxRouter } from './core/dev-outbox';
import type { Mailer } from './core/mail';
import { boardsRouter } from './features/boards/boards.http';
import type { PostQueries } from './features/boards/posts.queries';
import type { CommentsService } from './features/comments/comments.service';
import type { CatalogService } from './features/timetables/catalog.service';
import { catalogRouter } from './features/timetables/timetables.http';

export interface ApiRouterDeps {
  accounts: AccountsService;
  sessions: SessionsService;
  deletion: AccountDeletion;
  exporter: AccountExport;
  nicknames: NicknamesService;
  verification: VerificationService;
  resets: PasswordResets;
  queries: PostQueries;
  comments: CommentsService;
  catalog: CatalogService;
  auth: RequestHandler;
  allowedOrigins: string[];
  /** Set in development only: its outbox (if mail goes there) is served at /api/dev/outbox. */
  mailer?: Mailer;
}

/**
 * Every feature's REST router with the prefix it is mounted at under `/api`: app.ts mounts
 * these, and test/api-docs.test.ts reads the same list to check the OpenAPI document.
 */
export function apiRouters(d: ApiRouterDeps): Array<[string, Router]> {
  const outbox = d.mailer && devOutboxRouter(d.mailer);
  return [
    ['/auth', accountsRouter(d.accounts, d.auth, d.allowedOrigins)],
    ['/account', accountSessionsRouter(d.sessions, d.auth)],
    ['/account', accountRouter(d.deletion, d.exporter, d.auth)],
    ['/account', nicknameRouter(d.nicknames, d.auth)],
    ['/account', verificationRouter(d.verification, d.resets, d.auth)],
    ['', boardsRouter(d.queries, d.comments, d.auth)],
    ['', catalogRouter(d.catalog, d.auth)],
    ...(outbox ? [['/dev', outbox] as [string, Router]] : []),
  ];
}
