import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS } from '../server/core/config';

describe('settings are documented', () => {
  it('when the README is read, then its Configuration section names every setting the server parses', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('## Configuration'),
      readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5),
    );
    const missing = SETTINGS.filter((name) => !section.includes(`\`${name}\``));
    assert.deepEqual(missing, [], `README "Configuration" lacks ${missing.join(', ')}`);
  });
});
