import { Column, DataType, Model, Table } from 'sequelize-typescript';

@Table({ tableName: 'comments' })
export class Comment extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  postId!: number;

  /** Set for a reply; replies are one level deep. */
  @Column({ type: DataType.INTEGER, allowNull: true })
  parentId!: number | null;

  @Column({ type: DataType.INTEGER, allowNull: true })
  authorId!: number | null;

  @Column({ type: DataType.TEXT, allowNull: false })
  content!: string;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  anonymous!: boolean;

  @Column({ type: DataType.INTEGER, allowNull: true })
  anonNumber!: number | null;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  likeCount!: number;

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

@Table({ tableName: 'comment_likes', updatedAt: false })
export class CommentLike extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true })
  commentId!: number;

  @Column({ type: DataType.INTEGER, primaryKey: true })
  userId!: number;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}

/** The 익명N number a user holds in one post's thread. */
@Table({ tableName: 'thread_aliases', updatedAt: false })
export class ThreadAlias extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true })
  postId!: number;

  @Column({ type: DataType.INTEGER, primaryKey: true })
  userId!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  number!: number;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}
