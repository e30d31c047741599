import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ModerationCaseDto } from '../../../shared/dto';
import { REPORT_REASONS, type ReportReason, type TargetRef } from '../../../shared/schemas/moderation';
import { hiddenOf } from './visibility';
import { removedOf } from './message-targets';
import { ModerationCase } from './moderation.model';
import { keyOf, type Target, type Targets } from './targets';

export type Reasons = Partial<Record<ReportReason, number>>;

/**
 * The moderation queue's bookkeeping: one case per reported target. A case counts the reports
 * made since it was (re)opened: a restored target that is reported again reopens its case with
 * a fresh count, so it is hidden again only when REPORT_HIDE_THRESHOLD new users report it.
 * Callers hold the target's row lock, which serialises every write to its case.
 */
export class Cases {
  private readonly rows;

  constructor(
    private readonly db: Sequelize,
    private readonly targets: Targets,
  ) {
    this.rows = db.getRepository(ModerationCase);
  }

  find(tx: Transaction, ref: TargetRef): Promise<ModerationCase | null> {
    return this.rows.findOne({ where: { targetKind: ref.kind, targetId: ref.id }, transaction: tx });
  }

  /** Counts one more report (its time is `at`), opening or reopening the case. */
  async reported(tx: Transaction, ref: TargetRef, at: Date): Promise<ModerationCase> {
    const kase = await this.find(tx, ref);
    const fresh = { status: 'open' as const, resolution: null, resolvedAt: null, reportCount: 1 };
    if (!kase) {
      return this.rows.create(
        { targetKind: ref.kind, targetId: ref.id, ...fresh, firstReportedAt: at, lastReportedAt: at },
        { transaction: tx },
      );
    }
    const patch =
      kase.status === 'resolved'
        ? { ...fresh, firstReportedAt: at, lastReportedAt: at }
        : { reportCount: kase.reportCount + 1, lastReportedAt: at };
    return kase.update(patch, { transaction: tx });
  }

  /** Resolves the case (made now if the target was never reported: a moderator acted on their own). */
  async resolve(
    tx: Transaction,
    ref: TargetRef,
    kase: ModerationCase | null,
    resolution: 'restored' | 'removed',
    at: Date,
  ): Promise<ModerationCase> {
    const patch = { status: 'resolved' as const, resolution, resolvedAt: at };
    if (kase) return kase.update(patch, { transaction: tx });
    return this.rows.create(
      {
        targetKind: ref.kind,
        targetId: ref.id,
        reportCount: 0,
        firstReportedAt: at,
        lastReportedAt: at,
        ...patch,
      },
      { transaction: tx },
    );
  }

  /** Reports per reason of each case, since it was (re)opened. */
  async reasons(cases: ModerationCase[], tx?: Transaction): Promise<Map<number, Reasons>> {
    const out = new Map<number, Reasons>(cases.map((c) => [c.id, {}]));
    if (cases.length === 0) return out;
    const rows = await this.db.query<{ caseId: number; reason: ReportReason; n: number }>(
      `SELECT c.id AS caseId, r.reason AS reason, COUNT(*) AS n
       FROM moderation_cases c
       JOIN reports r ON r.targetKind = c.targetKind AND r.targetId = c.targetId AND r.createdAt >= c.firstReportedAt
       WHERE c.id IN (:ids)
       GROUP BY c.id, r.reason`,
      { replacements: { ids: cases.map((c) => c.id) }, type: QueryTypes.SELECT, transaction: tx },
    );
    for (const r of rows) out.get(Number(r.caseId))![r.reason] = Number(r.n);
    return out;
  }

  /** Cases as moderators see them, rendered inside a write (pass its transaction) or for a list. */
  async render(
    items: { kase: ModerationCase; target: Target }[],
    tx?: Transaction,
  ): Promise<ModerationCaseDto[]> {
    const [reasons, described] = await Promise.all([
      this.reasons(
        items.map((i) => i.kase),
        tx,
      ),
      this.targets.describe(
        items.map((i) => i.target),
        tx,
      ),
    ]);
    return items.map(({ kase, target }) => ({
      id: kase.id,
      target: described.get(target)!,
      status: kase.status,
      hidden: target.kind === 'message' ? removedOf(target.row) : (hiddenOf(target.row) ?? null),
      resolution: kase.resolution,
      reportCount: kase.reportCount,
      reasons: reasons.get(kase.id)!,
      firstReportedAt: kase.firstReportedAt.toISOString(),
      lastReportedAt: kase.lastReportedAt.toISOString(),
    }));
  }

  /** One case, inside a write. */
  async one(tx: Transaction, kase: ModerationCase, target: Target): Promise<ModerationCaseDto> {
    return (await this.render([{ kase, target }], tx))[0]!;
  }

  /** A page of open or resolved cases, newest first. */
  async page(status: 'open' | 'resolved', afterId: number | undefined, limit: number) {
    const rows = await this.rows.findAll({
      where: { status, ...(afterId !== undefined && { id: { [Op.lt]: afterId } }) },
      order: [['id', 'DESC']],
      limit: limit + 1,
    });
    const targets = await this.targets.load(rows.map((r) => ({ kind: r.targetKind, id: r.targetId })));
    // A target row never goes (content is only ever marked deleted or hidden); skip one if it did.
    const items = rows.flatMap((kase) => {
      const target = targets.get(keyOf({ kind: kase.targetKind, id: kase.targetId }));
      return target ? [{ kase, target }] : [];
    });
    return { rows, items };
  }
}

/** The most reported reason; a tie goes to the reason listed first (REPORT_REASONS' order). */
export function mostReported(reasons: Reasons): ReportReason {
  const keys = Object.keys(REPORT_REASONS) as ReportReason[];
  return keys.reduce((best, k) => ((reasons[k] ?? 0) > (reasons[best] ?? 0) ? k : best), keys[0]!);
}
