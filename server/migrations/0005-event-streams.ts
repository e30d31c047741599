import { DataTypes } from 'sequelize';
import { newEpoch } from '../features/events/epoch';
import type { Migration } from './index';

/**
 * Ordering per room instead of one global sequence (issue "Quad at the limit"): every room
 * has a row in `event_streams` holding its last event number; a writer takes the next numbers
 * of each room it writes to with one upsert, which locks that row — and only that row — to
 * commit, so a room's numbers follow commit order without gaps while writes to other rooms
 * never wait. `event_log_meta.epoch` names this history: a recreated database gets a new one,
 * and a restored one is given a new one (`npm run events:new-epoch`), so an old `since` is
 * refused instead of replayed against other events.
 *
 * Events already logged keep their global id as their number in their room (ids only grow
 * within a room, which is all resume needs), so a client's `since` from before the upgrade
 * still resumes.
 */
export const up: Migration = async ({ context: qi }) => {
  const mysql = qi.sequelize.getDialect() !== 'sqlite';
  const options = mysql ? { charset: 'utf8mb4', engine: 'InnoDB' } : {};
  await qi.createTable(
    'event_streams',
    {
      room: { type: DataTypes.STRING(80).BINARY, primaryKey: true, allowNull: false },
      seq: { type: DataTypes.BIGINT, allowNull: false },
    },
    options,
  );
  await qi.createTable(
    'event_log_meta',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
      epoch: { type: DataTypes.STRING(32), allowNull: false },
    },
    options,
  );
  await qi.bulkInsert('event_log_meta', [{ id: 1, epoch: newEpoch() }]);

  await qi.addColumn('events', 'seq', { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });
  await qi.sequelize.query('UPDATE events SET seq = id');
  await qi.sequelize.query(
    'INSERT INTO event_streams (room, seq) SELECT room, MAX(seq) FROM events GROUP BY room',
  );
  await qi.addIndex('events', ['room', 'seq'], { unique: true, name: 'events_room_seq' });
  await qi.removeIndex('events', ['room', 'id']);
  await qi.dropTable('event_sequence');
};

export const down: Migration = async ({ context: qi }) => {
  const options = qi.sequelize.getDialect() === 'sqlite' ? {} : { charset: 'utf8mb4', engine: 'InnoDB' };
  await qi.createTable(
    'event_sequence',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
      writes: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    },
    options,
  );
  await qi.bulkInsert('event_sequence', [{ id: 1, writes: 0 }]);
  await qi.addIndex('events', ['room', 'id']);
  await qi.removeIndex('events', 'events_room_seq');
  await qi.removeColumn('events', 'seq');
  await qi.dropTable('event_log_meta');
  await qi.dropTable('event_streams');
};
