import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { prefixLines, type LogSink } from './logs';

export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Runs a TypeScript entry point of this repository with tsx, in this Node, as a child process;
 * `probe` adds bench/probe.ts (heap after GC, unhandled rejections) and an IPC channel to it.
 */
export function runTs(entry: string, env: NodeJS.ProcessEnv, probe = false): ChildProcess {
  const flags = probe
    ? ['--expose-gc', '--import', 'tsx', '--import', './bench/probe.ts']
    : ['--import', 'tsx'];
  return spawn(process.execPath, [...flags, path.join(ROOT, entry)], {
    cwd: ROOT,
    env,
    stdio: probe ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One GET on 127.0.0.1; resolves with the status, or 0 when nothing answers. */
function status(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

export interface NodeOptions {
  name: string;
  port: number;
  env: NodeJS.ProcessEnv;
  log: LogSink;
  /** How long a SIGTERM may take before SIGKILL (the node's SHUTDOWN_TIMEOUT plus a margin). */
  stopTimeoutMs: number;
  /** How long start() waits for /readyz. */
  readyTimeoutMs?: number;
  /** Load bench/probe.ts into the node (for `probe()`): the soak reads heaps through it. */
  probe?: boolean;
}

/** One Quad node: `server/main.ts` as a child process on an internal port. */
export class QuadNode {
  private child?: ChildProcess;
  private exit?: Promise<number | string>;
  /** Recent output lines, quoted when the node fails to start. */
  private readonly recent: string[] = [];
  /** Set while this object stops the node on purpose, so the exit is not reported as a crash. */
  private stopping = false;

  constructor(private readonly o: NodeOptions) {}

  get name(): string {
    return this.o.name;
  }
  get port(): number {
    return this.o.port;
  }
  /** The node's own address, bypassing nginx. */
  get url(): string {
    return `http://127.0.0.1:${this.o.port}`;
  }
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }
  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** Starts the node and resolves once its /readyz answers 200. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.recent.length = 0;
    this.stopping = false;
    const child = runTs('server/main.ts', { ...this.o.env, PORT: String(this.o.port) }, this.o.probe);
    this.child = child;
    const sink: LogSink = (line) => {
      this.recent.push(line);
      if (this.recent.length > 30) this.recent.shift();
      this.o.log(line);
    };
    prefixLines(child.stdout!, this.name, sink);
    prefixLines(child.stderr!, this.name, sink);
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (!this.stopping) this.o.log(`[cluster] ${this.name} exited (${signal ?? `code ${code}`})`);
        resolve(signal ?? code ?? 0);
      });
    });
    await this.waitReady();
  }

  /** Polls /readyz until 200; fails early if the process exits, quoting its last lines. */
  async waitReady(): Promise<void> {
    const deadline = Date.now() + (this.o.readyTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (!this.running)
        throw new Error(`${this.name} exited before it was ready:\n${this.recent.join('\n')}`);
      if ((await status(this.o.port, '/readyz')) === 200) return;
      await sleep(200);
    }
    throw new Error(`${this.name} was not ready within the timeout:\n${this.recent.join('\n')}`);
  }

  /** Sends a signal as is (SIGKILL simulates a crash: the cluster does not restart it by itself). */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.running) this.child!.kill(signal);
  }

  /** Resolves when the process has exited (at once if it is not running). */
  async exited(): Promise<number | string | undefined> {
    return this.running ? this.exit : (this.child?.exitCode ?? this.child?.signalCode ?? undefined);
  }

  /** SIGTERM (the node drains), waits for the exit, SIGKILL after stopTimeoutMs. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.kill('SIGTERM');
    const timer = setTimeout(() => {
      this.o.log(`[cluster] ${this.name} did not exit within ${this.o.stopTimeoutMs} ms of SIGTERM: SIGKILL`);
      this.kill('SIGKILL');
    }, this.o.stopTimeoutMs);
    await this.exit;
    clearTimeout(timer);
  }

  /** Asks the node's probe (NodeOptions.probe); resolves with its answer's `key`. */
  probe<T>(cmd: 'heap' | 'counts', key: string): Promise<T> {
    const child = this.child;
    if (!this.o.probe || !child || !this.running)
      return Promise.reject(new Error(`${this.name} has no probe`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`${this.name}'s probe did not answer ${cmd}`));
      }, 30_000);
      const onMessage = (m: Record<string, unknown>) => {
        if (!(key in m)) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m[key] as T);
      };
      child.on('message', onMessage);
      child.send({ cmd });
    });
  }

  /** stop() then start(). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}
