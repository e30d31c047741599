import { RefreshToken, Session } from './session.model';
import { User } from './user.model';

/** The tables the accounts feature owns. */
export const accountModels = [User, Session, RefreshToken];
