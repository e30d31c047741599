import { Column, DataType, Model, Table } from 'sequelize-typescript';

/**
 * One row per pushed change. `seq` numbers the events of one room (see migration 0005): it is
 * the `id` clients see. The row's own `id` only keys the table.
 */
@Table({ tableName: 'events', updatedAt: false })
export class EventRow extends Model {
  @Column({ type: DataType.BIGINT, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.STRING(80), allowNull: false })
  room!: string;

  @Column({ type: DataType.BIGINT, allowNull: false })
  seq!: number;

  @Column({ type: DataType.STRING(40), allowNull: false })
  type!: string;

  /** JSON payload. */
  @Column({ type: DataType.TEXT, allowNull: false })
  data!: string;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}
