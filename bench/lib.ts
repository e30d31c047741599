import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../server/app';
import { loadConfig, type Config } from '../server/core/config';
import { createLogger } from '../server/core/logger';

export interface BenchQuad {
  app: App;
  config: Config;
  base: string;
  /** Access token of a fresh user. */
  accessToken: string;
  stop(): Promise<void>;
}

/**
 * Starts the real app (same composition root as `npm start`) on an ephemeral port, logging at
 * info level to /dev/null so the cost of logging is measured, and signs up one user.
 */
export async function startQuad(env: Record<string, string> = {}): Promise<BenchQuad> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quad-bench-'));
  const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, ...env });
  const app = createApp(config, createLogger('info', pino.destination('/dev/null')));
  const { port } = await app.start();
  const base = `http://127.0.0.1:${port}`;
  const post = (p: string, body: unknown) =>
    fetch(base + p, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const credentials = { username: `bench_${Date.now().toString(36)}`, password: 'bench-passphrase-1' };
  await post('/api/auth/signup', { ...credentials, nickname: '벤치' });
  const { accessToken } = (await (await post('/api/auth/login', credentials)).json()) as {
    accessToken: string;
  };
  return {
    app,
    config,
    base,
    accessToken,
    async stop() {
      await app.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Writes a benchmark's figures to bench/results/<name>.json. */
export function writeResult(name: string, figures: object): void {
  const out = path.join(__dirname, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, `${name}.json`),
    JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2),
  );
}

/** A numeric command-line option: `--name value`. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Latency percentiles (ms) and rate of a run that lasted `seconds`. */
export interface Figures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
}

export function figures(latencies: number[], seconds: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), perSecond: sorted.length / seconds };
}
