import assert from 'node:assert/strict';
import type { NamespaceClient } from '../../shared/client';
import type { BoardDto, PostDto } from '../../shared/dto';
import { ok } from './acks';

/** Every board by name, through boards:list on `client`. */
export async function boardsByName(client: NamespaceClient<'/boards'>): Promise<Map<string, BoardDto>> {
  return new Map(ok(await client.ask('boards:list')).map((b) => [b.name, b]));
}

/** The id of the seeded board called `name`, through boards:list on `client`. */
export async function boardId(client: NamespaceClient<'/boards'>, name: string): Promise<number> {
  const board = (await boardsByName(client)).get(name);
  assert.ok(board, `${name} is seeded`);
  return board.id;
}

/** The ids of a page of posts, in order. */
export const idsOf = (page: { items: PostDto[] }) => page.items.map((p) => p.id);
