import { Column, DataType, Model, Table } from 'sequelize-typescript';

@Table({ tableName: 'boards' })
export class Board extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.STRING(50), allowNull: false })
  name!: string;

  @Column({ type: DataType.STRING(200), allowNull: false, defaultValue: '' })
  description!: string;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  anonymousOnly!: boolean;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: true })
  hotEligible!: boolean;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  position!: number;

  /** Accounts younger than NEW_ACCOUNT_DAYS may not write here (홍보게시판 and the like). */
  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  restricted!: boolean;
}
