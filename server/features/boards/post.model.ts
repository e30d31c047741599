import { Column, DataType, Model, Table } from 'sequelize-typescript';

@Table({ tableName: 'posts' })
export class Post extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  boardId!: number;

  /** NULL once the author's account is gone. */
  @Column({ type: DataType.INTEGER, allowNull: true })
  authorId!: number | null;

  @Column({ type: DataType.STRING(200), allowNull: false })
  title!: string;

  @Column({ type: DataType.TEXT, allowNull: false })
  content!: string;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  anonymous!: boolean;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  likeCount!: number;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  commentCount!: number;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  scrapCount!: number;

  @Column({ type: DataType.DATE(3), allowNull: true })
  hotAt!: Date | null;

  @Column({ type: DataType.DATE(3), allowNull: true })
  bestAt!: Date | null;

  /** Soft delete: the row stays so comments and counts stay consistent. */
  @Column({ type: DataType.DATE(3), allowNull: true })
  override deletedAt!: Date | null;

  /** Hidden by reports (pending review) or removed by a moderator: gone for all but its author and moderators. */
  @Column({ type: DataType.DATE(3), allowNull: true })
  hiddenAt!: Date | null;

  /** The most reported reason, or `moderator`. */
  @Column({ type: DataType.STRING(16), allowNull: true })
  hiddenReason!: string | null;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;

  @Column({ type: DataType.DATE(3) })
  override updatedAt!: Date;
}

@Table({ tableName: 'post_likes', updatedAt: false })
export class PostLike extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true })
  postId!: number;

  @Column({ type: DataType.INTEGER, primaryKey: true })
  userId!: number;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}

@Table({ tableName: 'scraps', updatedAt: false })
export class Scrap extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true })
  userId!: number;

  @Column({ type: DataType.INTEGER, primaryKey: true })
  postId!: number;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}
