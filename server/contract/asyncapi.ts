/**
 * docs/asyncapi.yaml, built from shared/ and the features' command registrations: one channel
 * per namespace; a `send` operation per command (its payload from the command's zod schema, the
 * ack as its `reply`) and a `receive` operation per push (shared/contract.ts's PUSHES, payloads
 * from shared/events.ts's types).
 */
import { ACCESS_COOKIE } from '../core/auth';
import { PUSHES } from '../../shared/contract';
import { NAMESPACES, WRITE_COMMANDS, type NamespaceName } from '../../shared/events';
import { requestId } from '../../shared/schemas/common';
import type { CommandSchemas } from './commands';
import {
  acceptsNothing,
  at,
  Definitions,
  deref,
  inputSchema,
  keys,
  wireContractSchema,
  type JsonSchema,
} from './json-schema';

const SCHEMAS = '#/components/schemas/';

/** Channel, message and operation ids: AsyncAPI allows letters, digits, `.`, `-`, `_` (so `post:create` → `post.create`). */
function id(name: string): string {
  return name.replaceAll(':', '.');
}

function channelId(nsp: NamespaceName): string {
  return nsp.slice(1);
}

export interface AsyncApiInput {
  commands: CommandSchemas;
  version: string;
  wire?: ReturnType<typeof wireContractSchema>;
}

export function asyncApiDocument({ commands, version, wire = wireContractSchema() }: AsyncApiInput): object {
  const defs = new Definitions(wire.definitions, SCHEMAS);
  const root = wire.root;
  const channels: Record<string, object> = {};
  const operations: Record<string, object> = {};

  for (const nsp of NAMESPACES) {
    const ch = channelId(nsp);
    const ref = { $ref: `#/channels/${ch}` };
    const messages: Record<string, object> = {};
    const message = (key: string, body: object) => {
      if (messages[key]) throw new Error(`${nsp}: two messages named ${key}`);
      messages[key] = body;
      return { $ref: `#/channels/${ch}/messages/${key}` };
    };
    const operation = (key: string, body: object) => {
      if (operations[key]) throw new Error(`two operations named ${key}`);
      operations[key] = body;
    };

    const declared = new Set(keys(defs, at(defs, root, 'commands', nsp)));
    for (const [name, schema] of commands[nsp]) {
      if (!declared.has(name))
        throw new Error(`${nsp} registers ${name}, which shared/events.ts does not declare`);
      const command = at(defs, root, 'commands', nsp, name);
      const output = at(defs, command, 'output');
      const payload = inputSchema(schema, 'draft-7');
      if (WRITE_COMMANDS.has(name)) withRequestId(payload, `${nsp} ${name}`);
      const optional = acceptsNothing(schema);
      const key = id(name);
      const sent = message(key, {
        name,
        title: name,
        ...(typeof command.description === 'string' ? { summary: command.description } : {}),
        ...(optional ? { description: 'The payload may be left out (or be `null` or `{}`).' } : {}),
        payload,
      });
      const ack = message(`${key}.ack`, {
        name: `${name}.ack`,
        title: `${name} acknowledgement`,
        payload: {
          oneOf: [
            {
              type: 'object',
              properties: { ok: { const: true }, data: defs.resolve(output) },
              required: ['ok', 'data'],
              additionalProperties: false,
            },
            { $ref: `${SCHEMAS}AckFailure` },
          ],
        },
      });
      operation(`${ch}.${key}`, {
        action: 'send',
        channel: ref,
        title: name,
        ...(WRITE_COMMANDS.has(name)
          ? { description: 'A write: a `requestId` makes a retry of it safe (docs/protocol.md §3).' }
          : {}),
        messages: [sent],
        reply: { channel: ref, messages: [ack] },
      });
    }

    for (const name of PUSHES[nsp]) {
      // A push is a function type: its parameters, in order, are `namedArgs`; the first is the
      // payload, a second one the ack callback the client calls (server:draining).
      const signature = deref(defs, at(defs, root, 'pushes', nsp, name));
      const args = at(defs, signature, 'namedArgs');
      const [first, callback] = keys(defs, args);
      // A push named like a command of its namespace (/messages: `typing`, `conversation:read`)
      // is its own message and operation.
      const key = commands[nsp].has(name) ? `${id(name)}.push` : id(name);
      const push = message(key, {
        name,
        title: name,
        ...(typeof signature.description === 'string' ? { summary: signature.description } : {}),
        payload: defs.resolve(at(defs, args, first!)),
      });
      const reply = callback
        ? {
            reply: {
              channel: ref,
              messages: [
                message(`${key}.ack`, {
                  name: `${name}.ack`,
                  title: `${name} acknowledgement (the client calls the push's callback, without arguments)`,
                }),
              ],
            },
          }
        : {};
      operation(`${ch}.${key}`, { action: 'receive', channel: ref, title: name, messages: [push], ...reply });
    }

    const commandDoc = deref(defs, at(defs, root, 'commands', nsp)).description;
    const pushDoc = deref(defs, at(defs, root, 'pushes', nsp)).description;
    channels[ch] = {
      address: nsp,
      title: nsp,
      description: [commandDoc, pushDoc].filter((s) => typeof s === 'string').join('\n\n'),
      servers: [{ $ref: '#/servers/quad' }],
      messages,
    };
  }

  const errorWire = defs.resolve(at(defs, root, 'error'));
  const tokenProblem = defs.resolve(at(defs, root, 'tokenProblem'));
  const errorCode = defs.resolve(at(defs, at(defs, root, 'error'), 'code'));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Quad realtime API',
      version,
      description: INFO,
    },
    defaultContentType: 'application/json',
    servers: {
      quad: {
        host: 'localhost:3000',
        protocol: 'socket.io',
        protocolVersion: '5',
        pathname: '/socket.io/',
        title: 'A Quad node (npm start); behind nginx in production',
        description: SERVER,
        security: [
          { $ref: '#/components/securitySchemes/accessToken' },
          { $ref: '#/components/securitySchemes/accessCookie' },
        ],
      },
    },
    channels,
    operations,
    components: {
      schemas: {
        ...defs.components(),
        AckFailure: {
          type: 'object',
          description: 'The acknowledgement of a command that failed (`Ack<T>` in shared/events.ts).',
          properties: { ok: { const: false }, error: errorWire },
          required: ['ok', 'error'],
          additionalProperties: false,
        },
        HandshakeRefusal: {
          type: 'object',
          description:
            'The `data` of the `connect_error` a refused handshake gets: which token problem, or an error code such as `UNAVAILABLE` (database or Redis down, or the node is draining) or `RATE_LIMITED` with `reason: TOO_MANY_CONNECTIONS`, `scope` (`user`: close another connection first; `ip`: retry later with backoff) and `limit`; docs/protocol.md §2 and §12 list them.',
          properties: {
            code: { anyOf: [tokenProblem, errorCode] },
            message: { type: 'string' },
            reason: { type: 'string', enum: ['TOO_MANY_CONNECTIONS'] },
            scope: { type: 'string', enum: ['user', 'ip'] },
            limit: { type: 'integer', minimum: 1 },
          },
          required: ['code', 'message'],
        },
      },
      securitySchemes: {
        accessToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'The access token (`POST /api/auth/login` or `/refresh`) in the Socket.IO handshake: `io(url + namespace, { auth: { token } })`. Not a header, and a token in the query string is refused.',
        },
        accessCookie: {
          type: 'httpApiKey',
          in: 'cookie',
          name: ACCESS_COOKIE,
          description:
            'Browsers: the httpOnly access cookie that login and refresh set, sent with the handshake from the server’s own origin or one in CORS_ORIGINS (`withCredentials: true` cross-origin).',
        },
      },
    },
  };
}

