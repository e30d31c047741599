import type { Socket } from 'socket.io';
import type { TimetablesCommands } from '../../../shared/events';
import { empty } from '../../../shared/schemas/common';
import * as t from '../../../shared/schemas/timetables';
import { commands } from '../../core/handle';
import type { Logger } from '../../core/logger';
import { actor } from '../../core/realtime';
import { rooms } from '../../core/rooms';
import type { EventLog } from '../events/events.service';
import type { FriendsService } from '../friends/friends.service';
import type { CatalogService } from './catalog.service';
import type { TimetablesService } from './timetables.service';

export interface TimetablesSocketDeps {
  catalog: CatalogService;
  timetables: TimetablesService;
  friends: FriendsService;
  events: EventLog;
  log: Logger;
}

/** Personal event types delivered on /timetables (the `user:<id>` room also carries /boards ones). */
export const FRIEND_EVENTS = [
  'friend:requested',
  'friend:accepted',
  'friend:declined',
  'friend:cancelled',
  'friend:removed',
];

/** `/timetables`: parse, call one service, reply. */
export function timetablesSocket({ catalog, timetables, friends, events, log }: TimetablesSocketDeps) {
  return (socket: Socket): void => {
    const on = commands<TimetablesCommands>(socket, log);
    const me = () => actor(socket);

    on('semesters:list', empty, () => catalog.listSemesters());
    on('courses:search', t.coursesSearchInput, (input) => catalog.search(input));
    on('course:get', t.courseRef, ({ courseId }) => catalog.get(courseId));
    on('timetables:list', t.timetablesListInput.optional(), (input) =>
      timetables.list(me(), input?.semester),
    );
    on('timetable:create', t.timetableCreateInput, ({ semester, name }) =>
      timetables.create(me(), semester, name),
    );
    on('timetable:rename', t.timetableRenameInput, ({ timetableId, name }) =>
      timetables.rename(me(), timetableId, name),
    );
    on('timetable:delete', t.timetableRef, ({ timetableId }) => timetables.remove(me(), timetableId));
    on('timetable:setPrimary', t.timetableRef, ({ timetableId }) => timetables.setPrimary(me(), timetableId));
    on('timetable:setVisibility', t.timetableVisibilityInput, ({ timetableId, visibility }) =>
      timetables.setVisibility(me(), timetableId, visibility),
    );
    on('timetable:get', t.timetableRef, ({ timetableId }) => timetables.get(me(), timetableId));
    on('timetable:addCourse', t.addCourseInput, ({ timetableId, courseId }) =>
      timetables.addCourse(me(), timetableId, courseId),
    );
    on('timetable:addCustom', t.addCustomInput, (input) => timetables.addCustom(me(), input));
    on('timetable:removeEntry', t.removeEntryInput, ({ timetableId, entryId }) =>
      timetables.removeEntry(me(), timetableId, entryId),
    );
    on('friend:request', t.friendRequestInput, ({ username }) => friends.request(me(), username));
    on('friend:accept', t.requestRef, ({ requestId }) => friends.accept(me(), requestId));
    on('friend:decline', t.requestRef, ({ requestId }) => friends.decline(me(), requestId));
    on('friend:cancel', t.requestRef, ({ requestId }) => friends.cancel(me(), requestId));
    on('friend:remove', t.friendRef, ({ friendId }) => friends.remove(me(), friendId));
    on('friends:list', empty, () => friends.list(me()));
    on('friends:requests', empty, () => friends.requests(me()));
    on('friend:timetable', t.friendTimetableInput, ({ friendId, semester }) =>
      timetables.friendTimetable(me(), friendId, semester),
    );
    on('friend:watch', t.friendRef, async ({ friendId }) => {
      await timetables.assertCanWatch(me(), friendId);
      await socket.join(rooms.watch(friendId));
      return { friendId };
    });
    on('friend:unwatch', t.friendRef, async ({ friendId }) => {
      await socket.leave(rooms.watch(friendId));
      return { friendId };
    });
    on('freetime:find', t.freetimeInput, (input) => timetables.freetime(me(), input));
    on('me:resume', t.resumeInput, (from) =>
      events.resume(rooms.user(me().id), me().id, from, FRIEND_EVENTS),
    );
  };
}
