/** Every room name, from one place: the server, the typed client and the dashboard all use it. */
export const rooms = {
  board: (id: number) => `board:${id}`,
  post: (id: number) => `post:${id}`,
  user: (id: number) => `user:${id}`,
  /** Friends watching one user's primary timetable (`friend:watch`). */
  watch: (userId: number) => `watch:${userId}`,
  /** The moderators' queue on /moderation (`queue:subscribe`): reports, hidings, resolutions. */
  moderation: 'moderation',
  /** Every socket of one login session; logout disconnects it on every node. */
  session: (sid: string) => `session:${sid}`,
  /**
   * One user's sockets within a room. A subscriber joins both, so a push can go to the room
   * minus the author (isMine: false) and to the author's own sockets there (isMine: true).
   */
  viewer: (room: string, userId: number) => `${room}|u${userId}`,
  /**
   * The sockets of everyone who blocked (차단) one user, on /boards and /comments: pushes of that
   * user's posts and comments go to their rooms except this one.
   */
  hide: (userId: number) => `hide:${userId}`,
};
