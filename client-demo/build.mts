/**
 * Builds the dashboard into client-demo/dist (`npm run build:client`). `npm install` runs it
 * through `prepare` with `--if-possible`, which skips quietly when Vite is absent (an install
 * with `--omit=dev`, as in the Docker image's production-dependencies stage).
 */

async function main(): Promise<void> {
  const optional = process.argv.includes('--if-possible');
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    if (optional) {
      console.log(
        'client-demo: Vite is not installed (dev dependencies omitted); skipping the dashboard build',
      );
      return;
    }
    throw new Error('Vite is not installed: run `npm install` first');
  }
  const { default: config } = await import('./vite.config.mjs');
  await vite.build({ ...config, configFile: false, logLevel: 'warn' });
  console.log('client-demo: built into client-demo/dist');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
