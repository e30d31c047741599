import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import type { Sequelize } from 'sequelize-typescript';
import type { Config } from './core/config';
import { authenticate } from './core/auth';
import { localBus, redisBus } from './core/bus';
import { createDatabase } from './core/db';
import { gate, type HttpGate } from './core/drain';
import { shutdown } from './core/shutdown';
import { ADMIN_NAMESPACE, ADMIN_UI_PATH, mountAdminUi } from './core/admin-ui';
import { createHttpApp } from './core/http';
import { clientIp } from './core/client-ip';
import { RequestKeys } from './core/request-keys';
import { createLogger, type Logger } from './core/logger';
import { createMailer } from './core/mail';
import { Metrics } from './core/metrics';
import { metricsEndpoint, nodeGauges } from './core/node-metrics';
import { Limiter } from './core/ratelimit';
import { realtimeLimits } from './core/limits';
import { Presence } from './core/presence';
import { createRealtime, type Realtime } from './core/realtime';
import { connectRedis, type Redis } from './core/redis';
import { rooms } from '../shared/rooms';
import { SessionsService } from './features/accounts/sessions.service';
import { AccountDeletion } from './features/accounts/deletion.service';
import { AccountExport } from './features/accounts/export.service';
import { accountsModule, verificationModule } from './features/accounts/module';
import { NicknamesService } from './features/accounts/nicknames.service';
import { BoardCache } from './features/boards/board-cache';
import { boardsSocket } from './features/boards/boards.socket';
import { PostQueries } from './features/boards/posts.queries';
import { PostsService } from './features/boards/posts.service';
import { ReactionsService } from './features/boards/reactions.service';
import { CommentsService } from './features/comments/comments.service';
import { commentsSocket } from './features/comments/comments.socket';
import { EventLog } from './features/events/events.service';
import { NotificationsService } from './features/notifications/notifications.service';
import { FriendsService } from './features/friends/friends.service';
import { CatalogService } from './features/timetables/catalog.service';
import { timetablesSocket } from './features/timetables/timetables.socket';
import { TimetableSharing } from './features/timetables/sharing.service';
import { TimetableViews } from './features/timetables/timetable-views';
import { TimetablesService } from './features/timetables/timetables.service';
import { ALL_MODELS } from './features/models';
import { moderationSocket } from './features/moderation/moderation.socket';
import { blocksService, hideRooms, moderationModule } from './features/moderation/module';
import { Viewers } from './features/moderation/visibility';
import { WriteLimits } from './features/moderation/write-limits';
import { Contexts } from './features/messages/contexts';
import { MessagesService } from './features/messages/messages.service';
import { messagesSocket } from './features/messages/messages.socket';
import { migrate } from './migrations';
import { apiRouters } from './api-routes';

/** How often each node deletes events older than EVENT_LOG_RETENTION (idempotent across nodes). */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface App {
  /** Connects, migrates and listens; resolves with the bound port. */
  start(): Promise<{ port: number }>;
  /**
   * Drains, then closes: /readyz and new work answer 503 at once, commands in flight finish,
   * every socket gets `server:draining` and is disconnected, then the database and Redis close,
   * all within SHUTDOWN_TIMEOUT. Safe to call twice.
   */
  stop(): Promise<void>;
  readonly log: Logger;
  /** Available after start (tests reach into them). */
  readonly db: Sequelize;
  readonly realtime: Realtime;
  readonly services: { posts: PostsService; events: EventLog };
}

