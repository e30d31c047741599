import type http from 'node:http';
import type { Express, Request } from 'express';

/**
 * The client address of a Socket.IO handshake, exactly as Express's `req.ip` gives it for an
 * HTTP request: Express itself applies the app's `trust proxy` (TRUST_PROXY, set in http.ts) to
 * X-Forwarded-For, so sockets and the HTTP rate limits never disagree on who the client is.
 * `address` is the peer of the handshake (Engine.IO keeps it: `socket.handshake.address`).
 */
export function clientIp(app: Express): (headers: http.IncomingHttpHeaders, address: string) => string {
  return (headers, address) => {
    // A stand-in request: Express's `ip` getter reads only the headers, the peer address and
    // the settings of its app (the prototype, app.request, carries the app).
    const peer = { value: { remoteAddress: address } };
    const req = Object.create(app.request, {
      headers: { value: headers },
      socket: peer,
      connection: peer,
    }) as Request;
    return req.ip ?? address;
  };
}
