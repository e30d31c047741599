import { Notification } from './notification.model';
import { NotificationSetting, PostMute } from './settings.model';

/** The tables the notifications feature owns. */
export const notificationModels = [Notification, NotificationSetting, PostMute];
