import { Course, CourseSlot, Semester } from './catalog.model';
import { EntrySlot, Timetable, TimetableEntry } from './timetable.model';

/** The tables the timetables feature owns (the course catalog and users' timetables). */
export const timetableModels = [Semester, Course, CourseSlot, Timetable, TimetableEntry, EntrySlot];
