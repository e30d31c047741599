import type { TimetablesCommands } from '../../../shared/events';
import { empty } from '../../../shared/schemas/common';
import * as t from '../../../shared/schemas/timetables';
import type { CommandTable } from '../../core/handle';
import { actor, joinFeed, leaveFeed } from '../../core/realtime';
import { rooms } from '../../../shared/rooms';
import type { EventLog } from '../events/events.service';
import type { FriendsService } from '../friends/friends.service';
import type { CatalogService } from './catalog.service';
import type { TimetableSharing } from './sharing.service';
import type { TimetablesService } from './timetables.service';

export interface TimetablesSocketDeps {
  catalog: CatalogService;
  timetables: TimetablesService;
  sharing: TimetableSharing;
  friends: FriendsService;
  events: EventLog;
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
export function timetablesSocket({ catalog, timetables, sharing, friends, events }: TimetablesSocketDeps) {
  return (table: CommandTable): void => {
    const on = table.typed<TimetablesCommands>();

    on('semesters:list', empty, () => catalog.listSemesters());
    on('courses:search', t.coursesSearchInput, (input) => catalog.search(input));
    on('course:get', t.courseRef, ({ courseId }) => catalog.get(courseId));
    on('timetables:list', t.timetablesListInput.optional(), (input, socket) =>
      timetables.list(actor(socket), input?.semester),
    );
    on('timetable:create', t.timetableCreateInput, ({ semester, name }, socket) =>
      timetables.create(actor(socket), semester, name),
    );
    on('timetable:rename', t.timetableRenameInput, ({ timetableId, name }, socket) =>
      timetables.rename(actor(socket), timetableId, name),
    );
    on('timetable:delete', t.timetableRef, ({ timetableId }, socket) =>
      timetables.remove(actor(socket), timetableId),
    );
    on('timetable:setPrimary', t.timetableRef, ({ timetableId }, socket) =>
      timetables.setPrimary(actor(socket), timetableId),
    );
    on('timetable:setVisibility', t.timetableVisibilityInput, ({ timetableId, visibility }, socket) =>
      timetables.setVisibility(actor(socket), timetableId, visibility),
    );
    on('timetable:get', t.timetableRef, ({ timetableId }, socket) => sharing.get(actor(socket), timetableId));
    on('timetable:addCourse', t.addCourseInput, ({ timetableId, courseId }, socket) =>
      timetables.addCourse(actor(socket), timetableId, courseId),
    );
    on('timetable:addCustom', t.addCustomInput, (input, socket) =>
      timetables.addCustom(actor(socket), input),
    );
    on('timetable:removeEntry', t.removeEntryInput, ({ timetableId, entryId }, socket) =>
      timetables.removeEntry(actor(socket), timetableId, entryId),
    );
    on('friend:request', t.friendRequestInput, ({ username }, socket) =>
      friends.request(actor(socket), username),
    );
    on('friend:accept', t.requestRef, ({ requestId }, socket) => friends.accept(actor(socket), requestId));
    on('friend:decline', t.requestRef, ({ requestId }, socket) => friends.decline(actor(socket), requestId));
    on('friend:cancel', t.requestRef, ({ requestId }, socket) => friends.cancel(actor(socket), requestId));
    on('friend:remove', t.friendRef, ({ friendId }, socket) => friends.remove(actor(socket), friendId));
    on('friends:list', empty, (_input, socket) => friends.list(actor(socket)));
    on('friends:requests', empty, (_input, socket) => friends.requests(actor(socket)));
    on('friend:timetable', t.friendTimetableInput, ({ friendId, semester }, socket) =>
      sharing.friendTimetable(actor(socket), friendId, semester),
    );
    on('friend:watch', t.friendWatchInput, async ({ friendId, ...from }, socket) => {
      await sharing.assertCanWatch(actor(socket), friendId);
      const room = rooms.watch(friendId);
      // Join first, then read the log (as board:subscribe): a change in between arrives twice, never zero times.
      // A watcher is never the author of the watched user's changes: no viewer room (isMine).
      await joinFeed(socket, room, { viewer: false });
      return { friendId, ...(await events.resume(room, actor(socket).id, from)) };
    });
    on('friend:unwatch', t.friendRef, async ({ friendId }, socket) => {
      await leaveFeed(socket, rooms.watch(friendId));
      return { friendId };
    });
    on('freetime:find', t.freetimeInput, (input, socket) => sharing.freetime(actor(socket), input));
    on('me:resume', t.resumeInput, (from, socket) =>
      events.resume(rooms.user(actor(socket).id), actor(socket).id, from, FRIEND_EVENTS),
    );
  };
}
