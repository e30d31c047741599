import { z } from 'zod';
import { password } from './auth';

/** An email address (the domain is checked against SCHOOL_EMAIL_DOMAINS by the server). */
const email = z
  .string()
  .trim()
  .max(191, 'must be at most 191 characters')
  .pipe(z.email('must be an email address'));

/** `account:verify:start` / `POST /api/account/verification`: the school email to send a code to. */
export const verifyStartInput = z.strictObject({ email });
export type VerifyStartInput = z.infer<typeof verifyStartInput>;

/** `account:verify:confirm` / `POST /api/account/verification/confirm`: the 6-digit code from the mail. */
export const verifyConfirmInput = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the 6 digits from the mail'),
});
export type VerifyConfirmInput = z.infer<typeof verifyConfirmInput>;

/** `POST /api/account/password/reset`: the verified school email of the account. */
export const resetRequestInput = z.strictObject({ email });
export type ResetRequestInput = z.infer<typeof resetRequestInput>;

/** `POST /api/account/password/reset/confirm`: the token from the mailed link and the new password. */
export const resetConfirmInput = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'is not a reset token'),
  next: password,
});
export type ResetConfirmInput = z.infer<typeof resetConfirmInput>;
