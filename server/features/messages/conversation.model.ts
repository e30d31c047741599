import { Column, DataType, Model, Table } from 'sequelize-typescript';
import type { ContextKind } from '../../../shared/schemas/messages';

/** A 쪽지 conversation between two users, about where it started. */
@Table({ tableName: 'conversations', updatedAt: false })
export class Conversation extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.STRING(8), allowNull: false })
  contextKind!: ContextKind;

  @Column({ type: DataType.INTEGER, allowNull: true })
  contextId!: number | null;

  @Column({ type: DataType.INTEGER, allowNull: true })
  postId!: number | null;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  anonymous!: boolean;

  @Column({ type: DataType.STRING(64), allowNull: false })
  contextKey!: string;

  @Column({ type: DataType.DATE(3), allowNull: false })
  lastMessageAt!: Date;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}

/** One side of a conversation: who, how they appear to the other, what they have read. */
@Table({ tableName: 'conversation_members', updatedAt: false })
export class ConversationMember extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true })
  conversationId!: number;

  @Column({ type: DataType.INTEGER, primaryKey: true })
  userId!: number;

  @Column({ type: DataType.STRING(30), allowNull: true })
  alias!: string | null;

  @Column({ type: DataType.INTEGER, allowNull: false, defaultValue: 0 })
  lastReadId!: number;

  @Column({ type: DataType.DATE(3), allowNull: true })
  leftAt!: Date | null;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}

@Table({ tableName: 'messages', updatedAt: false })
export class Message extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  conversationId!: number;

  @Column({ type: DataType.INTEGER, allowNull: true })
  senderId!: number | null;

  @Column({ type: DataType.TEXT, allowNull: false })
  content!: string;

  @Column({ type: DataType.BOOLEAN, allowNull: false, defaultValue: false })
  withheld!: boolean;

  @Column({ type: DataType.DATE(3), allowNull: true })
  removedAt!: Date | null;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}
