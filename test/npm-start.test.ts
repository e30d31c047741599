import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../deploy/cluster/checks';
import { until, wait } from './helpers/waiting';

const ROOT = path.resolve(__dirname, '..');

/** `npm start` as a newcomer runs it, on a port and a data directory of its own. */
async function npmStart() {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quad-npm-start-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'NODE_ENV']) delete env[k];
  const npm = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  npm.stdout.on('data', (c: Buffer) => (out += c.toString()));
  npm.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
  for (const started = Date.now(); ; await wait(200)) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() - started > 30_000) assert.fail(`npm start did not become ready:\n${out}`);
  }
  // The process npm started for the script (its only child).
  const child = Number(
    execFileSync('pgrep', ['-P', String(npm.pid)])
      .toString()
      .trim()
      .split('\n')[0],
  );
  return {
    npm,
    child,
    exited,
    port,
    output: () => out,
    cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start and signals', function () {
  this.timeout(60_000);

  for (const target of ['the process npm start created', 'npm itself'] as const) {
    it(`when SIGTERM goes to ${target}, then Quad drains and stops, and nothing is left running`, async () => {
      const s = await npmStart();
      try {
        // npm's child is Quad's own Node process (the script execs it), not a shell in between.
        const cmd = fs.readFileSync(`/proc/${s.child}/cmdline`, 'utf8').split('\0').join(' ');
        assert.match(cmd, /node .*server\/main\.ts/);
        process.kill(target === 'npm itself' ? s.npm.pid! : s.child, 'SIGTERM');
        await s.exited;
        await until(() => !alive(s.child), 'Quad to exit', 15_000);
        assert.match(s.output(), /"msg":"quad stopped"/);
        const gone = await fetch(`http://127.0.0.1:${s.port}/healthz`).then(
          () => false,
          () => true,
        );
        assert.equal(gone, true, 'Quad still answers');
      } finally {
        if (alive(s.child)) process.kill(s.child, 'SIGKILL');
        s.cleanup();
      }
    });
  }
});
