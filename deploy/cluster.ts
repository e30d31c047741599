/**
 * `npm run cluster`: several Quad nodes behind nginx on this machine, without Docker.
 *
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/quad REDIS_URL=redis://127.0.0.1:6379 npm run cluster
 *   npm run cluster -- --nodes 3 --https-port 8443 --http-port 8080 --base-port 3101
 *   npm run cluster -- --roll      (from another terminal: rolling restart of the running cluster)
 *
 * Each option also reads an environment variable: CLUSTER_NODES, CLUSTER_HTTPS_PORT,
 * CLUSTER_HTTP_PORT, CLUSTER_BASE_PORT. Files go under DATA_DIR/cluster (default
 * data/cluster). docs/deploy.md explains the setup; tests use startCluster() directly.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ClusterError } from './cluster/checks';
import { requestRoll, serveControl } from './cluster/control';
import { startCluster } from './cluster/start';

export { startCluster, type Cluster, type ClusterOptions } from './cluster/start';
export { renderTemplate, TEMPLATE } from './cluster/nginx';

const USAGE = `Usage: npm run cluster [-- --nodes N] [--https-port P] [--http-port P] [--base-port P]
       npm run cluster -- --roll
Needs DATABASE_URL (MySQL/MariaDB) and REDIS_URL, nginx and openssl. See docs/deploy.md.`;

function portOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new ClusterError(`--${name} must be a number (got "${value}")\n${USAGE}`);
  return Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string' },
      'https-port': { type: 'string' },
      'http-port': { type: 'string' },
      'base-port': { type: 'string' },
      roll: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(USAGE);
  const env = process.env;
  const dataDir = path.resolve(env.DATA_DIR || 'data');
  if (values.roll) {
    await requestRoll(path.join(dataDir, 'cluster'), (line) => console.log(line));
    return console.log('Rolling restart done.');
  }

  const cluster = await startCluster({
    nodes: portOption(values.nodes ?? env.CLUSTER_NODES, 'nodes'),
    httpsPort: portOption(values['https-port'] ?? env.CLUSTER_HTTPS_PORT, 'https-port'),
    httpPort: portOption(values['http-port'] ?? env.CLUSTER_HTTP_PORT, 'http-port'),
    basePort: portOption(values['base-port'] ?? env.CLUSTER_BASE_PORT, 'base-port'),
    dataDir,
    env,
  });
  const removeControl = await serveControl(cluster);
  const nodes = cluster.nodes.map((n) => `${n.name} ${n.url} (pid ${n.pid})`).join(', ');
  console.log(`
Quad cluster is running:
  ${cluster.httpsUrl}   (self-signed certificate: accept it once in the browser)
  ${cluster.httpUrl}    (pages redirect to HTTPS; API calls over HTTP are refused)
  nodes: ${nodes}
  files: ${cluster.dir} (nginx config and logs, certificate, JWT secret)
Rolling restart: npm run cluster -- --roll (or kill -HUP ${process.pid}). Stop: Ctrl-C.
`);

  process.on('SIGHUP', () => {
    cluster
      .roll()
      .catch((err: unknown) => console.error(`[cluster] rolling restart failed: ${(err as Error).message}`));
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[cluster] ${signal}: draining the nodes, then stopping nginx`);
    removeControl();
    cluster.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`[cluster] stop failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof ClusterError ? err.message : err);
    process.exit(1);
  });
}
