import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { NamespaceClient } from '../../shared/client';
import type { Role } from '../../shared/schemas/moderation';
import { User } from '../../server/features/accounts/user.model';
import type { RunningApp } from './app';
import { backendEnv } from './backend';
import { socket, type TestUser } from './clients';

const ROOT = path.resolve(__dirname, '..', '..');

/** `npm run admin -- …args` as a child process, on this pass's database (and Redis). */
export function runAdmin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/scripts/admin.ts', ...args],
      { cwd: ROOT, env: { ...process.env, ...backendEnv(), NODE_ENV: 'test', LOG_LEVEL: 'warn' } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

/**
 * Sets a role straight in the database, as an operator would: only the user's next handshake
 * sees it (use it before they connect), and their open sockets are not told.
 */
export async function storeRole(node: RunningApp, u: TestUser, role: Role): Promise<void> {
  await node.app.db.getRepository(User).update({ role }, { where: { id: u.user.id } });
}

/** A /moderation socket of `u` on `node`. */
export function moderation(node: RunningApp, u: TestUser): NamespaceClient<'/moderation'> {
  return socket(node.url, '/moderation', { token: u.accessToken });
}

/** Everything a client receives: every push (onAny) and every ack passed through `ack`. */
export function recorder(client: NamespaceClient<'/moderation'>) {
  const seen: unknown[] = [];
  client.socket.onAny((event: string, ...args: unknown[]) => seen.push({ event, args }));
  return {
    seen,
    async ack<T>(answer: Promise<T>): Promise<T> {
      const res = await answer;
      seen.push(res);
      return res;
    },
  };
}

/** Every value under one of `keys`, anywhere in a JSON value. */
function valuesUnder(value: unknown, keys: Set<string>, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) valuesUnder(v, keys, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (keys.has(k)) out.push(v);
      valuesUnder(v, keys, out);
    }
  }
  return out;
}

const IDENTITY_KEYS = new Set(['authorId', 'userId', 'actorId', 'reporterId', 'blockedId', 'suspendedId']);

/** Fails if `seen` names `u` anywhere: by id (under any identity key or in a room), username or nickname. */
export function assertNamesNobody(seen: unknown, u: TestUser, whose: string): void {
  const json = JSON.parse(JSON.stringify(seen)) as unknown;
  const text = JSON.stringify(json);
  assert.ok(!valuesUnder(json, IDENTITY_KEYS).includes(u.user.id), `${whose} holds the author's id`);
  assert.ok(
    !valuesUnder(json, new Set(['actor', 'user', 'author'])).some(
      (v) => (v as { id?: unknown } | null)?.id === u.user.id,
    ),
    `${whose} holds the author as a user`,
  );
  assert.ok(!text.includes(`user:${u.user.id}"`), `${whose} holds the author's room`);
  assert.ok(!text.includes(u.user.username), `${whose} holds the author's username`);
  assert.ok(!text.includes(u.user.nickname), `${whose} holds the author's nickname`);
}
