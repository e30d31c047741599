import argon2 from 'argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../../core/errors';

/** OWASP's argon2id floor: 19 MiB, 2 passes, 1 lane. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

/**
 * The 10,000 most common passwords, from the ranked list that @zxcvbn-ts/language-common
 * ships (itself drawn from public breach corpora), compared case-insensitively.
 */
const COMMON = new Set(
  (dictionary['passwords-common'] as string[]).slice(0, 10_000).map((p) => p.toLowerCase()),
);

export function isCommonPassword(password: string, username?: string): boolean {
  const p = password.toLowerCase();
  return COMMON.has(p) || (username !== undefined && p.includes(username.toLowerCase()));
}

/**
 * The strength rule signup and a password change share (the length is the shared schema's):
 * VALIDATION on `field` when the password is common or contains the username.
 */
export function assertUncommonPassword(password: string, username: string, field: string): void {
  if (isCommonPassword(password, username)) {
    throw AppError.validation(
      { [field]: 'is too common or contains the username; choose another' },
      'Choose a less common password',
    );
  }
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** Spends the time of a real verification, so an unknown username is not faster to reject. */
export async function verifyNothing(password: string): Promise<false> {
  dummy ??= hashPassword('quad-timing-equaliser');
  await verifyPassword(await dummy, password);
  return false;
}