/** Adds the optional idempotency key that handle.ts takes out of a write's payload before its schema sees it. */
function withRequestId(payload: JsonSchema, where: string): void {
  const props = payload.properties;
  if (payload.type !== 'object' || typeof props !== 'object' || props === null || Array.isArray(props))
    throw new Error(`${where}: a write command's payload must be an object to carry requestId`);
  props.requestId = {
    ...inputSchema(requestId, 'draft-7'),
    description:
      'Idempotency key: a UUID made by the client for this request and sent again unchanged on every retry of it. Within 24 h a retry answers the first answer and writes nothing; the same key with another payload answers CONFLICT.',
  };
}

const INFO = `Socket.IO 4 API of Quad, generated from shared/ by \`npm run docs:api\` (do not edit by hand).

Every command is a client event with one payload and an acknowledgement callback; the ack is \`{ ok: true, data }\` or \`{ ok: false, error: { code, message, fields?, reason?, retryAfter?, clash? } }\` (AckFailure). Write commands take an optional \`requestId\` (UUID) that makes a retry safe. Change pushes are event objects \`{ id, epoch, room, type, data, at }\`; subscribe commands resume a room from \`since\`.

docs/protocol.md is the guide (rooms, resume, ordering, reconnects); the REST API is docs/openapi.yaml.`;

const SERVER = `Socket.IO 4 (Socket.IO protocol 5 over Engine.IO v4: WebSocket, or HTTP long-polling then upgrade) at \`/socket.io/\`, on the REST API's origin. The namespaces are the channels. Every namespace authenticates its handshake: \`auth.token\` (the access token) or, in a browser, the \`${ACCESS_COOKIE}\` cookie. A refused handshake gets \`connect_error\` with \`data\` = HandshakeRefusal (TOKEN_EXPIRED: refresh, then reconnect; another TOKEN_* problem: log in; UNAVAILABLE: retry; RATE_LIMITED with reason TOO_MANY_CONNECTIONS: too many connections for this user or address; docs/protocol.md §2 and §12). Messages are limited to 64 KB.`;
