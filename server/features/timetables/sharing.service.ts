import { Op } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { FreeIntervalDto, TimetableDto } from '../../../shared/dto';
import { DAYS, dayNumber, toMinutes, type FreetimeInput } from '../../../shared/schemas/timetables';
import type { Actor } from '../../core/auth';
import { AppError } from '../../core/errors';
import type { FriendsService } from '../friends/friends.service';
import type { CatalogService } from './catalog.service';
import { freeIntervals } from './slots';
import { Timetable } from './timetable.model';
import type { TimetableViews } from './timetable-views';

export interface SharingDeps {
  db: Sequelize;
  catalog: CatalogService;
  friends: FriendsService;
  views: TimetableViews;
}

/** Timetables as others see them: by visibility, friends' primaries, watching, common free time. */
export class TimetableSharing {
  private readonly timetables;

  constructor(private readonly deps: SharingDeps) {
    this.timetables = deps.db.getRepository(Timetable);
  }

  async get(actor: Actor, timetableId: number): Promise<TimetableDto> {
    const row = await this.timetables.findByPk(timetableId);
    if (!row) throw new AppError('NOT_FOUND', `Timetable ${timetableId} does not exist`);
    await this.assertVisible(actor, row);
    return this.deps.views.render(row);
  }

  /** A friend's primary timetable of a semester, when its visibility lets the actor see it. */
  async friendTimetable(actor: Actor, friendId: number, semester: string): Promise<TimetableDto> {
    const sem = await this.deps.catalog.semester(semester);
    const row = await this.timetables.findOne({
      where: { userId: friendId, semesterId: sem.id, isPrimary: true },
    });
    if (!row) throw new AppError('NOT_FOUND', `User ${friendId} has no primary timetable for ${semester}`);
    await this.assertVisible(actor, row);
    return this.deps.views.render(row, sem.code);
  }

  /** Only accepted friends can watch; the watch room then gets `timetable:changed`. */
  async assertCanWatch(actor: Actor, friendId: number): Promise<void> {
    if (!(await this.deps.friends.areFriends(actor.id, friendId))) {
      throw new AppError('FORBIDDEN', `User ${friendId} is not your friend`);
    }
  }

  /** Weekly intervals in which the actor and every listed friend are free (primary timetables). */
  async freetime(actor: Actor, input: FreetimeInput): Promise<FreeIntervalDto[]> {
    const sem = await this.deps.catalog.semester(input.semester);
    const friendIds = [...new Set(input.friendIds)];
    for (const id of friendIds) {
      if (!(await this.deps.friends.areFriends(actor.id, id))) {
        throw AppError.validation(
          { friendIds: `${id} is not an accepted friend` },
          'Only accepted friends may be listed',
        );
      }
    }
    const primaries = await this.timetables.findAll({
      where: { userId: { [Op.in]: [actor.id, ...friendIds] }, semesterId: sem.id, isPrimary: true },
    });
    const hidden = primaries.find((t) => t.userId !== actor.id && t.visibility === 'private');
    if (hidden) throw new AppError('FORBIDDEN', `User ${hidden.userId} keeps their timetable private`);
    const busy = await this.deps.views.busy(primaries.map((t) => t.id));
    const days = (input.days ?? DAYS.slice(0, 5)).map(dayNumber);
    return freeIntervals(busy, days, toMinutes(input.from), toMinutes(input.to), input.minMinutes);
  }

  private async assertVisible(actor: Actor, row: Timetable): Promise<void> {
    if (row.userId === actor.id || row.visibility === 'everyone') return;
    if (row.visibility === 'friends' && (await this.deps.friends.areFriends(actor.id, row.userId))) return;
    throw new AppError('FORBIDDEN', 'This timetable is not shared with you');
  }
}
