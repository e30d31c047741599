import { DataTypes } from 'sequelize';
import { date, fk, pk, tables } from './columns';
import type { Migration } from './index';

/**
 * 쪽지 (issue "쪽지 and presence"): conversations, each started from a post, a comment or a
 * friend, their two members (with the name each shows the other) and their messages.
 */
export const up: Migration = async ({ context: qi }) => {
  const t = tables(qi);
  await t.create('conversations', {
    id: pk(),
    contextKind: { type: DataTypes.STRING(8), allowNull: false },
    /** The post or comment it started from; NULL for a friend's. */
    contextId: { type: DataTypes.INTEGER, allowNull: true },
    /** The post it is about (a comment's post), for its title; NULL once gone. */
    postId: fk('posts', 'SET NULL', true),
    anonymous: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    /**
     * What makes it one conversation (the context and both members, keyed with the server's
     * secret so it names nobody); unique: opening twice, on two nodes at once, finds one.
     */
    contextKey: { type: DataTypes.STRING(64), allowNull: false },
    lastMessageAt: date(),
    createdAt: date(),
  });
  await t.index('conversations', ['contextKey'], true);

  await t.create('conversation_members', {
    conversationId: { ...fk('conversations', 'CASCADE'), primaryKey: true },
    userId: { ...fk('users', 'CASCADE'), primaryKey: true },
    /** How this member appears to the other: an alias (`익명`, `익명3`, `익명(글쓴이)`), NULL: the nickname. */
    alias: { type: DataTypes.STRING(30), allowNull: true },
    /** The newest message this member has read (0: none). */
    lastReadId: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    /** Left (`conversation:leave`): hidden from the list until a newer message. */
    leftAt: date(true),
    createdAt: date(),
  });
  await t.index('conversation_members', ['userId', 'conversationId']);

  await t.create('messages', {
    id: pk(),
    conversationId: fk('conversations', 'CASCADE'),
    senderId: fk('users', 'SET NULL', true),
    content: { type: DataTypes.TEXT, allowNull: false },
    /** Sent to someone who blocked the sender: shown to the sender only, delivered to nobody. */
    withheld: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    /** A moderator removed it. */
    removedAt: date(true),
    createdAt: date(),
  });
  await t.index('messages', ['conversationId', 'id']);
  await t.index('messages', ['senderId']);
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable('messages');
  await qi.dropTable('conversation_members');
  await qi.dropTable('conversations');
};
