import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** A user's pending school-email code (one at a time), stored hashed. */
@Table({ tableName: 'email_verifications', timestamps: false })
export class EmailVerification extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true })
  userId!: number;

  @Column({ type: DataType.STRING(191), allowNull: false })
  email!: string;

  @Column({ type: DataType.STRING(191), allowNull: false })
  emailKey!: string;

  @Column({ type: DataType.STRING(64), allowNull: false })
  codeHash!: string;

  @Column({ type: DataType.DATE(3), allowNull: false })
  expiresAt!: Date;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  attempts!: number;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  sends!: number;

  @Column({ type: DataType.DATE(3), allowNull: false })
  windowStartedAt!: Date;

  @Column({ type: DataType.DATE(3), allowNull: false })
  sentAt!: Date;

  @Column({ type: DataType.DATE(3), allowNull: true })
  lockedUntil!: Date | null;
}

/** A single-use password reset token, stored as a SHA-256 hash. */
@Table({ tableName: 'password_resets', updatedAt: false })
export class PasswordReset extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  userId!: number;

  @Column({ type: DataType.STRING(64), allowNull: false })
  tokenHash!: string;

  @Column({ type: DataType.DATE(3), allowNull: false })
  expiresAt!: Date;

  @Column({ type: DataType.DATE(3), allowNull: true })
  usedAt!: Date | null;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}
