import { AccountHold } from './hold.model';
import { RefreshToken, Session } from './session.model';
import { User } from './user.model';
import { EmailVerification, PasswordReset } from './verification.model';

/** The tables the accounts feature owns. */
export const accountModels = [User, Session, RefreshToken, EmailVerification, PasswordReset, AccountHold];
