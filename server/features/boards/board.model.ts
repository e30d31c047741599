import { Column, DataType, Model, Table } from 'sequelize-typescript';

@Table({ tableName: 'boards' })
export class Board extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.STRING(50), allowNull: false })
  name!: string;

  @Column({ type: DataType.STRING(200), allowNull: false })
  description!: string;

  @Column({ type: DataType.BOOLEAN, allowNull: false })
  anonymousOnly!: boolean;

  @Column({ type: DataType.BOOLEAN, allowNull: false })
  hotEligible!: boolean;

  @Column({ type: DataType.INTEGER, allowNull: false })
  position!: number;
}
