import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The dependency floor set by known CVEs, checked against every copy package-lock.json
 * installs (including nested ones), so a transitive downgrade fails here even where the
 * registry's audit service cannot be reached.
 */
const FLOOR: Record<string, string> = {
  'socket.io': '4.8.3',
  'engine.io': '6.6.9',
  'socket.io-parser': '4.2.6',
  ws: '8.21.0',
  jsonwebtoken: '9.0.0',
  sequelize: '6.37.8',
  mysql2: '3.9.8',
};

function atLeast(version: string, floor: string): boolean {
  const a = version.split(/[.-]/).map(Number);
  const b = floor.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

describe('dependency floor', () => {
  it('when package-lock.json is read, then every installed copy of a CVE-bound package meets its floor', () => {
    const lock = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    const found = new Map<string, string[]>();
    for (const [where, meta] of Object.entries(lock.packages)) {
      const name = where.split('node_modules/').pop() ?? '';
      if (!(name in FLOOR) || !meta.version) continue;
      found.set(name, [...(found.get(name) ?? []), meta.version]);
      assert.ok(atLeast(meta.version, FLOOR[name]!), `${where}@${meta.version} is below ${FLOOR[name]}`);
    }
    assert.deepEqual(
      [...found.keys()].sort(),
      Object.keys(FLOOR).sort(),
      'every floored package is installed',
    );
    assert.ok(
      found.get('jsonwebtoken')!.every((v) => v.startsWith('9.')),
      'jsonwebtoken 9',
    );
  });
});
