import { Column, DataType, Model, Table } from 'sequelize-typescript';

@Table({ tableName: 'tags', updatedAt: false })
export class Tag extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  /** As first typed (trimmed, NFC). */
  @Column({ type: DataType.STRING(30), allowNull: false })
  name!: string;

  /** NFKC + lower case: the identity of the tag. */
  @Column({ type: DataType.STRING(255), allowNull: false })
  nameKey!: string;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}

@Table({ tableName: 'post_tags', timestamps: false })
export class PostTag extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true })
  postId!: number;

  @Column({ type: DataType.INTEGER, primaryKey: true })
  tagId!: number;
}
