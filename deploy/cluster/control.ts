import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ClusterError } from './checks';
import type { Cluster } from './start';

/**
 * How a second `npm run cluster -- --roll` reaches the running cluster: the cluster writes
 * its pid to `<dir>/cluster.pid` and listens on the Unix socket `<dir>/control.sock`. A
 * client sends `roll\n` and reads progress lines until `ok` or `error <message>`. The pid file
 * also allows `kill -HUP $(cat data/cluster/cluster.pid)`, which rolls the same way.
 */
export const pidFile = (dir: string) => path.join(dir, 'cluster.pid');
const socketPath = (dir: string) => path.join(dir, 'control.sock');

/** Writes the pid file and serves roll requests; returns a function that removes both. */
export async function serveControl(cluster: Cluster): Promise<() => void> {
  fs.writeFileSync(pidFile(cluster.dir), `${process.pid}\n`);
  const sock = socketPath(cluster.dir);
  fs.rmSync(sock, { force: true }); // a previous cluster that was killed leaves it behind
  const server = net.createServer((conn) => {
    conn.setEncoding('utf8');
    conn.once('data', (request: string) => {
      if (request.trim() !== 'roll') return void conn.end('error unknown request\n');
      cluster
        .roll((line) => conn.write(`${line}\n`))
        .then(
          () => conn.end('ok\n'),
          (err: unknown) => conn.end(`error ${(err as Error).message.split('\n')[0]}\n`),
        );
    });
    conn.on('error', () => undefined); // the client went away; the roll goes on
  });
  await new Promise<void>((resolve) => {
    server.once('error', () => resolve()); // e.g. a path too long for a Unix socket: SIGHUP still works
    server.listen(sock, () => resolve());
  });
  return () => {
    server.close();
    fs.rmSync(sock, { force: true });
    fs.rmSync(pidFile(cluster.dir), { force: true });
  };
}

/** The pid of the cluster running from `dir`, or a ClusterError saying none is. */
function runningPid(dir: string): number {
  const file = pidFile(dir);
  const pid = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').trim()) : NaN;
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new ClusterError(`No cluster is running from ${dir} (no ${file}): start one with npm run cluster`);
  }
  try {
    process.kill(pid, 0);
  } catch {
    throw new ClusterError(`The cluster that wrote ${file} (pid ${pid}) is not running any more`);
  }
  return pid;
}

/** Asks the running cluster for a rolling restart and prints its progress until it is done. */
export async function requestRoll(dir: string, print: (line: string) => void): Promise<void> {
  const pid = runningPid(dir);
  const sock = socketPath(dir);
  if (!fs.existsSync(sock)) {
    process.kill(pid, 'SIGHUP');
    print(`Sent SIGHUP to the cluster (pid ${pid}); its terminal shows the progress.`);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const conn = net.connect(sock, () => conn.write('roll\n'));
    let rest = '';
    let result: string | undefined;
    conn.setEncoding('utf8');
    conn.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ok' || line.startsWith('error ')) result = line;
        else print(line);
      }
    });
    conn.on('error', (err) =>
      reject(new ClusterError(`Cannot reach the cluster at ${sock}: ${err.message}`)),
    );
    conn.on('close', () => {
      if (result === 'ok') resolve();
      else
        reject(
          new ClusterError(
            `Rolling restart failed: ${result?.slice(6) ?? 'the cluster closed the connection'}`,
          ),
        );
    });
  });
}
