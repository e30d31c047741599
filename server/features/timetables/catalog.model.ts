import { Column, DataType, Model, Table } from 'sequelize-typescript';

@Table({ tableName: 'semesters', updatedAt: false })
export class Semester extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  /** `2026-2`: year and term (1, 2, S for summer, W for winter). */
  @Column({ type: DataType.STRING(10), allowNull: false })
  code!: string;

  @Column({ type: DataType.STRING(50), allowNull: false })
  name!: string;

  @Column({ type: DataType.INTEGER, allowNull: false })
  year!: number;

  @Column({ type: DataType.STRING(2), allowNull: false })
  term!: string;

  @Column({ type: DataType.DATEONLY, allowNull: false })
  startsOn!: string;

  @Column({ type: DataType.DATEONLY, allowNull: false })
  endsOn!: string;

  @Column({ type: DataType.DATE(3) })
  override createdAt!: Date;
}

@Table({ tableName: 'courses' })
export class Course extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  semesterId!: number;

  @Column({ type: DataType.STRING(20), allowNull: false })
  code!: string;

  @Column({ type: DataType.STRING(100), allowNull: false })
  name!: string;

  @Column({ type: DataType.STRING(50), allowNull: false })
  professor!: string;

  @Column({ type: DataType.STRING(50), allowNull: false })
  department!: string;

  @Column({ type: DataType.INTEGER, allowNull: false })
  credits!: number;
}

/** A weekly meeting: day 1 = Monday … 7 = Sunday; minutes after midnight, end exclusive. */
@Table({ tableName: 'course_slots', timestamps: false })
export class CourseSlot extends Model {
  @Column({ type: DataType.INTEGER, primaryKey: true, autoIncrement: true })
  override id!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  courseId!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  day!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  startMinute!: number;

  @Column({ type: DataType.INTEGER, allowNull: false })
  endMinute!: number;

  @Column({ type: DataType.STRING(50), allowNull: true })
  room!: string | null;
}
