import 'reflect-metadata';
import { createApp, type App } from '../../server/app';
import { loadConfig, type Config } from '../../server/core/config';
import { createLogger, type Logger } from '../../server/core/logger';
import { backendEnv } from './backend';

export interface RunningApp {
  app: App;
  config: Config;
  port: number;
  url: string;
  stop(): Promise<void>;
}

const running = new Set<RunningApp>();

/**
 * Starts the real app (same composition root as `npm start`) on an ephemeral port; its logs go
 * to `log` when given (else QUAD_TEST_LOG_LEVEL, silent by default).
 */
export async function startApp(
  env: Record<string, string> = {},
  { log }: { log?: Logger } = {},
): Promise<RunningApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    ...backendEnv(),
    ...env,
  });
  const app = createApp(config, log ?? createLogger(process.env.QUAD_TEST_LOG_LEVEL ?? 'silent'));
  const { port } = await app.start();
  const handle: RunningApp = {
    app,
    config,
    port,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      running.delete(handle);
      await app.stop();
    },
  };
  running.add(handle);
  return handle;
}

/** Stops every app a test started, even when the test failed. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((r) => r.stop()));
}
