import type { BoardsCommands } from '../../../shared/events';
import { postRef } from '../../../shared/schemas/boards';
import { empty } from '../../../shared/schemas/common';
import { notificationSettingsSetInput } from '../../../shared/schemas/notifications';
import type { CommandTable } from '../../core/handle';
import { actor } from '../../core/realtime';
import type { NotificationsService } from './notifications.service';

export interface NotificationsSocketDeps {
  notifications: NotificationsService;
  /** A post that exists (NOT_FOUND otherwise): one cannot mute a thread that is not there. */
  posts: { live(postId: number): Promise<unknown> };
}

/** Notification switches and muted threads, on /boards. */
export function notificationCommands({ notifications, posts }: NotificationsSocketDeps) {
  return (table: CommandTable): void => {
    const settings = () => notifications.settings;
    const on = table.typed<BoardsCommands>();
    on('notifications:settings', empty, (_input, socket) => settings().get(actor(socket)));
    on('notifications:settings:set', notificationSettingsSetInput, (input, socket) =>
      settings().set(actor(socket), input),
    );
    on('post:mute', postRef, async ({ postId }, socket) => {
      await posts.live(postId);
      return settings().mute(actor(socket), postId);
    });
    on('post:unmute', postRef, ({ postId }, socket) => settings().unmute(actor(socket), postId));
  };
}
