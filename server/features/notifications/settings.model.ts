import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** A user's notification switches; no row: every kind on. */
@Table({ tableName: 'notification_settings', createdAt: false })
export class NotificationSetting extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true })
  userId!: number;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  comment!: boolean;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  reply!: boolean;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  hot!: boolean;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  friend!: boolean;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  message!: boolean;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  moderation!: boolean;

  @Column({ type: DataType.DATE(3) })
  override updatedAt!: Date;
}

/** A post whose thread the user muted: no `comment` / `reply` notifications from it. */
@Table({ tableName: 'post_mutes', updatedAt: false })
export class PostMute extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  userId!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  postId!: number;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}
