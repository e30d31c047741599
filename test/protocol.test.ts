import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ERROR_CODES } from '../shared/errors';

const root = path.resolve(__dirname, '..');
const events = fs.readFileSync(path.join(root, 'shared/events.ts'), 'utf8');
const protocol = fs.readFileSync(path.join(root, 'docs/protocol.md'), 'utf8');

/** The members of one interface in shared/events.ts: `'name': Command<…>` or `name: Push<…>`. */
function members(iface: string): string[] {
  const body = new RegExp(`export interface ${iface}[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(events)?.[1];
  assert.ok(body, `interface ${iface} in shared/events.ts`);
  return [...body.matchAll(/^\s+'?([\w:]+)'?:\s*(?:Command|Push|\()/gm)].map((m) => m[1]!);
}

/** The event names in the first column of the tables of one protocol.md section. */
function documented(heading: string): Set<string> {
  const start = protocol.indexOf(heading);
  assert.ok(start >= 0, `section ${heading} in docs/protocol.md`);
  const next = protocol.indexOf('\n## ', start + heading.length);
  const section = protocol.slice(start, next < 0 ? undefined : next);
  return new Set([...section.matchAll(/^\| `([\w:]+)`/gm)].map((m) => m[1]!));
}

/** Event names start with a lower-case letter; the error-code table's rows do not. */
const eventsIn = (heading: string) => new Set([...documented(heading)].filter((n) => /^[a-z]/.test(n)));

describe('docs/protocol.md and shared/events.ts', () => {
  it('when the error codes are read from shared/errors.ts, then each is documented', () => {
    const documentedCodes = [...documented('## 3. Commands and acknowledgements')].filter((n) =>
      /^[A-Z_]+$/.test(n),
    );
    assert.deepEqual(documentedCodes.sort(), [...ERROR_CODES].sort());
  });

  const cases: Array<[string, string[], string]> = [
    ['common commands', members('CommonCommands'), '## 3. Commands and acknowledgements'],
    ['common pushes', members('CommonPushes'), '## 4. Pushes and the event log'],
    [
      '/boards commands and pushes',
      [...members('BoardsCommands'), ...members('BoardsPushes')],
      '## 5. `/boards`',
    ],
    [
      '/comments commands and pushes',
      [...members('CommentsCommands'), ...members('CommentsPushes')],
      '## 6. `/comments`',
    ],
    [
      '/timetables commands and pushes',
      [...members('TimetablesCommands'), ...members('TimetablesPushes')],
      '## 7. `/timetables`',
    ],
    [
      '/messages commands and pushes',
      [...members('MessagesCommands'), ...members('MessagesPushes')],
      '## 15. 쪽지 (private messages): `/messages`',
    ],
  ];
  for (const [name, inCode, heading] of cases) {
    it(`when the ${name} are read from shared/, then each has a row in docs/protocol.md and vice versa`, () => {
      const inDocs = eventsIn(heading);
      assert.ok(inCode.length > 0);
      const missing = inCode.filter((e) => !inDocs.has(e));
      assert.deepEqual(missing, [], `in shared/events.ts but not documented under ${heading}`);
      const extra = [...inDocs].filter((e) => !inCode.includes(e) && !members('CommonPushes').includes(e));
      assert.deepEqual(extra, [], `documented under ${heading} but not in shared/events.ts`);
    });
  }
});
