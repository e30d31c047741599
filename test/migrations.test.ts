import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes, UniqueConstraintError, ForeignKeyConstraintError } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { createDatabase } from '../server/core/db';
import { ALL_MODELS } from '../server/features/models';
import { BACKEND } from './helpers/backend';
import { scratchDatabase, type ScratchDb } from './helpers/scratch-db';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

const TABLES = [
  'account_holds',
  'blocks',
  'boards',
  'comment_likes',
  'comments',
  'conversation_members',
  'conversations',
  'course_slots',
  'courses',
  'email_verifications',
  'entry_slots',
  'event_log_meta',
  'event_streams',
  'events',
  'friendships',
  'messages',
  'migrations',
  'moderation_cases',
  'moderation_log',
  'notification_settings',
  'notifications',
  'password_resets',
  'post_likes',
  'post_mutes',
  'post_tags',
  'posts',
  'refresh_tokens',
  'reports',
  'request_keys',
  'retired_aliases',
  'scraps',
  'semesters',
  'sessions',
  'tags',
  'thread_aliases',
  'timetable_entries',
  'timetables',
  'users',
];

function npmScript(script: string, databaseUrl: string, ...args: string[]) {
  const res = spawnSync(TSX, [path.join(ROOT, 'server/scripts', script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

async function schema(db: Sequelize): Promise<string> {
  const qi = db.getQueryInterface();
  const tables = (await qi.showAllTables()).map(String).sort();
  const out: string[] = [];
  for (const table of tables) {
    const columns = await qi.describeTable(table);
    const indexes = (await qi.showIndex(table)) as Array<{ name: string }>;
    out.push(
      `${table}: ${JSON.stringify(columns)} ${indexes
        .map((i) => i.name)
        .sort()
        .join(',')}`,
    );
  }
  return out.join('\n');
}

describe(`migrations and seeds (${BACKEND})`, () => {
  let scratch: ScratchDb;
  let db: Sequelize;

  before(async () => {
    scratch = await scratchDatabase();
  });
  after(async () => {
    await db?.close();
    await scratch.drop();
  });

  it('when npm run migrate runs on an empty database, then it creates the whole schema; a second run changes nothing', async () => {
    const first = npmScript('migrate.ts', scratch.url);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /Applied 13 migration\(s\): 0001-initial, 0002-seed-boards, 0003-seed-catalog, 0004-event-sequence, 0005-event-streams, 0006-request-keys, 0007-moderation, 0008-restricted-boards, 0009-nicknames, 0010-notification-settings, 0011-email-verification, 0012-account-deletion, 0013-messages/,
    );

    db = createDatabase({ url: scratch.url, poolMax: 2, models: ALL_MODELS });
    const tables = (await db.getQueryInterface().showAllTables()).map(String).sort();
    assert.deepEqual(tables, TABLES);
    const before = await schema(db);
    const counts = await db.query('SELECT COUNT(*) AS n FROM courses', { type: QueryTypes.SELECT });

    const second = npmScript('migrate.ts', scratch.url);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Up to date/);
    assert.equal(await schema(db), before);
    assert.deepEqual(
      await db.query('SELECT COUNT(*) AS n FROM courses', { type: QueryTypes.SELECT }),
      counts,
    );
  });

  it('when seeded, then the ten default boards and a catalog of 300+ courses with 1–3 weekly slots exist', async () => {
    const boards = await db.query<{ name: string; hotEligible: number | boolean }>(
      'SELECT name, hotEligible FROM boards ORDER BY position',
      { type: QueryTypes.SELECT },
    );
    assert.deepEqual(
      boards.map((b) => b.name),
      [
        '자유게시판',
        '비밀게시판',
        '새내기게시판',
        '졸업생게시판',
        '정보게시판',
        '홍보게시판',
        '장터게시판',
        '동아리·학회',
        '취업·진로',
        '시사·이슈',
      ],
    );
    assert.deepEqual(
      boards.filter((b) => !b.hotEligible).map((b) => b.name),
      ['홍보게시판', '장터게시판'],
    );
    const [semester] = await db.query<{ id: number; code: string }>('SELECT id, code FROM semesters', {
      type: QueryTypes.SELECT,
    });
    assert.equal(semester?.code, '2026-2');
    const perCourse = await db.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM course_slots GROUP BY courseId',
      { type: QueryTypes.SELECT },
    );
    assert.ok(perCourse.length >= 300, `${perCourse.length} courses with slots`);
    const sizes = new Set(perCourse.map((r) => Number(r.n)));
    assert.ok(sizes.has(1) && sizes.has(2) && sizes.has(3), `slot counts ${[...sizes]}`);
  });

  it('when text has Korean and emoji (4-byte UTF-8), then it round-trips through the database', async () => {
    const now = new Date();
    const text = '안녕하세요 🎓🔥 '.repeat(10);
    await db.getQueryInterface().bulkInsert('users', [
      {
        username: 'emoji_user',
        usernameKey: 'emoji_user',
        nickname: '😀닉',
        passwordHash: 'x',
        createdAt: now,
        updatedAt: now,
      },
    ]);
    const [user] = await db.query<{ id: number }>("SELECT id FROM users WHERE usernameKey = 'emoji_user'", {
      type: QueryTypes.SELECT,
    });
    await db.getQueryInterface().bulkInsert('posts', [
      {
        boardId: 1,
        authorId: user!.id,
        title: '🎉 제목',
        content: text,
        anonymous: false,
        createdAt: now,
        updatedAt: now,
      },
    ]);
    const [post] = await db.query<{ title: string; content: string }>('SELECT title, content FROM posts', {
      type: QueryTypes.SELECT,
    });
    assert.equal(post?.title, '🎉 제목');
    assert.equal(post?.content, text);
  });

  it('when constraints are broken, then both backends refuse alike (unique and foreign keys)', async () => {
    const qi = db.getQueryInterface();
    const now = new Date();
    await qi.bulkInsert('tags', [{ name: 'React', nameKey: 'react', createdAt: now }]);
    await assert.rejects(
      qi.bulkInsert('tags', [{ name: 'react', nameKey: 'react', createdAt: now }]),
      UniqueConstraintError,
    );
    // binary key: a different-case key is a different row on both backends
    await qi.bulkInsert('tags', [{ name: 'REACT', nameKey: 'REACT', createdAt: now }]);
    await assert.rejects(
      qi.bulkInsert('post_likes', [{ postId: 999_999, userId: 999_999, createdAt: now }]),
      ForeignKeyConstraintError,
    );
    const [user] = await db.query<{ id: number }>("SELECT id FROM users WHERE usernameKey = 'emoji_user'", {
      type: QueryTypes.SELECT,
    });
    const timetable = {
      userId: user!.id,
      semesterId: 1,
      name: 't',
      visibility: 'friends',
      createdAt: now,
      updatedAt: now,
    };
    await qi.bulkInsert('timetables', [
      { ...timetable, isPrimary: true },
      { ...timetable, isPrimary: null },
      { ...timetable, isPrimary: null },
    ]);
    await assert.rejects(
      qi.bulkInsert('timetables', [{ ...timetable, isPrimary: true }]),
      UniqueConstraintError,
    );
  });

  if (BACKEND === 'mysql') {
    it('when on MariaDB, then every table is utf8mb4', async () => {
      const rows = await db.query<{ TABLE_NAME: string; TABLE_COLLATION: string }>(
        'SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
        { type: QueryTypes.SELECT },
      );
      const app = rows.filter((r) => r.TABLE_NAME !== 'migrations');
      assert.equal(app.length, TABLES.length - 1);
      for (const r of app) assert.match(r.TABLE_COLLATION, /^utf8mb4_/, r.TABLE_NAME);
    });
  }

  describe('npm run courses:import', () => {
    const header = 'semester,code,name,professor,department,credits,slots';
    const write = (lines: string[]) => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'quad-csv-')), 'catalog.csv');
      fs.writeFileSync(file, [header, ...lines].join('\n') + '\n');
      return file;
    };
    const count = async (where: string) =>
      Number(
        (
          await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM courses WHERE ${where}`, {
            type: QueryTypes.SELECT,
          })
        )[0]?.n,
      );

    it('when the CSV is good, then every course is imported with its slots, in a new semester too', async () => {
      const file = write([
        '2027-1,NEW1001-01,새과목,김교수,신설학과,3,MON 09:00-10:15 새관 101;WED 09:00-10:15 새관 101',
        '2027-1,NEW1002-01,"쉼표, 있는 과목",이교수,신설학과,2,FRI 13:00-15:00',
      ]);
      const res = npmScript('courses-import.ts', scratch.url, file);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /Imported 2 course\(s\) for 2027-1: 2 new, 0 updated/);
      assert.equal(await count("code LIKE 'NEW100%'"), 2);
      const [name] = await db.query<{ name: string }>("SELECT name FROM courses WHERE code = 'NEW1002-01'", {
        type: QueryTypes.SELECT,
      });
      assert.equal(name?.name, '쉼표, 있는 과목');
      const slots = await db.query(
        "SELECT s.day, s.startMinute, s.endMinute, s.room FROM course_slots s JOIN courses c ON c.id = s.courseId WHERE c.code = 'NEW1001-01' ORDER BY s.day",
        { type: QueryTypes.SELECT },
      );
      assert.deepEqual(slots, [
        { day: 1, startMinute: 540, endMinute: 615, room: '새관 101' },
        { day: 3, startMinute: 540, endMinute: 615, room: '새관 101' },
      ]);
      // importing again updates in place
      const again = npmScript('courses-import.ts', scratch.url, file);
      assert.match(again.stdout, /0 new, 2 updated/);
      assert.equal(await count("code LIKE 'NEW100%'"), 2);
    });

    it('when any row is bad, then every bad row is reported by line number and nothing is imported', async () => {
      const file = write([
        '2027-1,BAD1001-01,좋은행,김교수,학과,3,MON 09:00-10:15',
        '2027-1,BAD1002-01,나쁜학점,김교수,학과,many,MON 09:00-10:15',
        '2027-1,BAD1003-01,나쁜요일,김교수,학과,3,XYZ 09:00-10:15',
        '2027-1,BAD1004-01,거꾸로,김교수,학과,3,TUE 11:00-10:00',
        '2027-1,BAD1001-01,중복,김교수,학과,3,THU 09:00-10:15',
        '2027-9,BAD1005-01,학기,김교수,학과,3,THU 09:00-10:15',
        '2027-1,BAD1006-01,스물다섯시,김교수,학과,3,FRI 23:00-25:00',
      ]);
      const res = npmScript('courses-import.ts', scratch.url, file);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /6 bad row\(s\); nothing was imported/);
      for (const line of [3, 4, 5, 6, 7, 8])
        assert.match(res.stderr, new RegExp(`line ${line}: `), `line ${line}`);
      assert.doesNotMatch(res.stderr, /line 2: /);
      assert.equal(await count("code LIKE 'BAD%'"), 0);
    });

    it('when the header is wrong or the file is missing, then it says so and imports nothing', async () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'quad-csv-')), 'h.csv');
      fs.writeFileSync(file, 'code,name\nX1,y\n');
      const res = npmScript('courses-import.ts', scratch.url, file);
      assert.equal(res.code, 1);
      assert.match(
        res.stderr,
        /line 1: header: missing column\(s\) semester, professor, department, credits, slots/,
      );
      const missing = npmScript('courses-import.ts', scratch.url, '/nonexistent.csv');
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /No such file/);
    });
  });
});
