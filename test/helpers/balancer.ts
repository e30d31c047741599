import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface Balancer {
  url: string;
  /** The upstream that took each WebSocket handshake, in order. */
  readonly upgrades: string[];
  close(): Promise<void>;
}

/**
 * A load balancer for tests, behaving like nginx with `proxy_next_upstream error http_503`:
 * each request and each WebSocket handshake goes to the first upstream, in the order given,
 * that neither refuses the connection nor answers 503.
 */
export async function balancer(upstreams: string[]): Promise<Balancer> {
  const upgrades: string[] = [];
  const open = new Set<Duplex>();
  const track = (s: Duplex) => {
    open.add(s);
    s.once('close', () => open.delete(s));
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      for (const upstream of upstreams) {
        const answer = await send(upstream, req, Buffer.concat(chunks));
        if (!answer || answer.statusCode === 503) {
          answer?.resume();
          continue;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      res.writeHead(502).end();
    })();
  });

  server.on('upgrade', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    track(client);
    void (async () => {
      for (const upstream of upstreams) {
        const up = await upgrade(upstream, req);
        if (!up) continue;
        upgrades.push(upstream);
        track(up.socket);
        const lines = [`HTTP/1.1 101 ${up.res.statusMessage ?? 'Switching Protocols'}`];
        for (let i = 0; i < up.res.rawHeaders.length; i += 2)
          lines.push(`${up.res.rawHeaders[i]}: ${up.res.rawHeaders[i + 1]}`);
        client.write(lines.join('\r\n') + '\r\n\r\n');
        if (up.head.length) client.write(up.head);
        if (head.length) up.socket.write(head);
        up.socket.pipe(client).pipe(up.socket);
        const end = () => {
          client.destroy();
          up.socket.destroy();
        };
        up.socket.on('error', end).on('close', end);
        client.on('error', end).on('close', end);
        return;
      }
      client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
    })();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    upgrades,
    async close() {
      for (const s of open) s.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Forwards one request; undefined if the upstream cannot be reached. */
function send(upstream: string, req: http.IncomingMessage, body: Buffer) {
  return new Promise<http.IncomingMessage | undefined>((resolve) => {
    const out = http.request(upstream + req.url, { method: req.method, headers: req.headers }, resolve);
    out.on('error', () => resolve(undefined));
    out.end(body);
  });
}

/** Forwards a WebSocket handshake; undefined if refused, unreachable, or not switching protocols. */
function upgrade(upstream: string, req: http.IncomingMessage) {
  return new Promise<{ res: http.IncomingMessage; socket: Duplex; head: Buffer } | undefined>((resolve) => {
    const out = http.request(upstream + req.url, { method: req.method, headers: req.headers });
    out.on('upgrade', (res, socket, head) => resolve({ res, socket, head }));
    out.on('response', (res) => {
      res.resume();
      resolve(undefined);
    });
    out.on('error', () => resolve(undefined));
    out.end();
  });
}
