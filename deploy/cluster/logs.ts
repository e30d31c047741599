import type { Readable } from 'node:stream';

/** Where the cluster's own messages and its processes' output lines go. */
export type LogSink = (line: string) => void;

/** Forwards each line of `stream` to `log`, prefixed with `[name]`. */
export function prefixLines(stream: Readable, name: string, log: LogSink): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line) log(`[${name}] ${line}`);
  });
  stream.on('end', () => {
    if (rest) log(`[${name}] ${rest}`);
    rest = '';
  });
}
