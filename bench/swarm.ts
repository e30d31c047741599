/**
 * Light clients for the benchmark: the real Engine.IO v4 / Socket.IO v5 protocol over one raw
 * WebSocket each (the `ws` package), so 5,000 of them fit in one process and the figures are
 * the server's, not socket.io-client's. Each speaks to one namespace: handshake with
 * `auth: { token }`, pong to pings, commands with acks, pushes to a listener.
 */
import WebSocket from 'ws';

export type PushListener = (event: string, raw: string) => void;

export class LightClient {
  private ws!: WebSocket;
  private nextAck = 0;
  private readonly acks = new Map<number, (data: string) => void>();
  onPush: PushListener | undefined;

  private constructor(private readonly nsp: string) {}

  /** Connects, joins the namespace with `auth`, resolves once the server accepted it. */
  static connect(port: number, nsp: string, auth: object, timeoutMs = 30_000): Promise<LightClient> {
    const c = new LightClient(nsp);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`connect to ${nsp} timed out`)), timeoutMs);
      c.ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, {
        perMessageDeflate: false,
      });
      c.ws.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      // Engine.IO "4" (message), then the Socket.IO packet type, then "/nsp,".
      const prefix = `${nsp},`;
      c.ws.on('message', (buf: Buffer) => {
        const m = buf.toString();
        if (m === '2') return c.ws.send('3');
        if (m[0] === '0') return c.ws.send(`40${nsp},${JSON.stringify(auth)}`);
        if (m[0] !== '4' || !m.startsWith(prefix, 2)) return;
        const type = m[1];
        const body = m.slice(2 + prefix.length);
        if (type === '0') {
          clearTimeout(timer);
          resolve(c);
        } else if (type === '4') {
          clearTimeout(timer);
          reject(new Error(`connect refused: ${body}`));
        } else if (type === '2') {
          // 42/nsp,["event",{...}] — only the event name is parsed here; listeners look further.
          const end = body.indexOf('"', 2);
          c.onPush?.(body.slice(2, end), body);
        } else if (type === '3') {
          const bracket = body.indexOf('[');
          const id = Number(body.slice(0, bracket));
          const done = c.acks.get(id);
          c.acks.delete(id);
          done?.(body.slice(bracket));
        }
      });
    });
  }

  /** Sends a command; resolves with the raw ack array text (`[{"ok":true,...}]`). */
  ask(event: string, payload: unknown): Promise<string> {
    const id = this.nextAck++;
    return new Promise((resolve) => {
      this.acks.set(id, resolve);
      this.ws.send(`42${this.nsp},${id}${JSON.stringify([event, payload])}`);
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Connects `count` clients, `parallel` handshakes at a time. */
export async function connectMany(
  count: number,
  parallel: number,
  connect: (i: number) => Promise<LightClient>,
): Promise<LightClient[]> {
  const out: LightClient[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - i) }, (_, j) => connect(i + j));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

export function percentile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
}
