import { Column, DataType, Model, Table } from 'sequelize-typescript';

/** A username or school email a deleted account held, refused to new accounts until `until`. */
@Table({ tableName: 'account_holds', updatedAt: false })
export class AccountHold extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  /** `username` or `email`. */
  @Column({ type: DataType.STRING(16), allowNull: false })
  kind!: string;

  /** HMAC-SHA-256 (hex, keyed by the server's secret) of the normalised key: never the name or address itself. */
  @Column({ type: DataType.STRING(64), allowNull: false })
  keyHash!: string;

  @Column({ type: DataType.DATE(3), allowNull: false })
  until!: Date;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}
