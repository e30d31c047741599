import os from 'node:os';
import path from 'node:path';
import { instrument } from '@socket.io/admin-ui';
import bcrypt from 'bcryptjs';
import express from 'express';
import type { Server } from 'socket.io';

/** The Socket.IO namespace the admin UI connects to (on the same /socket.io path). */
export const ADMIN_NAMESPACE = '/admin';
/** Where Quad serves the UI's own files, so no third-party site is needed. */
export const ADMIN_UI_PATH = '/admin-ui';

export interface AdminUiOptions {
  username: string;
  password: string;
}

/**
 * @socket.io/admin-ui on `/admin` behind HTTP-basic-style credentials (ADMIN_UI_USERNAME /
 * ADMIN_UI_PASSWORD); off unless the password is set.
 *
 * Always in the UI's `production` mode and read-only. Its development mode would stream every
 * event with its payload, each socket's `data` and its handshake headers (cookies with tokens)
 * to the UI: a `comment:create` next to the socket's user id unmasks an anonymous author, and
 * tokens are secrets. Production mode sends aggregates only: servers, their uptime and memory,
 * clients and sockets per namespace, events per second. Read-only drops the UI's emit, join,
 * leave and disconnect, which would act on sockets past Quad's own checks.
 */
export function mountAdminUi(io: Server, options: AdminUiOptions): void {
  instrument(io, {
    namespaceName: ADMIN_NAMESPACE,
    auth: { type: 'basic', username: options.username, password: bcrypt.hashSync(options.password, 10) },
    mode: 'production',
    readonly: true,
    serverId: `${os.hostname()}#${process.pid}`,
  });
}

/** The UI's static files (they load fonts and icons from Google Fonts and jsDelivr). */
export function adminUiFiles(): express.Handler {
  const dir = path.join(path.dirname(require.resolve('@socket.io/admin-ui/package.json')), 'ui', 'dist');
  return express.static(dir, { index: 'index.html', maxAge: '1h' });
}
