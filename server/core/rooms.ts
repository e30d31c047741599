/** Every room name, from one place. */
export const rooms = {
  board: (id: number) => `board:${id}`,
  post: (id: number) => `post:${id}`,
  user: (id: number) => `user:${id}`,
  /** Every socket of one login session; logout disconnects it on every node. */
  session: (sid: string) => `session:${sid}`,
};
