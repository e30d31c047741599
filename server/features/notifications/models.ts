import { Notification } from './notification.model';

/** The tables the notifications feature owns. */
export const notificationModels = [Notification];
