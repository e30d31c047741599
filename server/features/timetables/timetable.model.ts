import { Column, DataType, Model, Table } from 'sequelize-typescript';

@Table({ tableName: 'timetables' })
export class Timetable extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  userId!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  semesterId!: number;

  @Column({ type: DataType.STRING(50), allowNull: false })
  name!: string;

  /** `true` or `null` (never `false`), so a unique index allows one primary per user and semester. */
  @Column({ type: DataType.BOOLEAN, allowNull: true })
  isPrimary!: true | null;

  /** `everyone` | `friends` | `private`. */
  @Column({ type: DataType.STRING(10), allowNull: false, defaultValue: 'friends' })
  visibility!: string;
}

/** A catalog course in a timetable, or a custom entry (title + its own slots). */
@Table({ tableName: 'timetable_entries', updatedAt: false })
export class TimetableEntry extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  timetableId!: number;

  @Column({ type: DataType.INTEGER, allowNull: true })
  courseId!: number | null;

  @Column({ type: DataType.STRING(100), allowNull: true })
  title!: string | null;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}

@Table({ tableName: 'entry_slots', timestamps: false })
export class EntrySlot extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  entryId!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  day!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  startMinute!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  endMinute!: number;

  @Column({ type: DataType.STRING(50), allowNull: true })
  place!: string | null;
}
