import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { CourseDto, Page, SemesterDto } from '../../../shared/dto';
import { dayNumber, toMinutes, type CoursesSearchInput } from '../../../shared/schemas/timetables';
import { AppError } from '../../core/errors';
import { decodeCursor, encodeCursor, page } from '../boards/cursor';
import { Course, CourseSlot, Semester } from './catalog.model';
import { toSlotDto } from './slots';

/** The course catalog: semesters and courses with their weekly slots (read-only here). */
export class CatalogService {
  private readonly semesters;
  private readonly courses;
  private readonly slots;

  constructor(private readonly db: Sequelize) {
    this.semesters = db.getRepository(Semester);
    this.courses = db.getRepository(Course);
    this.slots = db.getRepository(CourseSlot);
  }

  async listSemesters(): Promise<SemesterDto[]> {
    const rows = await this.semesters.findAll({ order: [['code', 'DESC']] });
    return rows.map((s) => ({
      code: s.code,
      name: s.name,
      year: s.year,
      term: s.term,
      startsOn: s.startsOn,
      endsOn: s.endsOn,
    }));
  }

  async semester(code: string): Promise<Semester> {
    const semester = await this.semesters.findOne({ where: { code } });
    if (!semester) throw new AppError('NOT_FOUND', `Semester ${code} does not exist`);
    return semester;
  }

  async search(input: CoursesSearchInput): Promise<Page<CourseDto>> {
    const semester = await this.semester(input.semester);
    const where: WhereOptions[] = [{ semesterId: semester.id }];
    const contains = (column: string, needle: string) =>
      this.db.where(
        this.db.fn('instr', this.db.fn('lower', this.db.col(column)), needle.toLowerCase()),
        Op.gt,
        0,
      );
    if (input.q) where.push({ [Op.or]: [contains('code', input.q), contains('name', input.q)] });
    if (input.professor) where.push(contains('professor', input.professor));
    if (input.department) where.push(contains('department', input.department));
    if (input.credits !== undefined) where.push({ credits: input.credits });
    if (input.day || input.from || input.to) {
      const conditions = [
        ...(input.day ? [`s.day = ${dayNumber(input.day)}`] : []),
        ...(input.from ? [`s.startMinute >= ${toMinutes(input.from)}`] : []),
        ...(input.to ? [`s.endMinute <= ${toMinutes(input.to)}`] : []),
      ];
      // Values are numbers from validated input, never client text.
      where.push({
        id: {
          [Op.in]: this.db.literal(
            `(SELECT s.courseId FROM course_slots s WHERE ${conditions.join(' AND ')})`,
          ),
        },
      });
    }
    const after = decodeCursor(input.cursor);
    if (after) where.push({ id: { [Op.gt]: after.id } });
    const rows = await this.courses.findAll({
      where: { [Op.and]: where },
      order: [['id', 'ASC']],
      limit: input.limit + 1,
    });
    const result = page(rows, input.limit, (last) => encodeCursor(last.id, last.id));
    return { items: await this.render(result.items, semester.code), nextCursor: result.nextCursor };
  }

  async get(courseId: number): Promise<CourseDto> {
    const course = await this.courses.findByPk(courseId);
    if (!course) throw new AppError('NOT_FOUND', `Course ${courseId} does not exist`);
    const semester = await this.semesters.findByPk(course.semesterId);
    return (await this.render([course], semester!.code))[0]!;
  }

  /** Courses by id with their slots (for timetables), keyed by id. */
  async byIds(ids: number[], transaction?: Transaction): Promise<Map<number, CourseDto>> {
    if (ids.length === 0) return new Map();
    const courses = await this.courses.findAll({ where: { id: { [Op.in]: ids } }, transaction });
    const semesterIds = [...new Set(courses.map((c) => c.semesterId))];
    const semesters = await this.semesters.findAll({
      where: { id: { [Op.in]: semesterIds } },
      attributes: ['id', 'code'],
      transaction,
    });
    const semesterCode = new Map(semesters.map((sem) => [sem.id, sem.code]));
    const rendered = await Promise.all(
      semesterIds.map((sid) =>
        this.render(
          courses.filter((c) => c.semesterId === sid),
          semesterCode.get(sid) ?? '',
          transaction,
        ),
      ),
    );
    return new Map(rendered.flat().map((c) => [c.id, c]));
  }

  private async render(courses: Course[], semester: string, transaction?: Transaction): Promise<CourseDto[]> {
    const slots = courses.length
      ? await this.slots.findAll({
          where: { courseId: { [Op.in]: courses.map((c) => c.id) } },
          transaction,
          order: [
            ['day', 'ASC'],
            ['startMinute', 'ASC'],
          ],
        })
      : [];
    return courses.map((c) => ({
      id: c.id,
      semester,
      code: c.code,
      name: c.name,
      professor: c.professor,
      department: c.department,
      credits: c.credits,
      slots: slots.filter((s) => s.courseId === c.id).map(toSlotDto),
    }));
  }
}
