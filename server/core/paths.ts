import fs from 'node:fs';
import path from 'node:path';

/** The project root (the folder with package.json), both when run from source and from dist/. */
function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${start}`);
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot(__dirname);
