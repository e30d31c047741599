/** What clients receive. Plain JSON; dates are ISO-8601 strings. */

export interface UserDto {
  id: number;
  username: string;
  nickname: string;
  createdAt: string;
}

export interface TokensDto {
  accessToken: string;
  /** ISO time at which the access token expires. */
  accessTokenExpiresAt: string;
  refreshToken: string;
  /** ISO time at which the refresh token expires if unused (idle timeout, capped by the session lifetime). */
  refreshTokenExpiresAt: string;
}

export interface LoginDto extends TokensDto {
  user: UserDto;
}

/** `whoami` on every namespace. */
export interface WhoamiDto {
  id: number;
  username: string;
  nickname: string;
}

/** Every push: `id` comes from the event log, so ids increase across the whole system. */
export interface PushEvent<T = unknown> {
  id: number;
  room: string;
  type: string;
  data: T;
  at: string;
}