/** The composition root: config → database → redis → services → HTTP + Socket.IO. */
export function createApp(config: Config, log: Logger = createLogger(config.LOG_LEVEL)): App {
  let db: Sequelize | undefined;
  let redis: Redis | undefined;
  let server: http.Server | undefined;
  let realtime: Realtime | undefined;
  let httpGate: HttpGate | undefined;
  let draining = false;
  let stopping: Promise<void> | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let services: App['services'] | undefined;
  let metricsServer: http.Server | undefined;

  async function start(): Promise<{ port: number }> {
    db = createDatabase({ url: config.databaseUrl, poolMax: config.DB_POOL_MAX, log, models: ALL_MODELS });
    await db.authenticate();
    const applied = await migrate(db, log);
    if (applied.length) log.info({ applied }, 'migrations applied');
    else log.info('migrations up to date');
    if (config.REDIS_URL) redis = await connectRedis(config.REDIS_URL, log);

    const bus = redis ? redisBus(redis, config.REDIS_PREFIX, log) : localBus();
    const limiterStore = redis && { client: redis.client, prefix: config.REDIS_PREFIX };
    const { tokens, accounts } = accountsModule({
      config,
      db,
      redis,
      bus,
      limiterStore,
      log,
      onSessionRevoked: (sid) => realtime?.disconnectSession(sid) ?? Promise.resolve(),
    });

    const mailer = createMailer(config, log);
    const { verification, resets } = verificationModule({ config, db, accounts, mailer, limiterStore, log });

    const metrics = new Metrics();
    const requestKeys = new RequestKeys(db);
    const events = new EventLog(db, {
      requestKeys,
      broadcast: (nsp, room, type, payload, except) => realtime?.broadcast(nsp, room, type, payload, except),
      metrics,
      retentionMs: config.EVENT_LOG_RETENTION,
      maxResume: config.RESUME_MAX_EVENTS,
    });
    await events.load();
    const blocks = blocksService({
      db,
      events,
      bus,
      maxBlocks: config.MAX_BLOCKS,
      cache: { users: config.BLOCK_CACHE_SIZE, ttlMs: config.BLOCK_CACHE_TTL },
      realtime: () => realtime,
    });
    const limits = new WriteLimits({
      newAccountDays: config.NEW_ACCOUNT_DAYS,
      commentCooldown: Limiter.cooldown(
        'comment-cooldown',
        config.COMMENT_COOLDOWN,
        limiterStore,
        'You are commenting too fast; wait a little',
      ),
    });
    const notifications = new NotificationsService(db, blocks, {
      read: (userId, read) => realtime?.users.state(userId, 'notification:read', read),
      settings: (userId, settings) => realtime?.users.state(userId, 'notification:settings', settings),
    });
    const boardCache = new BoardCache(db, config.BOARD_CACHE_TTL, bus);
    const posts = new PostsService({
      db,
      boards: boardCache,
      events,
      limits,
      postCooldown: Limiter.cooldown(
        'post-cooldown',
        config.POST_COOLDOWN,
        limiterStore,
        'You are posting too fast on this board; wait a little',
      ),
    });
    const viewers = new Viewers(blocks);
    const queries = new PostQueries({ db, boards: boardCache, posts, viewers });
    const reactions = new ReactionsService({
      db,
      posts,
      events,
      notifications,
      hotThreshold: config.HOT_THRESHOLD,
      bestThreshold: config.BEST_THRESHOLD,
    });
    services = { posts, events };
    const comments = new CommentsService({ db, events, posts, notifications, viewers, limits });
    const nicknames = new NicknamesService({
      db,
      bus,
      accounts,
      changeDays: config.NICKNAME_CHANGE_DAYS,
      onChanged: (userId, nickname) => realtime?.users.renamed(userId, nickname),
      announce: (userId, renamed) => realtime?.users.renamedPush(userId, renamed),
    });
    const catalog = new CatalogService(db);
    const friends = new FriendsService(db, events, (a, b) => {
      realtime?.leaveRoom('/timetables', rooms.user(a), rooms.watch(b));
      realtime?.leaveRoom('/timetables', rooms.user(b), rooms.watch(a));
    });
    const { reports, caseActions, feeds, sanctions } = moderationModule({
      db,
      events,
      posts,
      notifications,
      viewers,
      bus,
      log,
      accounts,
      realtime: () => realtime,
      hideThreshold: config.REPORT_HIDE_THRESHOLD,
    });
    const messages = new MessagesService({
      db,
      events,
      contexts: new Contexts(db, viewers, config.jwtSecret),
      blocked: (blocker, blockedId, tx) => blocks.has(blocker, blockedId, tx),
      sendLimit: new Limiter(
        { name: 'messages', points: config.MESSAGE_RATE_LIMIT, durationMs: config.MESSAGE_RATE_WINDOW },
        limiterStore,
        'You are sending messages too fast; wait a little',
      ),
      push: {
        read: (userId, read) => realtime?.users.messages(userId, 'conversation:read', read),
        typing: (userId, conversationId) => realtime?.users.messages(userId, 'typing', { conversationId }),
      },
    });
    const views = new TimetableViews(db, catalog);
    const timetables = new TimetablesService({ db, events, catalog, views });
    const sharing = new TimetableSharing({ db, catalog, friends, views });
    pruneTimer = setInterval(() => {
      events.prune().catch((err: unknown) => log.warn({ err }, 'event log prune failed'));
      requestKeys.prune().catch((err: unknown) => log.warn({ err }, 'request key prune failed'));
    }, PRUNE_EVERY_MS);
    pruneTimer.unref();

    const auth = authenticate(tokens, (id) => accounts.user(id), config.CORS_ORIGINS);
    const sessions = new SessionsService({ db, accounts, refreshTtlMs: config.REFRESH_TOKEN_TTL });
    const deletion = new AccountDeletion({ db, accounts, holdDays: config.DELETED_ACCOUNT_HOLD_DAYS, log });
    const renderer = posts.renderer;
    const exporter = new AccountExport({
      ...{ db, accounts, sessions, renderer, views },
      ...{ notifications, friends, blocks },
    });
    const api = Router();
    const routers = apiRouters({
      accounts,
      sessions,
      deletion,
      exporter,
      nicknames,
      verification,
      resets,
      queries,
      comments,
      catalog,
      auth,
      allowedOrigins: config.CORS_ORIGINS,
      // The development outbox's mails, only where nobody but the developer reads them.
      mailer: config.NODE_ENV === 'development' ? mailer : undefined,
    });
    for (const [prefix, router] of routers) api.use(prefix || '/', router);

    const database = db;
    nodeGauges(metrics, { db, redis, io: () => realtime?.io });
    // Readers of the feed rooms (rooms.board, rooms.post) on their own namespace.
    const presence = new Presence({
      intervalMs: config.PRESENCE_INTERVAL,
      ttlMs: config.PRESENCE_TTL,
      rooms: {
        '/boards': (room) => /^board:\d+$/.test(room),
        '/comments': (room) => /^post:\d+$/.test(room),
      },
      redis,
      prefix: config.REDIS_PREFIX,
      log,
      metrics,
    });
    const endpoint = await metricsEndpoint(metrics, config, log);
    metricsServer = endpoint.server;
    const app = createHttpApp({
      metrics: endpoint.here,
      config,
      log,
      api,
      ready: async () => {
        await database.query('SELECT 1');
      },
      health: () => ({ redis: redis ? (redis.up() ? 'up' : 'down') : 'off' }),
      draining: () => draining,
      adminUi: config.ADMIN_UI_PASSWORD !== undefined,
    });
    server = http.createServer(app);
    realtime = createRealtime(server, {
      tokens,
      loadUser: (id) => accounts.cachedUser(id),
      requireVerified: config.REQUIRE_VERIFIED,
      allowedOrigins: config.CORS_ORIGINS,
      redis,
      redisPrefix: config.REDIS_PREFIX,
      presence,
      log,
      metrics,
      requestKeys,
      draining: () => draining,
      unreadCount: (userId) => notifications.unreadCount(userId),
      unreadMessages: (userId) => messages.unreadTotal(userId),
      clientIp: clientIp(app),
      limits: realtimeLimits(config),
      socketLimiter: new Limiter(
        { name: 'socket', points: config.SOCKET_RATE_LIMIT, durationMs: config.SOCKET_RATE_WINDOW },
        limiterStore,
        'Too many events from this account; slow down',
      ),
      // Each author the user blocked: pushes of their content skip these rooms (EventLog.publish).
      rooms: (userId, nsp) => hideRooms(blocks, userId, nsp),
      features: {
        '/boards': boardsSocket({
          ...{ posts, queries, reactions, notifications, events, reports, blocks, feeds },
          ...{ comments, nicknames, verification, presence },
        }),
        '/comments': commentsSocket({ comments, posts, events, reports, blocks, feeds, presence }),
        '/timetables': timetablesSocket({ catalog, timetables, sharing, friends, events }),
        '/moderation': moderationSocket({ sanctions, cases: caseActions, events }),
        '/messages': messagesSocket({ messages }),
      },
    });
    if (config.ADMIN_UI_PASSWORD) {
      mountAdminUi(realtime.io, { username: config.ADMIN_UI_USERNAME, password: config.ADMIN_UI_PASSWORD });
      log.info({ path: `${ADMIN_UI_PATH}/`, namespace: ADMIN_NAMESPACE }, 'Socket.IO admin UI is on');
    }

    // After Socket.IO, which hooks the server's events itself: the gate goes in front of both.
    httpGate = gate(server, () => draining);

    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(config.PORT, config.HOST, () => resolve());
    });
    const { port } = listening.address() as AddressInfo;
    log.info({ port, database: db.getDialect(), redis: Boolean(redis) }, 'quad listening');
    return { port };
  }

  async function stop(): Promise<void> {
    stopping ??= (async () => {
      draining = true;
      clearInterval(pruneTimer);
      await shutdown({
        budgetMs: config.SHUTDOWN_TIMEOUT,
        log,
        server,
        metricsServer,
        httpGate,
        realtime,
        redis,
        db,
      });
    })();
    return stopping;
  }

  return {
    start,
    stop,
    log,
    get db() {
      if (!db) throw new Error('app not started');
      return db;
    },
    get realtime() {
      if (!realtime) throw new Error('app not started');
      return realtime;
    },
    get services() {
      if (!services) throw new Error('app not started');
      return services;
    },
  };
}
