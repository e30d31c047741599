import { accountModels } from './accounts/models';
import { boardModels } from './boards/models';
import { commentModels } from './comments/models';
import { eventModels } from './events/models';
import { friendModels } from './friends/models';
import { messageModels } from './messages/models';
import { moderationModels } from './moderation/models';
import { notificationModels } from './notifications/models';
import { timetableModels } from './timetables/models';

/**
 * Every feature's models, for createDatabase (core knows no feature): the composition root,
 * the scripts and the tests hand this list to the database they open.
 */
export const ALL_MODELS = [
  ...accountModels,
  ...boardModels,
  ...commentModels,
  ...notificationModels,
  ...eventModels,
  ...timetableModels,
  ...friendModels,
  ...moderationModels,
  ...messageModels,
];
