import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// js-yaml (a dev dependency; mocha uses it too) parses the file; no runtime dependency is added.
import { load } from 'js-yaml';

const ROOT = path.resolve(__dirname, '..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  ports?: unknown[];
}

interface ComposeFile {
  services?: Record<string, Service>;
}

/** The environment of a service as a map, whichever of the two Compose forms it uses. */
function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const eq = entry.indexOf('=');
        return eq === -1 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** The executable `name` on PATH, or undefined. */
function onPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

describe('docker-compose.yml', () => {
  const compose = load(fs.readFileSync(COMPOSE_FILE, 'utf8')) as ComposeFile;
  const services = compose.services ?? {};
  const service = (name: string): Service => {
    const s = services[name];
    assert.ok(s, `service ${name} is missing`);
    return s;
  };

  it('when parsed, then it defines the mysql, redis and app services', () => {
    assert.deepEqual(Object.keys(services).sort(), ['app', 'mysql', 'redis']);
    assert.match(service('mysql').image ?? '', /^mysql:8\.0\b/);
    assert.match(service('redis').image ?? '', /^redis:7-alpine\b/);
    assert.ok(service('app').build, 'app is built from the Dockerfile');
    assert.ok(
      (service('app').ports ?? []).some((p) => /^(\d+\.\d+\.\d+\.\d+:)?3000:3000$/.test(String(p))),
      'app publishes port 3000',
    );
  });

  it('when the app starts, then DATABASE_URL, REDIS_URL and JWT_SECRET reach it under the names Quad reads', () => {
    const env = environment(service('app'));
    assert.equal(env.NODE_ENV, 'production');
    assert.match(env.DATABASE_URL ?? '', /^mysql:\/\//);
    assert.match(env.REDIS_URL ?? '', /^redis:\/\//);
    // Required with an error message: Compose refuses to start without it instead of passing ''.
    assert.match(env.JWT_SECRET ?? '', /^\$\{JWT_SECRET:\?[^}]+\}$/);
    for (const name of ['CORS_ORIGINS', 'TRUST_PROXY', 'LOG_LEVEL'])
      assert.ok(name in env, `${name} is passed`);
  });

  it('when the app connects, then its URLs name the mysql and redis services and the MySQL user and database', () => {
    const app = environment(service('app'));
    const mysql = environment(service('mysql'));
    // The password is an interpolation like ${MYSQL_PASSWORD:-quad}, not URL syntax: split by hand.
    const db = /^mysql:\/\/([^:@/]+):(.+)@([^:@/]+):3306\/(\w+)$/.exec(app.DATABASE_URL ?? '');
    assert.ok(db, `DATABASE_URL has the shape mysql://user:password@host:3306/db (${app.DATABASE_URL})`);
    const [, user, password, host, database] = db;
    assert.equal(host, 'mysql');
    assert.equal(user, mysql.MYSQL_USER);
    assert.equal(password, mysql.MYSQL_PASSWORD);
    assert.equal(database, mysql.MYSQL_DATABASE);
    assert.equal(database, 'quad');
    assert.equal(app.REDIS_URL, 'redis://redis:6379');
  });

  it('when MySQL creates tables, then the server defaults to utf8mb4', () => {
    const command = [service('mysql').command ?? []].flat().join(' ');
    assert.match(command, /--character-set-server=utf8mb4\b/);
    assert.match(command, /--collation-server=utf8mb4_/);
  });

  it('when the app starts, then it waits for healthy mysql and redis', () => {
    const dependsOn = service('app').depends_on;
    assert.ok(dependsOn && !Array.isArray(dependsOn), 'depends_on uses the long form with conditions');
    assert.deepEqual(Object.keys(dependsOn).sort(), ['mysql', 'redis']);
    for (const name of ['mysql', 'redis']) {
      assert.equal(dependsOn[name]?.condition, 'service_healthy', name);
      assert.ok(service(name).healthcheck?.test, `${name} has a healthcheck`);
    }
  });

  describe('when docker-compose is on PATH', () => {
    const bin = onPath('docker-compose');
    let envFile: string;
    before(() => {
      // An empty env file, so a developer's .env cannot change the outcome.
      envFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'quad-compose-')), 'empty.env');
      fs.writeFileSync(envFile, '');
    });
    after(() => fs.rmSync(path.dirname(envFile), { recursive: true, force: true }));

    const config = (env: NodeJS.ProcessEnv) =>
      spawnSync(bin!, ['--env-file', envFile, '-f', COMPOSE_FILE, 'config', '-q'], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 20_000,
      });
    const baseEnv = () => {
      const env = { ...process.env };
      delete env.JWT_SECRET;
      return env;
    };

    it('when JWT_SECRET is set, then `docker-compose config -q` accepts the file', () => {
      if (!bin) return; // nothing more to check without the binary
      const res = config({ ...baseEnv(), JWT_SECRET: crypto.randomBytes(48).toString('base64') });
      assert.equal(res.status, 0, `docker-compose config failed:\n${res.stderr}${res.stdout}`);
    });

    it('when JWT_SECRET is unset, then `docker-compose config` refuses, naming it', () => {
      if (!bin) return;
      const res = config(baseEnv());
      assert.notEqual(res.status, 0);
      assert.match(res.stderr, /JWT_SECRET/);
    });
  });
});
