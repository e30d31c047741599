import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoginDto, UserDto } from '../shared/dto';
import { http, PASSWORD, socket, uniqueName, uniqueNick } from './helpers/clients';
import { freePort } from '../deploy/cluster/checks';

/*
 * The real `tsx server/main.ts` process, with a controlled environment. These tests always use
 * SQLite in a fresh temp DATA_DIR, whatever QUAD_TEST_BACKEND says: they are about the process.
 */

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const SECRET_48 = 'k'.repeat(16) + 'Q7x'.repeat(8) + 'z'.repeat(8);

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Spawned {
  child: ChildProcess;
  port: number;
  url: string;
  dataDir: string;
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited and its output is drained. */
  exited: Promise<Exit>;
}

const spawned: Spawned[] = [];
const dataDirs: string[] = [];

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quad-config-'));
  dataDirs.push(dir);
  return dir;
}

/** Starts `tsx server/main.ts` with only PATH, HOME and `env` in its environment. */
function spawnServer(env: Record<string, string>, port: number, dataDir: string): Spawned {
  let out = '';
  let err = '';
  // detached: its own process group, so afterEach can kill tsx and the node it starts together.
  const child = spawn(TSX, ['server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const s: Spawned = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    stdout: () => out,
    stderr: () => err,
    exited,
  };
  spawned.push(s);
  return s;
}

/** Starts the server with DATA_DIR and PORT set, plus `env`, and waits until /healthz answers. */
async function startServer(env: Record<string, string> = {}, dataDir = tempDataDir()): Promise<Spawned> {
  const port = await freePort();
  const s = spawnServer({ DATA_DIR: dataDir, PORT: String(port), ...env }, port, dataDir);
  await ready(s);
  return s;
}

async function ready(s: Spawned, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void s.exited.then(() => (done = true));
  while (Date.now() < deadline) {
    if (done) throw new Error(`server exited before it was ready:\n${s.stderr()}${s.stdout()}`);
    const status = await http(s.url, 'GET', '/healthz').then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready within ${timeoutMs} ms:\n${s.stderr()}${s.stdout()}`);
}

/** Waits for the process to exit; rejects if it takes longer than `ms`. */
async function exitWithin(s: Spawned, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms:\n${s.stderr()}`)), ms);
  });
  try {
    return await Promise.race([s.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Signs up and logs in through the spawned server's REST API. */
async function login(url: string): Promise<LoginDto> {
  const username = uniqueName('proc');
  const signup = await http(url, 'POST', '/api/auth/signup', {
    json: { username, password: PASSWORD, nickname: uniqueNick('프로') },
  });
  assert.equal(signup.status, 201, JSON.stringify(signup.body));
  const res = await http<LoginDto>(url, 'POST', '/api/auth/login', {
    json: { username, password: PASSWORD },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

describe('configuration and process (spawned server)', function () {
  this.timeout(30_000);

  afterEach(async () => {
    for (const s of spawned.splice(0)) {
      if (s.child.exitCode === null && s.child.signalCode === null && s.child.pid) {
        try {
          process.kill(-s.child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await exitWithin(s, 5_000).catch(() => undefined);
      }
    }
    for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('invalid configuration', () => {
    const cases: [string, string][] = [
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['DATABASE_URL', 'postgres://x'],
      ['LOG_LEVEL', 'loud'],
      ['ACCESS_TOKEN_TTL', 'soon'],
      ['JWT_SECRET', 'short'],
    ];
    for (const [name, value] of cases) {
      it(`when ${name}=${value}, then it exits 1 within seconds with one stderr line naming ${name}`, async () => {
        const dataDir = tempDataDir();
        const port = await freePort();
        const s = spawnServer({ DATA_DIR: dataDir, PORT: String(port), [name]: value }, port, dataDir);
        const t0 = Date.now();
        const exit = await exitWithin(s, 10_000);
        assert.equal(exit.code, 1, s.stderr());
        assert.ok(Date.now() - t0 < 10_000);
        assert.match(s.stderr(), /^[^\n]+\n$/, `exactly one line, got: ${JSON.stringify(s.stderr())}`);
        assert.ok(s.stderr().includes(name), s.stderr());
        assert.equal(s.stdout(), '', 'nothing was started, so nothing was logged');
      });
    }
  });

  describe('production', () => {
    it('when NODE_ENV=production has no JWT_SECRET, then it exits 1 with one line naming JWT_SECRET', async () => {
      const dataDir = tempDataDir();
      const port = await freePort();
      const s = spawnServer({ NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port) }, port, dataDir);
      const exit = await exitWithin(s, 10_000);
      assert.equal(exit.code, 1);
      assert.match(s.stderr(), /^[^\n]*JWT_SECRET[^\n]*\n$/);
      assert.equal(
        fs.existsSync(path.join(dataDir, 'jwt-secret')),
        false,
        'no development secret in production',
      );
    });

    it('when NODE_ENV=production has a secret but the SQLite default, then it exits 1 naming DATABASE_URL and ALLOW_SQLITE_IN_PRODUCTION', async () => {
      const dataDir = tempDataDir();
      const port = await freePort();
      const env = { NODE_ENV: 'production', JWT_SECRET: SECRET_48, DATA_DIR: dataDir, PORT: String(port) };
      const s = spawnServer(env, port, dataDir);
      const exit = await exitWithin(s, 10_000);
      assert.equal(exit.code, 1);
      assert.match(s.stderr(), /^[^\n]+\n$/);
      assert.match(s.stderr(), /DATABASE_URL/);
      assert.match(s.stderr(), /ALLOW_SQLITE_IN_PRODUCTION/);
    });

    it('when NODE_ENV=production allows SQLite explicitly, then it serves /healthz and SIGTERM stops it with 0', async () => {
      const s = await startServer({
        NODE_ENV: 'production',
        JWT_SECRET: SECRET_48,
        ALLOW_SQLITE_IN_PRODUCTION: '1',
      });
      const health = await http(s.url, 'GET', '/healthz');
      assert.equal(health.status, 200);
      assert.deepEqual(health.body, { status: 'ok', redis: 'off' });
      assert.equal(
        fs.existsSync(path.join(s.dataDir, 'jwt-secret')),
        false,
        'the secret came from JWT_SECRET',
      );
      s.child.kill('SIGTERM');
      const exit = await exitWithin(s, 10_000);
      assert.equal(exit.code, 0, s.stderr());
    });
  });

  describe('development defaults', () => {
    it('when only DATA_DIR and PORT are set, then it starts with quad.sqlite and a 0600 jwt-secret in DATA_DIR', async () => {
      const s = await startServer();
      assert.ok(fs.statSync(path.join(s.dataDir, 'quad.sqlite')).isFile());
      const secretFile = path.join(s.dataDir, 'jwt-secret');
      assert.equal(fs.statSync(secretFile).mode & 0o777, 0o600);
      assert.ok(fs.readFileSync(secretFile, 'utf8').trim().length >= 32);
      assert.equal((await http(s.url, 'GET', '/readyz')).status, 200);
    });

    it('when restarted on the same DATA_DIR, then the secret is reused and an earlier access token still works', async () => {
      const first = await startServer();
      const secret = fs.readFileSync(path.join(first.dataDir, 'jwt-secret'), 'utf8');
      const u = await login(first.url);
      first.child.kill('SIGTERM');
      assert.equal((await exitWithin(first, 10_000)).code, 0);

      const second = await startServer({}, first.dataDir);
      assert.equal(fs.readFileSync(path.join(second.dataDir, 'jwt-secret'), 'utf8'), secret);
      const me = await http<{ user: UserDto }>(second.url, 'GET', '/api/auth/me', { token: u.accessToken });
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal(me.body.user.id, u.user.id);
    });
  });

  describe('signals', () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(`when ${signal} arrives while a socket is connected, then it exits 0 within 10 s and the client is disconnected`, async () => {
        const s = await startServer();
        const u = await login(s.url);
        const client = socket(s.url, '/boards', { token: u.accessToken });
        await client.connected();
        const who = await client.ask('whoami');
        assert.equal(who.ok, true);
        const disconnected = new Promise<string>((resolve) =>
          client.socket.once('disconnect', (r) => resolve(r)),
        );

        const t0 = Date.now();
        s.child.kill(signal);
        const exit = await exitWithin(s, 10_000);
        assert.equal(exit.code, 0, s.stderr());
        assert.ok(Date.now() - t0 < 10_000);
        const reason = await Promise.race([
          disconnected,
          new Promise<string>((r) => setTimeout(() => r('no disconnect event'), 5_000)),
        ]);
        assert.ok(['io server disconnect', 'transport close'].includes(reason), reason);
        assert.equal(client.socket.connected, false);
      });
    }
  });

  describe('logs', () => {
    it('when a user signs up, logs in, refreshes and logs out, then stdout never holds the password or a token', async () => {
      const s = await startServer();
      const u = await login(s.url);
      const wrongPassword = 'not-the-password-93';
      const failed = await http(s.url, 'POST', '/api/auth/login', {
        json: { username: u.user.username, password: wrongPassword },
      });
      assert.equal(failed.status, 401);
      const refreshed = await http<LoginDto>(s.url, 'POST', '/api/auth/refresh', {
        json: { refreshToken: u.refreshToken },
      });
      assert.equal(refreshed.status, 200);
      const out = await http(s.url, 'POST', '/api/auth/logout', { token: refreshed.body.accessToken });
      assert.equal(out.status, 204);
      const secret = fs.readFileSync(path.join(s.dataDir, 'jwt-secret'), 'utf8').trim();
      s.child.kill('SIGTERM');
      assert.equal((await exitWithin(s, 10_000)).code, 0);

      const log = s.stdout();
      const lines = log.split('\n').filter(Boolean);
      for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), line);
      // The run was really logged: one line per request, with its URL.
      for (const url of ['/api/auth/signup', '/api/auth/login', '/api/auth/refresh', '/api/auth/logout']) {
        assert.ok(
          lines.some((l) => l.includes(`"url":"${url}"`)),
          `no request line for ${url}`,
        );
      }
      const secrets = {
        password: PASSWORD,
        wrongPassword,
        accessToken: u.accessToken,
        refreshToken: u.refreshToken,
        refreshedAccessToken: refreshed.body.accessToken,
        refreshedRefreshToken: refreshed.body.refreshToken,
        jwtSecret: secret,
      };
      for (const [what, value] of Object.entries(secrets))
        assert.ok(!log.includes(value), `the log holds the ${what}`);
    });
  });
});
