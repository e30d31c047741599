import { DataTypes, type QueryInterface } from 'sequelize';
import { counter, date, fk, pk, slot, tables, timestamps } from './columns';
import type { Migration } from './index';

/** The whole data model of Quad. Later changes come as new migrations, never edits here. */
export const up: Migration = async ({ context: qi }) => {
  const { mysql, create, index } = tables(qi);
  const mediumText = mysql ? DataTypes.TEXT('medium') : DataTypes.TEXT;

  await create('users', {
    id: pk(),
    username: { type: DataTypes.STRING(20), allowNull: false },
    // Lower-cased username; binary collation so MySQL compares exactly as SQLite does.
    usernameKey: { type: DataTypes.STRING(20).BINARY, allowNull: false, unique: true },
    nickname: { type: DataTypes.STRING(30), allowNull: false },
    passwordHash: { type: DataTypes.STRING(255), allowNull: false },
    ...timestamps(),
  });

  // A session is a refresh-token family: every rotation stays in it, and revoking it kills all.
  await create('sessions', {
    id: { type: DataTypes.STRING(36).BINARY, primaryKey: true, allowNull: false },
    userId: fk('users', 'CASCADE'),
    userAgent: { type: DataTypes.STRING(255), allowNull: true },
    ip: { type: DataTypes.STRING(64), allowNull: true },
    expiresAt: date(),
    lastUsedAt: date(),
    revokedAt: date(true),
    revokedReason: { type: DataTypes.STRING(32), allowNull: true },
    createdAt: date(),
  });
  await index('sessions', ['userId']);

  await create('refresh_tokens', {
    id: pk(),
    sessionId: { ...fk('sessions', 'CASCADE'), type: DataTypes.STRING(36).BINARY },
    tokenHash: { type: DataTypes.STRING(64).BINARY, allowNull: false, unique: true },
    expiresAt: date(),
    usedAt: date(true),
    createdAt: date(),
  });
  await index('refresh_tokens', ['sessionId']);

  await create('boards', {
    id: pk(),
    name: { type: DataTypes.STRING(50), allowNull: false, unique: true },
    description: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '' },
    anonymousOnly: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    // HOT promotion is off on boards such as 홍보게시판 and 장터게시판.
    hotEligible: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ...timestamps(),
  });

  await create('posts', {
    id: pk(),
    boardId: fk('boards', 'CASCADE'),
    authorId: fk('users', 'SET NULL', true),
    title: { type: DataTypes.STRING(200), allowNull: false },
    // MEDIUMTEXT: 20,000 characters of emoji are 80,000 bytes, past TEXT's 65,535.
    content: { type: mediumText, allowNull: false },
    anonymous: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    likeCount: counter(),
    commentCount: counter(),
    scrapCount: counter(),
    hotAt: date(true),
    bestAt: date(true),
    deletedAt: date(true),
    ...timestamps(),
  });
  await index('posts', ['boardId', 'id']);
  await index('posts', ['boardId', 'likeCount']);
  await index('posts', ['boardId', 'commentCount']);
  await index('posts', ['boardId', 'createdAt']);
  await index('posts', ['hotAt']);
  await index('posts', ['bestAt']);
  await index('posts', ['authorId']);

  await create('tags', {
    id: pk(),
    name: { type: DataTypes.STRING(30), allowNull: false },
    // NFKC + lower-case form: one row per tag system-wide, whatever case people type.
    // Wider than the name: NFKC can expand a character (㎏ → kg).
    nameKey: { type: DataTypes.STRING(255).BINARY, allowNull: false, unique: true },
    createdAt: date(),
  });

  await create('post_tags', {
    postId: { ...fk('posts', 'CASCADE'), primaryKey: true },
    tagId: { ...fk('tags', 'CASCADE'), primaryKey: true },
  });
  await index('post_tags', ['tagId']);

  await create('post_likes', {
    postId: { ...fk('posts', 'CASCADE'), primaryKey: true },
    userId: { ...fk('users', 'CASCADE'), primaryKey: true },
    createdAt: date(),
  });
  await index('post_likes', ['userId']);

  await create('scraps', {
    userId: { ...fk('users', 'CASCADE'), primaryKey: true },
    postId: { ...fk('posts', 'CASCADE'), primaryKey: true },
    createdAt: date(),
  });
  await index('scraps', ['postId']);

  await create('comments', {
    id: pk(),
    postId: fk('posts', 'CASCADE'),
    parentId: fk('comments', 'CASCADE', true),
    authorId: fk('users', 'SET NULL', true),
    content: { type: DataTypes.TEXT, allowNull: false },
    anonymous: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    // 익명N within the post's thread; NULL for named comments and for the post's author.
    anonNumber: { type: DataTypes.INTEGER, allowNull: true },
    likeCount: counter(),
    deletedAt: date(true),
    ...timestamps(),
  });
  await index('comments', ['postId', 'parentId', 'id']);
  await index('comments', ['authorId']);

  // One anonymous number per person per thread, by first appearance, never reused.
  await create('thread_aliases', {
    postId: { ...fk('posts', 'CASCADE'), primaryKey: true },
    userId: { ...fk('users', 'CASCADE'), primaryKey: true },
    number: { type: DataTypes.INTEGER, allowNull: false },
    createdAt: date(),
  });
  await index('thread_aliases', ['postId', 'number'], true);

  await create('comment_likes', {
    commentId: { ...fk('comments', 'CASCADE'), primaryKey: true },
    userId: { ...fk('users', 'CASCADE'), primaryKey: true },
    createdAt: date(),
  });
  await index('comment_likes', ['userId']);

  await create('notifications', {
    id: pk(),
    userId: fk('users', 'CASCADE'),
    type: { type: DataTypes.STRING(32), allowNull: false },
    postId: fk('posts', 'CASCADE', true),
    commentId: fk('comments', 'CASCADE', true),
    data: { type: DataTypes.TEXT, allowNull: false },
    readAt: date(true),
    createdAt: date(),
  });
  await index('notifications', ['userId', 'id']);
  await index('notifications', ['userId', 'readAt']);

  // The event log: ids increase across the whole system and order every push.
  await create('events', {
    id: { type: mysql ? DataTypes.BIGINT : DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    room: { type: DataTypes.STRING(80).BINARY, allowNull: false },
    type: { type: DataTypes.STRING(40), allowNull: false },
    data: { type: mediumText, allowNull: false },
    createdAt: date(),
  });
  await index('events', ['room', 'id']);
  await index('events', ['createdAt']);

  await create('semesters', {
    id: pk(),
    code: { type: DataTypes.STRING(10).BINARY, allowNull: false, unique: true },
    name: { type: DataTypes.STRING(50), allowNull: false },
    year: { type: DataTypes.INTEGER, allowNull: false },
    term: { type: DataTypes.STRING(2), allowNull: false },
    startsOn: { type: DataTypes.DATEONLY, allowNull: false },
    endsOn: { type: DataTypes.DATEONLY, allowNull: false },
    createdAt: date(),
  });

  await create('courses', {
    id: pk(),
    semesterId: fk('semesters', 'CASCADE'),
    code: { type: DataTypes.STRING(20).BINARY, allowNull: false },
    name: { type: DataTypes.STRING(100), allowNull: false },
    professor: { type: DataTypes.STRING(50), allowNull: false },
    department: { type: DataTypes.STRING(50), allowNull: false },
    credits: { type: DataTypes.INTEGER, allowNull: false },
    ...timestamps(),
  });
  await index('courses', ['semesterId', 'code'], true);
  await index('courses', ['semesterId', 'department']);
  await index('courses', ['semesterId', 'name']);
  await index('courses', ['semesterId', 'professor']);

  // day: 1 = Monday … 7 = Sunday (ISO); times in minutes after midnight, end exclusive.
  await create('course_slots', { id: pk(), courseId: fk('courses', 'CASCADE'), ...slot('room') });
  await index('course_slots', ['courseId']);
  await index('course_slots', ['day', 'startMinute']);

  await create('timetables', {
    id: pk(),
    userId: fk('users', 'CASCADE'),
    semesterId: fk('semesters', 'CASCADE'),
    name: { type: DataTypes.STRING(50), allowNull: false },
    // TRUE or NULL: the unique index below then allows exactly one primary per user and semester.
    isPrimary: { type: DataTypes.BOOLEAN, allowNull: true },
    visibility: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'friends' },
    ...timestamps(),
  });
  await index('timetables', ['userId', 'semesterId', 'isPrimary'], true);

  await create('timetable_entries', {
    id: pk(),
    timetableId: fk('timetables', 'CASCADE'),
    // A catalog course, or NULL for a custom entry (title and entry_slots instead).
    courseId: fk('courses', 'CASCADE', true),
    title: { type: DataTypes.STRING(100), allowNull: true },
    createdAt: date(),
  });
  await index('timetable_entries', ['timetableId', 'courseId'], true);
  await index('timetable_entries', ['courseId']);

  await create('entry_slots', { id: pk(), entryId: fk('timetable_entries', 'CASCADE'), ...slot('place') });
  await index('entry_slots', ['entryId']);

  // One row per pair of users, whoever asked: (lowUserId, highUserId) is unique.
  await create('friendships', {
    id: pk(),
    requesterId: fk('users', 'CASCADE'),
    addresseeId: fk('users', 'CASCADE'),
    lowUserId: fk('users', 'CASCADE'),
    highUserId: fk('users', 'CASCADE'),
    status: { type: DataTypes.STRING(10), allowNull: false },
    respondedAt: date(true),
    createdAt: date(),
  });
  await index('friendships', ['lowUserId', 'highUserId'], true);
  await index('friendships', ['addresseeId', 'status']);
  await index('friendships', ['requesterId', 'status']);
};

export const down: Migration = async ({ context: qi }) => {
  const tables = [
    'friendships',
    'entry_slots',
    'timetable_entries',
    'timetables',
    'course_slots',
    'courses',
    'semesters',
    'events',
    'notifications',
    'comment_likes',
    'thread_aliases',
    'comments',
    'scraps',
    'post_likes',
    'post_tags',
    'tags',
    'posts',
    'boards',
    'refresh_tokens',
    'sessions',
    'users',
  ];
  for (const table of tables) await (qi as QueryInterface).dropTable(table);
};
