import { DataTypes } from 'sequelize';
import { date, fk, pk, tables, type Columns } from './columns';
import type { Migration } from './index';

/** A switch that is on until the user turns it off. */
const on = () => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true });

/**
 * Notification settings (issue "Accounts a student can trust", item 7): one row per user who
 * changed a switch (no row: all on), and the posts whose threads a user muted.
 */
export const up: Migration = async ({ context: qi }) => {
  const t = tables(qi);
  const settings: Columns = {
    userId: { ...fk('users', 'CASCADE'), primaryKey: true },
    comment: on(),
    reply: on(),
    hot: on(),
    friend: on(),
    message: on(),
    moderation: on(),
    updatedAt: date(),
  };
  await t.create('notification_settings', settings);
  await t.create('post_mutes', {
    id: pk(),
    userId: fk('users', 'CASCADE'),
    postId: fk('posts', 'CASCADE'),
    createdAt: date(),
  });
  await t.index('post_mutes', ['userId', 'postId'], true);
  // "Who muted this post" is asked once per comment: by post first.
  await t.index('post_mutes', ['postId', 'userId']);
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable('post_mutes');
  await qi.dropTable('notification_settings');
};
