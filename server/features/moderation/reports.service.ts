import type { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ReportDto } from '../../../shared/dto';
import {
  REPORT_REASONS,
  type ReportCreateInput,
  type ReportReason,
} from '../../../shared/schemas/moderation';
import type { Actor } from '../../core/auth';
import { insertOnce } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Emit } from '../../core/routes';
import type { EventLog } from '../events/events.service';
import type { NotificationsService } from '../notifications/notifications.service';
import { mostReported, type Cases } from './cases';
import { subjectOf } from './cases.service';
import type { ModerationLog } from './moderation-log';
import { Report } from './moderation.model';
import type { ReportsApi } from './safety.socket';
import { authorIdOf, missing, refOf, visibleTo, type ContentTarget, type Targets } from './targets';
import type { Viewers } from './visibility';

export interface ReportsDeps {
  db: Sequelize;
  events: EventLog;
  notifications: NotificationsService;
  viewers: Viewers;
  log: ModerationLog;
  targets: Targets;
  cases: Cases;
  /** Distinct reporters that hide a target at once (REPORT_HIDE_THRESHOLD). */
  hideThreshold: number;
}

/**
 * 신고. One report per user and target, never of one's own content. The target's row is locked
 * first, so reports of one target take turns on every node: the one that brings its case to
 * `hideThreshold` distinct reporters hides it, exactly once. Moderators hear of each report
 * (`report:created`) and of each hiding (`target:hidden`); no push or answer but the reporter's
 * own ack says who reported. A 쪽지 is reported by the other member of its conversation: it is
 * never hidden by reports (two members make one possible reporter), only removed by a moderator.
 */
export class ReportsService implements ReportsApi {
  private readonly reports;

  constructor(private readonly deps: ReportsDeps) {
    this.reports = deps.db.getRepository(Report);
  }

  async report(actor: Actor, input: ReportCreateInput): Promise<ReportDto> {
    const ref = input.target;
    const [viewer, postOf] = await Promise.all([this.deps.viewers.of(actor), this.deps.targets.postOf(ref)]);
    return this.deps.events.write(async (tx, emit) => {
      const target = await this.deps.targets.lock(tx, ref, postOf);
      // What this user cannot see (hidden, written by someone they blocked, a message of a
      // conversation they are not in or withheld from them) does not exist for them.
      if (!visibleTo(viewer, target)) throw missing(ref);
      if (authorIdOf(target) === actor.id)
        throw new AppError('FORBIDDEN', 'You cannot report your own content');
      const at = new Date();
      await insertOnce(
        this.reports.create(
          {
            targetKind: ref.kind,
            targetId: ref.id,
            reporterId: actor.id,
            reason: input.reason,
            detail: input.detail ?? null,
            createdAt: at,
          },
          { transaction: tx },
        ),
        'You already reported this',
      );
      const kase = await this.deps.cases.reported(tx, ref, at);
      const reasons = (await this.deps.cases.reasons([kase], tx)).get(kase.id)!;
      const hides =
        target.kind !== 'message' &&
        target.row.hiddenAt === null &&
        kase.reportCount >= this.deps.hideThreshold;
      if (hides) await this.hide(tx, emit, target, mostReported(reasons), at);
      const dto = await this.deps.cases.one(tx, kase, target);
      emit('reportCreated', dto);
      if (hides) emit('targetHidden', dto);
      return { target: ref, reason: input.reason, createdAt: at.toISOString() };
    });
  }

  /** Hides a target pending review: pushes, the author's notification, the log (by the system). */
  private async hide(tx: Transaction, emit: Emit, target: ContentTarget, reason: ReportReason, at: Date) {
    const { post } = target;
    await target.row.update({ hiddenAt: at, hiddenReason: reason }, { transaction: tx, silent: true });
    if (target.kind === 'post') emit('postHidden', { postId: post.id, boardId: post.boardId });
    else emit('commentHidden', { commentId: target.row.id, postId: post.id, boardId: post.boardId });
    await this.deps.log.append(tx, { actorId: null, action: 'hide', target: refOf(target), reason });
    const authorId = target.row.authorId;
    if (authorId === null) return;
    await this.deps.notifications.add(tx, emit, {
      userId: authorId,
      type: 'hidden',
      postId: post.id,
      ...(target.kind === 'comment' && { commentId: target.row.id }),
      boardId: post.boardId,
      text: `'${REPORT_REASONS[reason].ko}' 신고가 쌓여 숨겨졌습니다: ${subjectOf(target)}`,
      actorName: null,
    });
  }
}
