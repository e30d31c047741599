import { Column, DataType, Model, Table } from 'sequelize-typescript';

@Table({ tableName: 'notifications', updatedAt: false })
export class Notification extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  userId!: number;

  /** `comment`, `reply`, `hot`, … */
  @Column({ type: DataType.STRING(32), allowNull: false })
  type!: string;

  @Column({ type: DataType.INTEGER, allowNull: true })
  postId!: number | null;

  @Column({ type: DataType.INTEGER, allowNull: true })
  commentId!: number | null;

  /** JSON, rendered for the recipient (never an anonymous author's identity). */
  @Column({ type: DataType.TEXT, allowNull: false })
  data!: string;

  @Column({ type: DataType.DATE(3), allowNull: true })
  readAt!: Date | null;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}
