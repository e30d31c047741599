import { z } from 'zod';
import { password } from './auth';

/**
 * `POST /api/account/password`: the current password (checked, and counted by the login-failure
 * limits when wrong) and the new one (signup's rules, and not the current one again).
 */
export const changePasswordInput = z.strictObject({
  current: z.string().min(1, 'is required').max(1024),
  next: password,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

/** `DELETE /api/account/sessions/{id}`: a session of the caller, by the `id` of its SessionDto. */
export const sessionRef = z.strictObject({ id: z.uuid() });
export type SessionRef = z.infer<typeof sessionRef>;

/**
 * `DELETE /api/account`: the account's password, checked (and counted by the login-failure limits
 * when wrong) before anything is deleted.
 */
export const deleteAccountInput = z.strictObject({
  password: z.string().min(1, 'is required').max(1024),
});
export type DeleteAccountInput = z.infer<typeof deleteAccountInput>;
