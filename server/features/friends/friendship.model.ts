import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** One row per pair of users; `status` is `pending` until the addressee accepts. */
@Table({ tableName: 'friendships', updatedAt: false })
export class Friendship extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  requesterId!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  addresseeId!: number;

  /** min(requesterId, addresseeId): with highUserId, unique per pair. */
  @Column({ type: DataType.INTEGER, allowNull: false })
  lowUserId!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  highUserId!: number;

  @Column({ type: DataType.STRING(10), allowNull: false })
  status!: string;

  @Column({ type: DataType.DATE(3), allowNull: true })
  respondedAt!: Date | null;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}
