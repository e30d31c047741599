/**
 * `npm test`: the whole suite on SQLite (embedded default), then again on MariaDB + Redis
 * when TEST_MYSQL_URL and TEST_REDIS_URL are set — with the multi-node tests, which need
 * Redis to join two instances. In CI (CI=true) the second pass is mandatory.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');

interface Pass {
  name: string;
  env: Record<string, string>;
  specs: string[];
}

const extra = process.argv.slice(2);
const passes: Pass[] = [
  {
    name: 'sqlite',
    env: { QUAD_TEST_BACKEND: 'sqlite' },
    // The fuzzer starts a Quad of its own on the embedded default: one pass is enough.
    specs: ['test/*.test.ts', 'test/browser/*.test.ts', 'test/fuzz/*.test.ts'],
  },
];
if (process.env.TEST_MYSQL_URL && process.env.TEST_REDIS_URL) {
  passes.push({
    name: 'mariadb+redis',
    env: { QUAD_TEST_BACKEND: 'mysql' },
    // The account screens' browser test again: there its two devices are on two nodes.
    specs: [
      'test/*.test.ts',
      'test/multinode/*.test.ts',
      'test/cluster/*.test.ts',
      'test/browser/account.test.ts',
    ],
  });
} else if (process.env.CI) {
  console.error(
    'CI=true but TEST_MYSQL_URL and TEST_REDIS_URL are not both set: the MariaDB + Redis pass cannot be skipped in CI.',
  );
  process.exit(1);
} else {
  console.log('Note: set TEST_MYSQL_URL and TEST_REDIS_URL to also run the suite on MariaDB + Redis.');
}

/** Files named on the command line, minus the multi-node ones in a pass without Redis. */
function specsFor(pass: Pass): string[] {
  if (!extra.length) return pass.specs;
  const files = extra.filter((f) => !f.startsWith('-'));
  const flags = extra.filter((f) => f.startsWith('-'));
  const allowed = files.filter((f) => pass.specs.some((p) => p.startsWith(path.dirname(f) + '/*')));
  return allowed.length ? [...flags, ...allowed] : [];
}

function run(pass: Pass): Promise<{ passed: number; failed: number; code: number }> {
  console.log(`\n=== Test pass: ${pass.name} ===`);
  const specs = specsFor(pass);
  if (specs.length === 0) {
    console.log('(no test files for this pass)');
    return Promise.resolve({ passed: 0, failed: 0, code: 0 });
  }
  const args = [
    mocha,
    '--require',
    'tsx/cjs',
    '--require',
    'test/helpers/hooks.ts',
    '--timeout',
    '30000',
    '--exit',
    ...specs,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...pass.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      out += chunk.toString();
    });
    child.on('close', (code) => {
      const passed = Number(/(\d+) passing/.exec(out)?.[1] ?? 0);
      const failed = Number(/(\d+) failing/.exec(out)?.[1] ?? 0);
      resolve({ passed, failed, code: code ?? 1 });
    });
  });
}

async function main(): Promise<void> {
  let passed = 0;
  let failed = 0;
  let code = 0;
  for (const pass of passes) {
    const r = await run(pass);
    console.log(`=== ${pass.name}: ${r.passed} passed, ${r.failed} failed ===`);
    passed += r.passed;
    failed += r.failed;
    if (r.code !== 0) code = 1;
  }
  if (passed === 0) code = 1;
  console.log(`\nBackends run: ${passes.map((p) => p.name).join(', ')}`);
  console.log(`tests: ${passed} passed, ${failed} failed`);
  process.exit(code);
}

void main();
