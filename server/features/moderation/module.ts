import type { Sequelize } from 'sequelize-typescript';
import type { NamespaceName } from '../../../shared/events';
import { rooms } from '../../../shared/rooms';
import type { Role } from '../../../shared/schemas/moderation';
import type { Bus } from '../../core/bus';
import type { Logger } from '../../core/logger';
import type { Realtime } from '../../core/realtime';
import { ACCOUNT_CHANGED } from '../accounts/accounts.service';
import type { PostsService } from '../boards/posts.service';
import type { EventLog } from '../events/events.service';
import type { NotificationsService } from '../notifications/notifications.service';
import { BlocksService, type BlocksDeps } from './blocks.service';
import { Cases } from './cases';
import { CasesService } from './cases.service';
import { FeedVisibility } from './feed-visibility';
import { ModerationLog } from './moderation-log';
import { ReportsService } from './reports.service';
import { SanctionsService } from './sanctions.service';
import { keepModerationStaff } from './sanctions.socket';
import { Targets } from './targets';
import type { Viewers } from './visibility';

/** The namespaces that push posts and comments: a blocker's sockets there hide the blocked authors'. */
const HIDING: readonly NamespaceName[] = ['/boards', '/comments'];

/**
 * Blocks (차단), made first: notifications and what each viewer sees depend on them. A block or
 * an unblock moves the blocker's sockets, on every node, into or out of the blocked author's
 * hide room (EventLog.publish sends that author's content `except` it).
 */
export function blocksService(
  deps: Omit<BlocksDeps, 'onChange'> & { realtime: () => Realtime | undefined },
): BlocksService {
  return new BlocksService({
    ...deps,
    onChange: (blocker, blocked, on) => {
      for (const nsp of HIDING) {
        if (on) deps.realtime()?.joinRoom(nsp, rooms.user(blocker), rooms.hide(blocked));
        else deps.realtime()?.leaveRoom(nsp, rooms.user(blocker), rooms.hide(blocked));
      }
    },
  });
}

/** The hide rooms a user's socket joins on connect, on the namespaces that push content. */
export async function hideRooms(
  blocks: BlocksService,
  userId: number,
  nsp: NamespaceName,
): Promise<string[]> {
  return HIDING.includes(nsp) ? [...(await blocks.of(userId))].map((id) => rooms.hide(id)) : [];
}

export interface ModerationDeps {
  db: Sequelize;
  events: EventLog;
  posts: PostsService;
  notifications: NotificationsService;
  viewers: Viewers;
  bus: Bus;
  log: Logger;
  accounts: { changed(userId: number): void; cachedUser(userId: number): Promise<{ role: Role }> };
  realtime: () => Realtime | undefined;
  /** REPORT_HIDE_THRESHOLD. */
  hideThreshold: number;
}

/** Reports, the queue's actions, what feeds may resume, and sanctions, wired together. */
export function moderationModule(d: ModerationDeps) {
  const log = new ModerationLog(d.db);
  const targets = new Targets(d.db);
  const cases = new Cases(d.db, targets);
  const common = { db: d.db, events: d.events, notifications: d.notifications, log, targets, cases };
  const reports = new ReportsService({ ...common, viewers: d.viewers, hideThreshold: d.hideThreshold });
  const caseActions = new CasesService({ ...common, posts: d.posts });
  const feeds = new FeedVisibility({ db: d.db, viewers: d.viewers, posts: d.posts });
  const sanctions = new SanctionsService({
    db: d.db,
    log,
    changed: (userId) => d.accounts.changed(userId),
    suspended: (userId, suspension) => d.realtime()?.users.suspended(userId, suspension),
  });
  // After AccountsService's own subscription: a demoted moderator leaves /moderation on every node.
  d.bus.subscribe(
    ACCOUNT_CHANGED,
    keepModerationStaff(
      () => d.realtime()?.io.of('/moderation'),
      async (id) => (await d.accounts.cachedUser(id)).role,
      d.log,
    ),
  );
  return { reports, caseActions, feeds, sanctions };
}
