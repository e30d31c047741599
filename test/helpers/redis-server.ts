import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../../deploy/cluster/checks';
import { wait } from './waiting';

/**
 * A Redis server of the test's own (the machine's `redis-server` binary on a free port), so a
 * test can stop and restart a real Redis without touching the one everything else uses. It is
 * killed when the test process exits, whatever happens.
 */
export interface TestRedis {
  url: string;
  /** Kills it (SIGKILL: no goodbye to its clients, as in a crash). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  readonly running: boolean;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export async function testRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child) return;
    const c = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    children.add(c);
    c.once('exit', () => children.delete(c));
    child = c;
    for (let i = 0; i < 100 && !(await pong(port)); i++) await wait(50);
    if (!(await pong(port))) throw new Error(`redis-server on port ${port} did not start`);
  };
  const stop = async () => {
    const c = child;
    if (!c) return;
    child = undefined;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    get running() {
      return child !== undefined;
    },
  };
}

function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('error', () => done(false));
    s.setTimeout(500, () => done(false));
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}
