import { Column, DataType, Model, Table } from 'sequelize-typescript';
import type { Role } from '../../../shared/schemas/moderation';

@Table({ tableName: 'users' })
export class User extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.STRING(20), allowNull: false })
  username!: string;

  @Column({ type: DataType.STRING(20), allowNull: false })
  usernameKey!: string;

  @Column({ type: DataType.STRING(30), allowNull: false })
  nickname!: string;

  /** What makes nicknames the same (nicknameKey(): NFKC + lower-case); unique. */
  @Column({ type: DataType.STRING(191).BINARY, allowNull: false })
  nicknameKey!: string;

  /** The last nickname change; NULL: none since signup (a change is allowed at once). */
  @Column({ type: DataType.DATE(3), allowNull: true })
  nicknameChangedAt!: Date | null;

  @Column({ type: DataType.STRING(255), allowNull: false })
  passwordHash!: string;

  /** The verified school email, as typed; NULL: not verified. */
  @Column({ type: DataType.STRING(191), allowNull: true })
  email!: string | null;

  /** What makes emails the same (lower-case); unique: one account per school email. */
  @Column({ type: DataType.STRING(191), allowNull: true })
  emailKey!: string | null;

  /** The SCHOOL_EMAIL_DOMAINS entry the email belongs to. */
  @Column({ type: DataType.STRING(100), allowNull: true })
  school!: string | null;

  @Column({ type: DataType.DATE(3), allowNull: true })
  verifiedAt!: Date | null;

  @Column({ type: DataType.STRING(16), allowNull: false, defaultValue: 'user' })
  role!: Role;

  /** Writing is refused until then (a moderator's suspension); NULL: not suspended. */
  @Column({ type: DataType.DATE(3), allowNull: true })
  suspendedUntil!: Date | null;

  @Column({ type: DataType.STRING(500), allowNull: true })
  suspendReason!: string | null;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;

  @Column({ type: DataType.DATE(3) })
  override updatedAt!: Date;
}
