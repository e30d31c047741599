import { Op, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { FriendDto, FriendRequestDto, UserSummaryDto } from '../../../shared/dto';
import type { Actor } from '../../core/auth';
import { insertOnce } from '../../core/db';
import { AppError } from '../../core/errors';
import { User } from '../accounts/user.model';
import type { Emit } from '../../core/routes';
import type { EventLog } from '../events/events.service';
import { Friendship } from './friendship.model';

/** Friend requests and friendships: one row per pair of users, pending until accepted. */
export class FriendsService {
  private readonly rows;
  private readonly users;

  constructor(
    db: Sequelize,
    private readonly events: EventLog,
    /** After a friendship ends: each stops watching the other's timetable, on every node. */
    private readonly onUnfriended: (a: number, b: number) => void = () => undefined,
  ) {
    this.rows = db.getRepository(Friendship);
    this.users = db.getRepository(User);
  }

  /**
   * Asks `username` to be friends. If they already asked me, this accepts their request
   * instead (both wanted it), and they get `friend:accepted`.
   */
  async request(actor: Actor, username: string): Promise<FriendRequestDto> {
    const target = await this.users.findOne({ where: { usernameKey: username.toLowerCase() } });
    if (!target) throw new AppError('NOT_FOUND', `No user named ${username}`);
    if (target.id === actor.id)
      throw AppError.validation({ username: 'is you' }, 'You cannot befriend yourself');
    return this.events.write(async (tx, emit) => {
      const existing = await this.pair(actor.id, target.id, tx);
      if (existing?.status === 'accepted')
        throw new AppError('CONFLICT', `You and ${target.username} are already friends`);
      if (existing && existing.requesterId === actor.id)
        throw new AppError('CONFLICT', `You already asked ${target.username}`);
      if (existing) return this.acceptRow(existing, tx, emit);
      const row = await insertOnce(
        this.rows.create(
          {
            requesterId: actor.id,
            addresseeId: target.id,
            lowUserId: Math.min(actor.id, target.id),
            highUserId: Math.max(actor.id, target.id),
            status: 'pending',
          },
          { transaction: tx },
        ),
        'A request between you two already exists',
      );
      const dto = await this.dto(row, tx);
      emit('friendRequested', dto);
      return dto;
    });
  }

  async accept(actor: Actor, requestId: number): Promise<FriendRequestDto> {
    return this.events.write(async (tx, emit) =>
      this.acceptRow(await this.incoming(actor, requestId, tx), tx, emit),
    );
  }

  async decline(actor: Actor, requestId: number): Promise<{ requestId: number }> {
    return this.events.write(async (tx, emit) => {
      const row = await this.incoming(actor, requestId, tx);
      await row.destroy({ transaction: tx });
      emit('friendDeclined', { requestId, to: row.requesterId, by: await this.summary(actor.id, tx) });
      return { requestId };
    });
  }

  /** Withdraws my own pending request. */
  async cancel(actor: Actor, requestId: number): Promise<{ requestId: number }> {
    return this.events.write(async (tx, emit) => {
      const row = await this.rows.findByPk(requestId, { transaction: tx });
      if (!row || row.status !== 'pending')
        throw new AppError('NOT_FOUND', `No pending request ${requestId}`);
      if (row.requesterId !== actor.id)
        throw new AppError('FORBIDDEN', 'Only who sent a request can cancel it');
      await row.destroy({ transaction: tx });
      emit('friendCancelled', { requestId, to: row.addresseeId, by: await this.summary(actor.id, tx) });
      return { requestId };
    });
  }

  async remove(actor: Actor, friendId: number): Promise<{ friendId: number }> {
    const result = await this.events.write(async (tx, emit) => {
      const row = await this.pair(actor.id, friendId, tx);
      if (!row || row.status !== 'accepted')
        throw new AppError('NOT_FOUND', `User ${friendId} is not your friend`);
      await row.destroy({ transaction: tx });
      emit('friendshipEnded', { userIds: [actor.id, friendId] });
      return { friendId };
    });
    this.onUnfriended(actor.id, friendId);
    return result;
  }

  async list(actor: Actor): Promise<FriendDto[]> {
    const rows = await this.rows.findAll({
      where: { status: 'accepted', [Op.or]: [{ requesterId: actor.id }, { addresseeId: actor.id }] },
      order: [['respondedAt', 'DESC']],
    });
    const others = rows.map((r) => (r.requesterId === actor.id ? r.addresseeId : r.requesterId));
    const users = await this.summaries(others);
    return rows.map((r, i) => ({
      ...users.get(others[i]!)!,
      since: (r.respondedAt ?? r.createdAt).toISOString(),
    }));
  }

  async requests(actor: Actor): Promise<{ incoming: FriendRequestDto[]; outgoing: FriendRequestDto[] }> {
    const rows = await this.rows.findAll({
      where: { status: 'pending', [Op.or]: [{ requesterId: actor.id }, { addresseeId: actor.id }] },
      order: [['id', 'DESC']],
    });
    const users = await this.summaries(rows.flatMap((r) => [r.requesterId, r.addresseeId]));
    const dto = (r: Friendship) => toDto(r, users);
    return {
      incoming: rows.filter((r) => r.addresseeId === actor.id).map(dto),
      outgoing: rows.filter((r) => r.requesterId === actor.id).map(dto),
    };
  }

  async areFriends(a: number, b: number): Promise<boolean> {
    if (a === b) return false;
    const row = await this.pair(a, b);
    return row?.status === 'accepted';
  }

  private async acceptRow(row: Friendship, tx: Transaction, emit: Emit): Promise<FriendRequestDto> {
    await row.update({ status: 'accepted', respondedAt: new Date() }, { transaction: tx });
    const dto = await this.dto(row, tx);
    emit('friendAccepted', dto);
    return dto;
  }

  /** A pending request addressed to the actor; FORBIDDEN if it is someone else's. */
  private async incoming(actor: Actor, requestId: number, tx: Transaction): Promise<Friendship> {
    const row = await this.rows.findByPk(requestId, { transaction: tx, lock: tx.LOCK.UPDATE });
    if (!row || row.status !== 'pending') throw new AppError('NOT_FOUND', `No pending request ${requestId}`);
    if (row.addresseeId !== actor.id) throw new AppError('FORBIDDEN', 'This request is not addressed to you');
    return row;
  }

  private pair(a: number, b: number, tx?: Transaction): Promise<Friendship | null> {
    return this.rows.findOne({
      where: { lowUserId: Math.min(a, b), highUserId: Math.max(a, b) },
      transaction: tx,
      lock: tx ? tx.LOCK.UPDATE : undefined,
    });
  }

  private async summaries(ids: number[], tx?: Transaction): Promise<Map<number, UserSummaryDto>> {
    const users = await this.users.findAll({
      where: { id: { [Op.in]: [...new Set(ids)] } },
      attributes: ['id', 'username', 'nickname'],
      transaction: tx,
    });
    return new Map(users.map((u) => [u.id, { id: u.id, username: u.username, nickname: u.nickname }]));
  }

  private async summary(id: number, tx: Transaction): Promise<UserSummaryDto> {
    return (await this.summaries([id], tx)).get(id)!;
  }

  private async dto(row: Friendship, tx: Transaction): Promise<FriendRequestDto> {
    return toDto(row, await this.summaries([row.requesterId, row.addresseeId], tx));
  }
}

function toDto(r: Friendship, users: Map<number, UserSummaryDto>): FriendRequestDto {
  return {
    id: r.id,
    from: users.get(r.requesterId)!,
    to: users.get(r.addresseeId)!,
    status: r.status as 'pending' | 'accepted',
    createdAt: r.createdAt.toISOString(),
  };
}
