import { AppError } from '../../core/errors';

/**
 * What makes two nicknames the same: NFKC folds full-width and compatibility forms (`Ｍｉｎｊｉ` →
 * `Minji`), lower-casing folds case (and NFKC again, as lower-casing may un-normalise). The
 * unique column `users.nicknameKey` holds it; migration 0009, signup and nickname changes all
 * use this one function.
 */
export function nicknameKey(nickname: string): string {
  return nickname.normalize('NFKC').toLowerCase().normalize('NFKC').slice(0, NICKNAME_KEY_MAX);
}

/** The column's width: NFKC may lengthen a nickname (one character can fold to several). */
export const NICKNAME_KEY_MAX = 191;

export function nicknameTaken(): AppError {
  return new AppError('CONFLICT', 'That nickname is taken (in some case or width)', {
    fields: { nickname: 'is taken' },
  });
}
