/**
 * Every socket command Quad answers, per namespace, with the shared schema that parses its
 * payload: read from the features' own registrations (each `*Socket(deps)` registers into a
 * table; here the table only records), so neither the fuzzer nor the generated API documents
 * (docs/asyncapi.yaml) can drift from the server.
 */
import type { ZodType } from 'zod';
import { NAMESPACES, type NamespaceName } from '../../shared/events';
import { socketRefreshInput } from '../../shared/schemas/auth';
import { empty } from '../../shared/schemas/common';
import type { CommandTable } from '../core/handle';
import { boardsSocket } from '../features/boards/boards.socket';
import { commentsSocket } from '../features/comments/comments.socket';
import { timetablesSocket } from '../features/timetables/timetables.socket';
import { moderationSocket } from '../features/moderation/moderation.socket';
import { messagesSocket } from '../features/messages/messages.socket';

export type CommandSchemas = Record<NamespaceName, Map<string, ZodType>>;

export function commandSchemas(): CommandSchemas {
  // The registrations only store their handlers; no dependency is touched until a command runs.
  const none = {} as never;
  const features: Record<NamespaceName, (table: CommandTable) => void> = {
    '/boards': boardsSocket(none),
    '/comments': commentsSocket(none),
    '/timetables': timetablesSocket(none),
    '/moderation': moderationSocket(none),
    '/messages': messagesSocket(none),
  };
  const out = {} as CommandSchemas;
  for (const nsp of NAMESPACES) {
    // The commands every namespace answers (server/core/realtime.ts registers them inline).
    const map = new Map<string, ZodType>([
      ['whoami', empty],
      ['auth:refresh', socketRefreshInput],
    ]);
    const recorder = { typed: () => (event: string, schema: ZodType) => map.set(event, schema) };
    features[nsp](recorder as unknown as CommandTable);
    out[nsp] = map;
  }
  return out;
}
