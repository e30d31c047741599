import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// js-yaml (a dev dependency; mocha uses it too) parses the file; no runtime dependency is added.
import { load, YAML11_SCHEMA } from 'js-yaml';
import { findNginx, renderTemplate, testConfig, writeConfig } from '../deploy/cluster/nginx';
import { localCertificate } from '../deploy/cluster/tls';
import { loadConfig } from '../server/core/config';

const ROOT = path.resolve(__dirname, '..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
const TEMPLATE = path.join(ROOT, 'deploy', 'nginx', 'quad.conf.template');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  ports?: unknown[];
  volumes?: unknown[];
  restart?: string;
}

/** depends_on as `{ service: condition }`. */
function conditions(service: Service): Record<string, string | undefined> {
  const dependsOn = service.depends_on;
  assert.ok(dependsOn && !Array.isArray(dependsOn), 'depends_on uses the long form with conditions');
  return Object.fromEntries(Object.entries(dependsOn).map(([name, d]) => [name, d.condition]));
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
  // YAML 1.1, as Compose reads it: with `<<` merge keys, which the file's shared blocks use.
  const compose = load(fs.readFileSync(COMPOSE_FILE, 'utf8'), { schema: YAML11_SCHEMA }) as ComposeFile;
  const services = compose.services ?? {};
  const service = (name: string): Service => {
    const s = services[name];
    assert.ok(s, `service ${name} is missing`);
    return s;
  };
  const REPLICAS = ['app1', 'app2'];
  const QUAD = ['migrate', ...REPLICAS];

  it('when parsed, then it defines nginx, two Quad replicas, a migrate job, a certs job, mysql and redis', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'app1',
      'app2',
      'certs',
      'migrate',
      'mysql',
      'nginx',
      'redis',
    ]);
    assert.match(service('mysql').image ?? '', /^mysql:8\.0\b/);
    assert.match(service('redis').image ?? '', /^redis:7-alpine\b/);
    assert.match(service('nginx').image ?? '', /^nginx:[\w.-]+$/);
    for (const name of QUAD) {
      assert.ok(service(name).build, `${name} is built from the Dockerfile`);
      assert.equal(service(name).image, service('app1').image, `${name} runs the same image`);
    }
  });

  it('when deployed, then only nginx is published, on 443 and 80', () => {
    const ports = (service('nginx').ports ?? []).map(String);
    assert.ok(
      ports.some((p) => /:443$/.test(p)),
      `nginx publishes 443 (${ports.join(', ')})`,
    );
    assert.ok(
      ports.some((p) => /:80$/.test(p)),
      `nginx publishes 80 (${ports.join(', ')})`,
    );
    for (const name of Object.keys(services).filter((n) => n !== 'nginx'))
      assert.equal(service(name).ports, undefined, `${name} publishes no port`);
  });

  it('when Quad starts, then DATABASE_URL, REDIS_URL and JWT_SECRET reach it under the names Quad reads', () => {
    for (const name of QUAD) {
      const env = environment(service(name));
      assert.equal(env.NODE_ENV, 'production');
      assert.match(env.DATABASE_URL ?? '', /^mysql:\/\//);
      assert.match(env.REDIS_URL ?? '', /^redis:\/\//);
      // Passed through as is: unset, Compose warns and passes '', which Quad refuses in production.
      assert.equal(env.JWT_SECRET, '${JWT_SECRET}');
      for (const v of ['CORS_ORIGINS', 'TRUST_PROXY', 'LOG_LEVEL', 'DB_POOL_MAX'])
        assert.ok(v in env, `${v} is passed to ${name}`);
      // Behind nginx, one trusted hop (the apps publish no port, so nginx is their only peer).
      assert.match(env.TRUST_PROXY ?? '', /^\$\{TRUST_PROXY:-1\}$/);
    }
  });

  it('when Quad connects, then its URLs name the mysql and redis services and the MySQL user and database', () => {
    const app = environment(service('app1'));
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

  it('when the stack starts, then migrate runs once after mysql is healthy, and the replicas wait for it to succeed', () => {
    assert.deepEqual([service('migrate').command ?? []].flat(), ['node', 'dist/server/scripts/migrate.js']);
    assert.deepEqual(conditions(service('migrate')), { mysql: 'service_healthy' });
    assert.equal(service('migrate').restart, 'no');
    for (const name of REPLICAS) {
      assert.deepEqual(conditions(service(name)), {
        migrate: 'service_completed_successfully',
        mysql: 'service_healthy',
        redis: 'service_healthy',
      });
    }
    for (const name of ['mysql', 'redis'])
      assert.ok(service(name).healthcheck?.test, `${name} has a healthcheck`);
  });

  it('when a replica is checked, then its health is /readyz, and nginx starts once both are healthy', () => {
    for (const name of REPLICAS)
      assert.match([service(name).healthcheck?.test ?? []].flat().join(' '), /\/readyz/, name);
    assert.deepEqual(conditions(service('nginx')), {
      app1: 'service_healthy',
      app2: 'service_healthy',
      certs: 'service_completed_successfully',
    });
  });

  it('when nginx starts, then it renders deploy/nginx/quad.conf.template with a value for every placeholder', () => {
    const nginx = service('nginx');
    assert.ok(
      (nginx.volumes ?? []).some((v) =>
        /^\.\/deploy\/nginx\/quad\.conf\.template:\/etc\/nginx\/templates\/[\w.-]+\.template(:ro)?$/.test(
          String(v),
        ),
      ),
      'the template is mounted where the image renders templates',
    );
    const env = environment(nginx);
    assert.equal(env.NGINX_ENVSUBST_FILTER, '^QUAD_');
    const placeholders = [...fs.readFileSync(TEMPLATE, 'utf8').matchAll(/\$\{(QUAD_[A-Z0-9_]+)\}/g)].map(
      (m) => m[1]!,
    );
    for (const name of new Set(placeholders)) assert.ok(env[name], `nginx's environment sets ${name}`);
    for (const app of REPLICAS) assert.match(env.QUAD_SERVERS ?? '', new RegExp(`server ${app}:3000\\b`));
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

    it('when JWT_SECRET is unset, then `docker-compose config` still accepts the file, warning about it, and Quad refuses the empty secret', () => {
      if (!bin) return;
      const res = config(baseEnv());
      assert.equal(res.status, 0, `docker-compose config failed:\n${res.stderr}${res.stdout}`);
      assert.match(res.stderr, /JWT_SECRET/);
      assert.throws(
        () =>
          loadConfig({
            NODE_ENV: 'production',
            JWT_SECRET: '',
            DATABASE_URL: 'mysql://quad@mysql:3306/quad',
          }),
        /JWT_SECRET is required when NODE_ENV=production/,
      );
    });
  });

  describe('when nginx and openssl are installed', () => {
    const nginx = findNginx();
    it("when the template is rendered with the nginx service's values, then `nginx -t` accepts it", () => {
      if (!nginx || !onPath('openssl')) return; // .ci/run installs both; elsewhere nothing to run
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quad-nginx-'));
      try {
        const { cert, key } = localCertificate(path.join(dir, 'tls'));
        const values: Record<string, string> = {
          ...environment(service('nginx')),
          QUAD_TLS_CERT: cert,
          QUAD_TLS_KEY: key,
        };
        // `nginx -t` binds no port but resolves upstream host names; the compose service names exist only in Docker.
        values.QUAD_SERVERS = values.QUAD_SERVERS!.replace(/\bapp\d+:3000\b/g, '127.0.0.1:3000');
        values.QUAD_HTTPS_PORT = values.QUAD_HTTPS_PORT!.replace(/^\$\{HTTPS_PORT:-(\d+)\}$/, '$1');
        const conf = writeConfig(dir, renderTemplate(fs.readFileSync(TEMPLATE, 'utf8'), values));
        testConfig(nginx, conf, dir);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
