/** Every room name, from one place: the server, the typed client and the dashboard all use it. */
export const rooms = {
  board: (id: number) => `board:${id}`,
  post: (id: number) => `post:${id}`,
  user: (id: number) => `user:${id}`,
  /** Friends watching one user's primary timetable (`friend:watch`). */
  watch: (userId: number) => `watch:${userId}`,
  /** Every socket of one login session; logout disconnects it on every node. */
  session: (sid: string) => `session:${sid}`,
  /**
   * One user's sockets within a room. A subscriber joins both, so a push can go to the room
   * minus the author (isMine: false) and to the author's own sockets there (isMine: true).
   */
  viewer: (room: string, userId: number) => `${room}|u${userId}`,
};
