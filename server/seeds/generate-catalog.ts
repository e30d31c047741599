/**
 * Sample course catalog generator for semester 2026-2 (2026 2학기).
 *
 * Writes server/seeds/courses-2026-2.csv (next to this script): a fictional but
 * realistic Korean university catalog with the columns
 *   semester,code,name,professor,department,credits,slots
 * Uses a seeded PRNG (mulberry32, fixed SEED) and only Node built-ins, so every
 * run produces byte-identical output. Re-run from the repo root with:
 *   npx tsx server/seeds/generate-catalog.ts [output.csv]
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const SEMESTER = '2026-2';
const SEED = 20262;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

type Day = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT';
type Meeting = { day: Day; start: number; end: number; lab: boolean }; // start/end: minutes since 00:00
type Slot = Meeting & { room: string };
type Dept = { name: string; prefix: string; hall: string; labHall: string; courses: string };

// "department;codePrefix;lectureHall;labHall;courses", courses being "level:name:credits" joined by "|".
// A trailing "*" on a course name marks a large multi-section course.
const DEPT_SPECS: readonly string[] = [
  '컴퓨터공학과;CSE;공학관;공학관;1:컴퓨터공학개론:3|1:C프로그래밍*:3|2:자료구조:3|2:이산수학:3|2:객체지향프로그래밍:3|2:컴퓨터구조:3|2:프로그래밍실습:1|3:운영체제:3|3:알고리즘:3|3:데이터베이스:3|3:컴퓨터네트워크:3|3:소프트웨어공학:3|4:인공지능개론:3|4:컴파일러:3|4:캡스톤디자인1:3',
  '전자공학과;EEE;신공학관;신공학관;1:전자공학입문:3|2:회로이론1:3|2:회로이론2:3|2:전자기학1:3|2:디지털논리회로:3|2:기초회로실험:1|3:전자회로1:4|3:신호및시스템:3|3:반도체소자:3|3:제어공학:3|4:통신시스템:3|4:임베디드시스템:3',
  '기계공학과;MEC;제2공학관;제2공학관;1:기계공학개론:2|2:정역학:3|2:동역학:3|2:재료역학:3|2:열역학1:3|3:유체역학:3|3:기계설계:3|3:기계공학실험1:2|3:열전달:3|4:자동제어:3|4:CAD/CAM:3',
  '건축학과;ARC;건축관;건축관;1:건축학개론:3|1:건축설계스튜디오1:4|2:건축사:3|2:건축구조:3|2:건축재료:2|3:건축환경계획:3|3:건축설계스튜디오3:4|3:건축법규:2|4:도시설계:3',
  '산업공학과;IE;공학관;공학관;1:산업공학개론:3|2:확률및통계:3|2:경영과학1:3|3:생산관리:3|3:품질경영:3|3:인간공학:3|3:데이터마이닝:3|4:공급사슬관리:3',
  '수학과;MAT;자연과학관;자연과학관;1:미적분학1*:3|1:미적분학2:3|1:선형대수학:3|2:해석학1:4|2:해석학2:3|2:미분방정식:3|2:집합론:3|3:현대대수학1:3|3:위상수학:3|3:복소함수론:3|3:수치해석:3|4:미분기하학:3|4:정수론:3',
  '물리학과;PHY;과학관;과학관;1:일반물리학및실험1*:3|1:일반물리학및실험2:3|2:역학1:3|2:전자기학:3|2:수리물리학1:3|3:양자역학1:3|3:열및통계물리:3|3:물리학실험1:2|4:고체물리학:3|4:입자물리학개론:3',
  '화학과;CHM;과학관;과학관;1:일반화학및실험1*:3|1:일반화학및실험2:3|2:유기화학1:3|2:유기화학2:3|2:분석화학:3|3:물리화학1:3|3:무기화학:3|3:유기화학실험:2|4:생화학:3|4:고분자화학:3',
  '생명과학과;BIO;자연과학관;과학관;1:일반생물학1:3|1:일반생물학실험1:1|2:세포생물학:3|2:유전학:3|2:미생물학:3|3:분자생물학:3|3:생화학1:3|3:생명과학실험:2|3:생태학:3|4:면역학:3|4:신경생물학:3',
  '통계학과;STA;자연과학관;자연과학관;1:통계학입문:3|2:수리통계학1:3|2:회귀분석:3|3:실험계획법:3|3:표본조사론:3|3:통계계산:3|3:R프로그래밍:2|4:데이터과학:3|4:베이즈통계:3',
  '경영학과;BUS;경영관;경영관;1:경영학원론*:3|1:회계원리:3|2:중급회계:4|2:마케팅원론:3|2:조직행동론:3|2:재무관리:3|3:인적자원관리:3|3:경영정보시스템:3|3:투자론:3|3:소비자행동:3|3:원가회계:3|4:경영전략:3|4:국제경영:3',
  '경제학과;ECO;사회과학관;사회과학관;1:경제학원론*:3|2:미시경제학:3|2:거시경제학:3|2:경제수학:3|3:계량경제학:3|3:화폐금융론:3|3:국제무역론:3|3:재정학:3|3:게임이론:3|4:노동경제학:3|4:한국경제론:3',
  '심리학과;PSY;사회과학관;사회과학관;1:심리학개론:3|2:발달심리학:3|2:사회심리학:3|2:심리통계:3|3:인지심리학:3|3:이상심리학:3|3:생물심리학:3|3:심리학실험법:3|4:임상심리학:3|4:상담심리학:3',
  '사회학과;SOC;사회과학관;사회과학관;1:사회학개론:3|2:사회조사방법론:3|2:사회이론1:3|3:도시사회학:3|3:가족사회학:3|3:문화사회학:3|3:인구와 사회:3|4:사회불평등론:3',
  '정치외교학과;POL;사회과학관;사회과학관;1:정치학개론:3|2:국제정치론:3|2:비교정치론:3|3:한국정치론:3|3:정치사상사:3|3:외교정책론:3|4:국제기구론:3|4:동아시아국제관계:3',
  '국어국문학과;KOR;인문관;인문관;1:국어학개론:3|1:국문학개론:3|2:고전문학사:3|2:현대소설론:3|2:국어문법론:3|3:현대시론:3|3:고전시가론:3|3:국어음운론:3|4:한국문학비평:3|4:한국어교육론:3',
  '영어영문학과;ENG;인문관;인문관;1:영미문학의이해:3|1:English Conversation 1:2|1:English Conversation 2:2|2:영어학개론:3|2:영국소설:3|2:미국문학사:3|3:셰익스피어:3|3:영어음성학:3|3:영미시:3|3:Advanced English Writing:3|4:영어교수법:3',
  '사학과;HIS;인문관;인문관;1:한국사의이해:3|2:한국근현대사:3|2:동양사개론:3|2:서양사개론:3|3:한국고대사:3|3:조선시대사:3|3:중국근현대사:3|3:서양근대사:3|4:역사학방법론:3',
  '철학과;PHI;인문관;인문관;1:철학의이해:3|2:논리학:3|2:서양고대철학:3|2:동양철학입문:3|3:윤리학:3|3:인식론:3|3:근대철학:3|3:과학철학:3|4:현상학:3',
  '중어중문학과;CHN;외국어관;외국어관;1:기초중국어:4|1:중국어회화1:2|2:중국어회화2:2|2:중국문학사:3|2:중국어문법:3|3:중국고전문학:3|3:현대중국사회와문화:3|3:HSK실전:2|4:중국어통번역:3',
  '미디어커뮤니케이션학과;MCM;미디어센터;미디어센터;1:미디어와사회:3|2:커뮤니케이션이론:3|2:영상제작실습:2|2:저널리즘의이해:3|3:광고론:3|3:뉴미디어론:3|3:PR전략:3|3:데이터저널리즘:3|4:미디어법과윤리:3',
  '교양학부;GEN;교양관;교양관;1:대학글쓰기*:3|1:발표와토론:2|1:College English 1*:2|1:College English 2:2|1:컴퓨팅사고:3|1:파이썬프로그래밍:3|1:기초수학:3|1:현대사회와윤리:3|1:글로벌시대의시민:2|1:과학기술과사회:3|1:한국문화의이해:3|1:인간과심리:3|1:대학생활과진로:1|1:창업과혁신:2|1:음악의이해:2|1:미술의이해:2|1:영화로 읽는 세계:3|1:역사, 문화, 그리고 도시:3|1:기초일본어:3|1:기초스페인어:3|1:통계와 데이터 리터러시:3|1:경제생활과 금융:2|1:생활스포츠(배드민턴):1|1:생활스포츠(테니스):1|1:요가:1|1:수영:1',
];
const DEPTS: readonly Dept[] = DEPT_SPECS.map((spec) => {
  const [name = '', prefix = '', hall = '', labHall = '', courses = ''] = spec.split(';');
  return { name, prefix, hall, labHall, courses };
});
// Buildings written without a space before the room number (e.g. 과학관B102, 신공학관412).
const NO_SPACE = new Set(['과학관', '신공학관', '외국어관']);
const FOREIGN: Record<string, string[]> = {
  ENG: ['John Smith', 'Emily Carter'],
  GEN: ['Michael Brown', 'Sarah Johnson', 'David Miller'],
};
const SURNAMES =
  '김김김김김이이이이박박박최최정정강강조조윤윤장장임한오서신권황안송류전홍고문양손배백허남심노'.split('');
const GIVEN_NAMES =
  '민수 서연 지훈 지민 현우 수진 영호 은지 도윤 하은 준혁 예린 성민 지영 태현 소연 재원 유진 동현 혜진 승우 미경 상철 경희 정훈 윤서 건우 나연 형준 보람 진우 수빈 민재 지원 영수 은영 병철 미라 재석 선영 동욱 현정 기훈 다은 종민 주희 상욱 세영 용준 혜원 민호 정아 성호 유나 우진 소희 창민 은비 태윤 채원';
const GIVEN = GIVEN_NAMES.split(' ');

const B75 = [540, 630, 720, 810, 900, 990, 1080] as const; // 09:00 10:30 12:00 13:30 15:00 16:30 18:00
const B3H = [540, 780, 840, 1080, 1140] as const; // 09:00-11:50 13:00-15:50 14:00-16:50 18:00-20:50 19:00-21:50
const WEEKDAYS: readonly Day[] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
const m = (day: Day, start: number, len: number, lab = false): Meeting => ({
  day,
  start,
  end: start + len,
  lab,
});
const overlaps = (a: Meeting, b: Meeting): boolean => a.day === b.day && a.start < b.end && b.start < a.end;

function dayPair(): [Day, Day] {
  const r = rand();
  return r < 0.47 ? ['MON', 'WED'] : r < 0.94 ? ['TUE', 'THU'] : r < 0.97 ? ['WED', 'FRI'] : ['MON', 'THU'];
}
function pair75(): Meeting[] {
  const [d1, d2] = dayPair();
  const s = rand() < 0.04 ? 1170 : pick(B75); // 19:30-20:45 evening block is rare
  return [m(d1, s, 75), m(d2, s, 75)];
}
function otherDay(used: readonly Meeting[]): Day {
  const free = WEEKDAYS.filter((d) => !used.some((u) => u.day === d));
  return free.includes('FRI') && rand() < 0.6 ? 'FRI' : pick(free);
}

// Draw the weekly meeting pattern for one section.
function drawMeetings(name: string, credits: number): Meeting[] {
  const r = rand();
  if (/및실험/.test(name)) {
    const lec = pair75();
    return [...lec, m(otherDay(lec), pick([540, 780, 840]), 170, true)];
  }
  if (/(실험|실습)\d?$/.test(name)) {
    return [m(pick(WEEKDAYS), pick([540, 780, 840]), credits === 1 && r < 0.5 ? 110 : 170, true)];
  }
  if (/생활스포츠|요가|수영/.test(name)) return [m(pick(WEEKDAYS), pick([540, 660, 780, 900]), 110, true)];
  if (/스튜디오/.test(name)) {
    const [d1, d2] = dayPair();
    return [m(d1, 780, 170), m(d2, 780, 170)];
  }
  if (credits === 4) {
    if (r < 0.5) {
      const lec = pair75();
      return [...lec, m(otherDay(lec), 60 * int(9, 17), 50)];
    }
    const [d1, d2] = dayPair();
    const s = 60 * pick([9, 11, 13, 15]);
    return [m(d1, s, 110), m(d2, s, 110)];
  }
  if (credits === 3) {
    if (r < 0.7) return pair75();
    if (r < 0.84) {
      const s = 60 * int(9, 17);
      return [m('MON', s, 50), m('WED', s, 50), m('FRI', s, 50)];
    }
    return [m(rand() < 0.12 ? 'SAT' : pick(WEEKDAYS), pick(B3H), 170)];
  }
  if (credits === 2) {
    if (r < 0.6) return [m(pick(WEEKDAYS), 60 * pick([9, 11, 13, 15, 17, 19]), 110)];
    const [d1, d2] = dayPair();
    const s = 60 * int(9, 18);
    return [m(d1, s, 50), m(d2, s, 50)];
  }
  return [m(pick(WEEKDAYS), 60 * int(9, 17), 50)];
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const hhmm = (t: number): string => `${pad2(Math.floor(t / 60))}:${pad2(t % 60)}`;
function roomName(hall: string, lab: boolean): string {
  const num = hall === '과학관' && lab ? `B1${pad2(int(1, 12))}` : String(int(1, 5) * 100 + int(1, 15));
  return `${hall}${NO_SPACE.has(hall) ? '' : ' '}${num}`;
}

const roomBusy = new Map<string, Meeting[]>();
const profBusy = new Map<string, Meeting[]>();
const profLoad = new Map<string, number>();
const pools = new Map<string, string[]>();
const usedNames = new Set<string>(Object.values(FOREIGN).flat());
const isFree = (busy: Map<string, Meeting[]>, key: string, ms: readonly Meeting[]): boolean =>
  !(busy.get(key) ?? []).some((b) => ms.some((x) => overlaps(b, x)));
const book = (busy: Map<string, Meeting[]>, key: string, ms: readonly Meeting[]): void => {
  busy.set(key, [...(busy.get(key) ?? []), ...ms]);
};
function newProfessor(): string {
  for (;;) {
    const n = pick(SURNAMES) + pick(GIVEN);
    if (!usedNames.has(n)) {
      usedNames.add(n);
      return n;
    }
  }
}
function chooseProfessor(
  dept: Dept,
  name: string,
  taken: ReadonlySet<string>,
  ms: readonly Meeting[],
): string {
  const foreign = FOREIGN[dept.prefix] ?? [];
  const pool = pools.get(dept.prefix) ?? [...foreign];
  pools.set(dept.prefix, pool);
  const ok = pool.filter(
    (p) =>
      !taken.has(p) &&
      (profLoad.get(p) ?? 0) < 3 &&
      isFree(profBusy, p, ms) &&
      (/English/.test(name) || !foreign.includes(p)),
  );
  if (ok.length > 0 && rand() < 0.85) return pick(ok);
  const p = newProfessor();
  pool.push(p);
  return p;
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const lines = ['semester,code,name,professor,department,credits,slots'];
for (const dept of DEPTS) {
  const seqByLevel = new Map<number, number>();
  for (const spec of dept.courses.split('|')) {
    const [lv, rawName, cr] = spec.split(':');
    const level = Number(lv);
    const credits = Number(cr);
    const big = (rawName ?? '').endsWith('*');
    const name = (rawName ?? '').replace(/\*$/, '');
    const seq = (seqByLevel.get(level) ?? 0) + 1;
    seqByLevel.set(level, seq);
    const code = `${dept.prefix}${level * 1000 + seq * 10}`;
    const r = rand();
    const twoSectionOdds = level === 1 && dept.prefix !== 'GEN' ? 0.55 : 0.4;
    const sections = big ? int(3, 5) : r < twoSectionOdds ? 2 : 1;
    const taken = new Set<string>();
    const timesSeen = new Set<string>();
    for (let sec = 1; sec <= sections; sec++) {
      let row: string | undefined;
      for (let attempt = 0; attempt < 500 && row === undefined; attempt++) {
        const ms = drawMeetings(name, credits);
        if (ms.some((a, i) => ms.some((b, j) => i < j && overlaps(a, b))))
          throw new Error(`self-overlap in ${code}`);
        const timeKey = ms.map((x) => `${x.day}${x.start}`).join(';');
        if (timesSeen.has(timeKey)) continue;
        const lecRoom = roomName(dept.hall, false);
        const labRoom = roomName(/생활스포츠|요가|수영/.test(name) ? '체육관' : dept.labHall, true);
        const slots: Slot[] = ms.map((x) => ({ ...x, room: x.lab ? labRoom : lecRoom }));
        if (!slots.every((s) => isFree(roomBusy, s.room, [s]))) continue;
        const prof = chooseProfessor(dept, name, taken, ms);
        slots.forEach((s) => book(roomBusy, s.room, [s]));
        book(profBusy, prof, ms);
        profLoad.set(prof, (profLoad.get(prof) ?? 0) + 1);
        taken.add(prof);
        timesSeen.add(timeKey);
        const slotText = slots.map((s) => `${s.day} ${hhmm(s.start)}-${hhmm(s.end)} ${s.room}`).join(';');
        row = [SEMESTER, `${code}-${pad2(sec)}`, name, prof, dept.name, String(credits), slotText]
          .map(csvField)
          .join(',');
      }
      if (row === undefined) throw new Error(`could not schedule ${code}-${pad2(sec)}`);
      lines.push(row);
    }
  }
}

const out = process.argv[2] ?? join(dirname(resolve(process.argv[1] ?? '.')), 'courses-2026-2.csv');
writeFileSync(out, lines.join('\n') + '\n', 'utf8');
process.stdout.write(`wrote ${lines.length - 1} courses to ${out}\n`);
