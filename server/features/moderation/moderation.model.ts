import { Column, DataType, Model, Table } from 'sequelize-typescript';
import type { ReportReason, TargetKind } from '../../../shared/schemas/moderation';

/** One user's report (신고) of one post, comment or message. */
@Table({ tableName: 'reports', updatedAt: false })
export class Report extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.STRING(10), allowNull: false })
  targetKind!: TargetKind;

  @Column({ type: DataType.INTEGER, allowNull: false })
  targetId!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  reporterId!: number;

  @Column({ type: DataType.STRING(16), allowNull: false })
  reason!: ReportReason;

  @Column({ type: DataType.TEXT, allowNull: true })
  detail!: string | null;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}

/** A reported target in the moderators' queue: one per target, however many reports. */
@Table({ tableName: 'moderation_cases', timestamps: false })
export class ModerationCase extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.STRING(10), allowNull: false })
  targetKind!: TargetKind;

  @Column({ type: DataType.INTEGER, allowNull: false })
  targetId!: number;

  @Column({ type: DataType.STRING(10), allowNull: false, defaultValue: 'open' })
  status!: 'open' | 'resolved';

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  reportCount!: number;

  @Column({ type: DataType.STRING(10), allowNull: true })
  resolution!: 'restored' | 'removed' | null;

  @Column({ type: DataType.DATE(3), allowNull: false })
  firstReportedAt!: Date;

  @Column({ type: DataType.DATE(3), allowNull: false })
  lastReportedAt!: Date;

  @Column({ type: DataType.DATE(3), allowNull: true })
  resolvedAt!: Date | null;
}

/** One moderation action (append-only: never updated or deleted). */
@Table({ tableName: 'moderation_log', updatedAt: false })
export class ModerationLogRow extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  /** NULL once the moderator's account is gone, or for the system (automatic hiding). */
  @Column({ type: DataType.INTEGER, allowNull: true })
  actorId!: number | null;

  @Column({ type: DataType.STRING(16), allowNull: false })
  action!: 'hide' | 'restore' | 'remove' | 'suspend' | 'unsuspend' | 'role';

  @Column({ type: DataType.STRING(10), allowNull: true })
  targetKind!: TargetKind | null;

  @Column({ type: DataType.INTEGER, allowNull: true })
  targetId!: number | null;

  @Column({ type: DataType.STRING(200), allowNull: true })
  detail!: string | null;

  @Column({ type: DataType.TEXT, allowNull: true })
  reason!: string | null;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}

/** 차단: the blocker never sees the blocked user's content again. */
@Table({ tableName: 'blocks', updatedAt: false })
export class Block extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  blockerId!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  blockedId!: number;

  @Column({ type: DataType.STRING(300), allowNull: false })
  label!: string;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}
