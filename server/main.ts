import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from './core/config';
import { createLogger } from './core/logger';

/** Reads the environment, starts Quad, and stops it cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const app = createApp(config, log);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C: the operator does not want to wait for the drain.
      log.warn({ signal }, 'second signal; exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, timeoutMs: config.SHUTDOWN_TIMEOUT }, 'shutting down');
    // The bound: app.stop() keeps to it by itself; this is the backstop if something hangs anyway.
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => log.error({ err }, 'uncaught exception'));

  try {
    const { port } = await app.start();
    if (config.jwtSecretFile) log.info({ file: config.jwtSecretFile }, 'using the development JWT secret');
    log.info(`Quad is running at http://localhost:${port}`);
  } catch (err) {
    log.fatal({ err }, 'could not start');
    await app.stop().catch(() => undefined);
    process.exit(1);
  }
}

void main();
