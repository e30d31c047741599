import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** A login: the family of every refresh token rotated from it. */
@Table({ tableName: 'sessions', updatedAt: false })
export class Session extends Model {
  @Column({ type: DataType.STRING(36), primaryKey: true })
  override id!: string;

  @Column({ type: DataType.INTEGER, allowNull: false })
  userId!: number;

  @Column({ type: DataType.STRING(255), allowNull: true })
  userAgent!: string | null;

  @Column({ type: DataType.STRING(64), allowNull: true })
  ip!: string | null;

  /** Absolute end of the session, however often it is refreshed. */
  @Column({ type: DataType.DATE(3), allowNull: false })
  expiresAt!: Date;

  @Column({ type: DataType.DATE(3), allowNull: false })
  lastUsedAt!: Date;

  @Column({ type: DataType.DATE(3), allowNull: true })
  revokedAt!: Date | null;

  @Column({ type: DataType.STRING(32), allowNull: true })
  revokedReason!: string | null;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}

/** One refresh token, stored as a SHA-256 hash. `usedAt` set = rotated (spent). */
@Table({ tableName: 'refresh_tokens', updatedAt: false })
export class RefreshToken extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.STRING(36), allowNull: false })
  sessionId!: string;

  @Column({ type: DataType.STRING(64), allowNull: false })
  tokenHash!: string;

  /** Idle expiry: unused past this, the token is dead. */
  @Column({ type: DataType.DATE(3), allowNull: false })
  expiresAt!: Date;

  @Column({ type: DataType.DATE(3), allowNull: true })
  usedAt!: Date | null;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}
