import { z } from 'zod';
import { plain, text } from './common';

/** 3–20 letters, digits or underscores. */
export const username = z
  .string()
  .regex(/^[A-Za-z0-9_]{3,20}$/, 'must be 3–20 letters, digits or underscores');

/** 8–128 characters; whether it is too common is checked by the server. */
export const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters');

/**
 * 2–10 characters (code points, after the trim and NFC). Unique among accounts regardless of case
 * and width: the server compares NFKC + lower-case keys, so `Ｍｉｎｊｉ` and `minji` are one name.
 */
export const nickname = text(2, 10);

/** `account:nickname`: the new nickname (changeable once per NICKNAME_CHANGE_DAYS). */
export const nicknameInput = z.strictObject({ nickname });
export type NicknameInput = z.infer<typeof nicknameInput>;

export const signupInput = z.strictObject({ username, password, nickname });
export type SignupInput = z.infer<typeof signupInput>;

export const loginInput = z.strictObject({
  username: plain().min(1, 'is required').max(64),
  password: z.string().min(1, 'is required').max(1024),
});
export type LoginInput = z.infer<typeof loginInput>;

/** The refresh token may also come from the httpOnly cookie, so the body may omit it. */
export const refreshInput = z.strictObject({ refreshToken: plain().min(1).max(512).optional() });
export type RefreshInput = z.infer<typeof refreshInput>;

/** `auth:refresh` on any namespace: swap the socket's access token in place. */
export const socketRefreshInput = z.strictObject({ accessToken: plain().min(1).max(4096) });
export type SocketRefreshInput = z.infer<typeof socketRefreshInput>;
