import { Op } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type {
  AccountExportDto,
  BlockDto,
  ExportCommentDto,
  ExportPostDto,
  FriendDto,
  FriendRequestDto,
  NotificationDto,
  NotificationSettingsDto,
  Page,
} from '../../../shared/dto';
import type { Actor } from '../../core/auth';
import { Post, PostLike, Scrap } from '../boards/post.model';
import type { PostRenderer } from '../boards/render';
import { Comment, CommentLike } from '../comments/comment.model';
import { byPostAuthor, POST_AUTHOR_ANONYMOUS } from '../comments/comments.service';
import { Report } from '../moderation/moderation.model';
import { PostMute } from '../notifications/settings.model';
import type { TimetableViews } from '../timetables/timetable-views';
import { Timetable } from '../timetables/timetable.model';
import type { AccountsService } from './accounts.service';
import type { SessionsService } from './sessions.service';

/** What the export reads through the features that own it. */
export interface AccountExportDeps {
  db: Sequelize;
  accounts: AccountsService;
  sessions: SessionsService;
  renderer: PostRenderer;
  views: TimetableViews;
  notifications: {
    list(actor: Actor, input: { cursor?: string; limit: number }): Promise<Page<NotificationDto>>;
    settings: { get(actor: Actor): Promise<NotificationSettingsDto> };
  };
  friends: {
    list(actor: Actor): Promise<FriendDto[]>;
    requests(actor: Actor): Promise<{ incoming: FriendRequestDto[]; outgoing: FriendRequestDto[] }>;
  };
  blocks: { list(actor: Actor): Promise<BlockDto[]> };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * `GET /api/account/export`: everything kept about the actor, as one JSON document. Others
 * appear by nickname only; blocks by where they came from (as `blocks:list` shows them), so an
 * anonymous author the actor blocked stays anonymous.
 */
export class AccountExport {
  constructor(private readonly deps: AccountExportDeps) {}

  async export(actor: Actor): Promise<AccountExportDto> {
    const { db } = this.deps;
    const uid = actor.id;
    const [user, sessions, posts, comments, timetables, notifications] = await Promise.all([
      this.deps.accounts.user(uid),
      this.deps.sessions.list(actor),
      this.posts(actor),
      this.comments(uid),
      this.timetables(uid),
      this.notifications(actor),
    ]);
    const [scraps, postLikes, commentLikes, mutes, reports] = await Promise.all([
      db.getRepository(Scrap).findAll({ where: { userId: uid }, order: [['createdAt', 'ASC']] }),
      db.getRepository(PostLike).findAll({ where: { userId: uid }, order: [['createdAt', 'ASC']] }),
      db.getRepository(CommentLike).findAll({ where: { userId: uid }, order: [['createdAt', 'ASC']] }),
      db.getRepository(PostMute).findAll({ where: { userId: uid }, order: [['id', 'ASC']] }),
      db.getRepository(Report).findAll({ where: { reporterId: uid }, order: [['id', 'ASC']] }),
    ]);
    const [friends, requests, notificationSettings, blocks] = await Promise.all([
      this.deps.friends.list(actor),
      this.deps.friends.requests(actor),
      this.deps.notifications.settings.get(actor),
      this.deps.blocks.list(actor),
    ]);
    return {
      exportedAt: new Date().toISOString(),
      user,
      sessions,
      posts,
      comments,
      scraps: scraps.map((s) => ({ postId: s.postId, createdAt: s.createdAt.toISOString() })),
      likes: {
        posts: postLikes.map((l) => ({ postId: l.postId, createdAt: l.createdAt.toISOString() })),
        comments: commentLikes.map((l) => ({ commentId: l.commentId, createdAt: l.createdAt.toISOString() })),
      },
      timetables,
      friends: friends.map((f) => ({ nickname: f.nickname, since: f.since })),
      friendRequests: {
        incoming: requests.incoming.map((r) => ({ nickname: r.from.nickname, since: r.createdAt })),
        outgoing: requests.outgoing.map((r) => ({ nickname: r.to.nickname, since: r.createdAt })),
      },
      notifications,
      notificationSettings,
      postMutes: mutes.map((m) => ({ postId: m.postId, createdAt: m.createdAt.toISOString() })),
      blocks,
      reports: reports.map((r) => ({
        target: { kind: r.targetKind, id: r.targetId },
        reason: r.reason,
        detail: r.detail,
        createdAt: r.createdAt.toISOString(),
      })),
    };
  }

  /** Every post I wrote, deleted ones too, as boards render them for me (anonymous ones marked). */
  private async posts(actor: Actor): Promise<ExportPostDto[]> {
    const rows = await this.deps.db
      .getRepository(Post)
      .findAll({ where: { authorId: actor.id }, order: [['id', 'ASC']] });
    const dtos = await this.deps.renderer.render(rows, actor.id);
    return dtos.map((dto, i) => ({ ...dto, deletedAt: iso(rows[i]!.deletedAt) }));
  }

  /** Every comment I wrote, deleted ones with their text, named as their threads name them. */
  private async comments(uid: number): Promise<ExportCommentDto[]> {
    const rows = await this.deps.db
      .getRepository(Comment)
      .findAll({ where: { authorId: uid }, order: [['id', 'ASC']] });
    const postIds = [...new Set(rows.map((c) => c.postId))];
    const posts = postIds.length
      ? await this.deps.db
          .getRepository(Post)
          .findAll({ where: { id: { [Op.in]: postIds } }, attributes: ['id', 'authorId'] })
      : [];
    const postById = new Map(posts.map((p) => [p.id, p]));
    const nickname = (await this.deps.renderer.nicknames([uid])).get(uid) ?? '';
    return rows.map((c) => {
      const post = postById.get(c.postId);
      let authorName = nickname;
      if (c.anonymous)
        authorName = post && byPostAuthor(c, post) ? POST_AUTHOR_ANONYMOUS : `익명${c.anonNumber ?? ''}`;
      return {
        id: c.id,
        postId: c.postId,
        parentId: c.parentId,
        content: c.content,
        anonymous: c.anonymous,
        authorName,
        createdAt: c.createdAt.toISOString(),
        deletedAt: iso(c.deletedAt),
      };
    });
  }

  private async timetables(uid: number) {
    const rows = await this.deps.db
      .getRepository(Timetable)
      .findAll({ where: { userId: uid }, order: [['id', 'ASC']] });
    return Promise.all(rows.map((t) => this.deps.views.render(t)));
  }

  private async notifications(actor: Actor): Promise<NotificationDto[]> {
    const all: NotificationDto[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.notifications.list(actor, { limit: 100, ...(cursor && { cursor }) });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }
}
