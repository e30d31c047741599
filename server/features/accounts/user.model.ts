import { Column, DataType, Model, Table } from 'sequelize-typescript';

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

  @Column({ type: DataType.STRING(255), allowNull: false })
  passwordHash!: string;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;

  @Column({ type: DataType.DATE(3) })
  override updatedAt!: Date;
}
