/**
 * What the fuzzer sends over its raw WebSockets: Engine.IO v4 / Socket.IO v5 frames, as
 * fast-check arbitraries. A `command` is a well-formed event packet for a command Quad knows
 * (or an unknown event), with a payload from the command's shared schema; the fuzzer encodes
 * it with an ack id it tracks. A `raw` frame is anything else on the wire: random and mutated
 * packets of every type, truncated, huge, deeply nested, with binary attachments (announced,
 * missing or extra), for unknown namespaces, connects with bad auth.
 */
import fc from 'fast-check';
import { NAMESPACES } from '../../shared/events';
import type { CommandSchemas } from './commands';
import { payloadOf } from './zod-arbitrary';

export type Frame =
  | { kind: 'command'; label: string; nsp: string; event: string; payload: unknown; attachments: Buffer[] }
  | { kind: 'raw'; label: string; parts: (string | Buffer)[] };

/** The maximum message Quad accepts (MAX_HTTP_BUFFER); a frame past it closes the connection. */
const LIMIT = 64 * 1024;

const nspArb = fc.constantFrom(...NAMESPACES);
const anyNsp = fc.oneof(
  { weight: 6, arbitrary: nspArb.map((n) => `${n},`) },
  { weight: 1, arbitrary: fc.constantFrom('', '/,', '/nope,', '/boards', '/admin,', '/boards/x,', '//,') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => `/${s},`) },
);
const ackIdText = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 0, max: 999 }).map(String),
  fc.constantFrom('99999999999999999999999', '-1', '0x1f', '1e3', '00', '1.5'),
);
const jsonText = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.constantFrom('', '[]', '[1]', '["whoami"]', '[null]', '[{}]', '["post:create",', '{"a":', '"', '[[]]'),
  fc.string({ maxLength: 60 }),
);

const engineIo: fc.Arbitrary<Frame> = fc
  .oneof(
    fc.constantFrom('2', '3', '5', '6', '2probe', '3probe', '4', '9', '', 'x', '1'),
    fc.string({ maxLength: 40 }),
    fc.tuple(fc.integer({ min: 0, max: 9 }), fc.string({ maxLength: 40 })).map(([d, s]) => `${d}${s}`),
  )
  .map((s) => ({ kind: 'raw', label: 'engine.io', parts: [s] }));

const binaryAlone: fc.Arbitrary<Frame> = fc
  .uint8Array({ maxLength: 256 })
  .map((b) => ({ kind: 'raw', label: 'binary frame', parts: [Buffer.from(b)] }));

const socketIo: fc.Arbitrary<Frame> = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 6 }).map(String), fc.constantFrom('7', '9', 'a', '-', ' ')),
    fc.option(
      fc.integer({ min: 0, max: 3 }).map((n) => `${n}-`),
      { freq: 4 },
    ),
    anyNsp,
    ackIdText,
    jsonText,
  )
  .map(([type, attach, nsp, id, body]) => ({
    kind: 'raw',
    label: 'socket.io',
    parts: [`4${type}${attach ?? ''}${nsp}${id}${body}`],
  }));

/** Events Socket.IO reserves: a client sending one has its connection closed. */
const reserved: fc.Arbitrary<Frame> = fc
  .tuple(
    nspArb,
    fc.constantFrom(
      'connect',
      'connect_error',
      'disconnect',
      'disconnecting',
      'newListener',
      'removeListener',
    ),
  )
  .map(([nsp, event]) => ({ kind: 'raw', label: 'reserved event', parts: [`42${nsp},3["${event}",{}]`] }));

/** A command packet cut short, or with a byte flipped. */
function mangled(schemas: CommandSchemas): fc.Arbitrary<Frame> {
  return fc
    .tuple(command(schemas), fc.nat(), fc.boolean(), fc.integer({ min: 0, max: 0xffff }))
    .map(([c, at, cut, ch]) => {
      const s = `42${c.nsp},7${JSON.stringify([c.event, c.payload ?? null])}`;
      const i = at % Math.max(1, s.length);
      const out = cut ? s.slice(0, i) : s.slice(0, i) + String.fromCharCode(ch) + s.slice(i + 1);
      return { kind: 'raw', label: cut ? 'truncated' : 'mutated', parts: [out] };
    });
}

/** Arrays or objects nested thousands deep, within or past the size limit. */
const deep: fc.Arbitrary<Frame> = fc
  .tuple(nspArb, fc.constantFrom(100, 1_000, 10_000, 30_000, 100_000), fc.boolean(), fc.boolean())
  .map(([nsp, depth, arrays, closed]) => {
    const open = arrays ? '['.repeat(depth) : '{"a":'.repeat(depth);
    const shut = closed ? (arrays ? ']'.repeat(depth) : '}'.repeat(depth)) : '';
    const event = arrays ? 'post:create' : 'posts:list';
    return {
      kind: 'raw',
      label: 'deep',
      parts: [`42${nsp},5["${event}",${open}${arrays ? '' : '1'}${shut}]`],
    };
  });

/** Just under the size limit (answered) and past it (the connection closes). */
const huge: fc.Arbitrary<Frame> = fc
  .tuple(nspArb, fc.constantFrom(LIMIT - 200, LIMIT + 1, 4 * LIMIT), fc.constantFrom('a', '가', '"'))
  .map(([nsp, size, ch]) => ({
    kind: 'raw',
    label: size < LIMIT ? 'near limit' : 'huge',
    parts: [
      `42${nsp},6["post:create",{"boardId":1,"title":"t","content":"${ch.repeat(size / ch.length / 3)}"}]`,
    ],
  }));

/** Binary events: announced attachments sent, missing, extra, or with bad placeholders. */
const binary: fc.Arbitrary<Frame> = fc
  .tuple(
    nspArb,
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 0, max: 4 }),
    fc.constantFrom('0', '5', '-1', '"x"', 'null', '1.5'),
    fc.uint8Array({ maxLength: 128 }),
  )
  .map(([nsp, announced, sent, num, bytes]) => ({
    kind: 'raw',
    label: 'attachments',
    parts: [
      `45${announced}-${nsp},8["post:create",{"boardId":1,"title":{"_placeholder":true,"num":${num}},"content":"x"}]`,
      ...Array.from({ length: sent }, () => Buffer.from(bytes)),
    ],
  }));

/** Namespace connects and disconnects: unknown namespaces, bad auth, twice. */
function connects(token: string): fc.Arbitrary<Frame> {
  const auth = fc.constantFrom(
    '',
    '{}',
    '{"token":"garbage"}',
    '{"token":123}',
    '[]',
    '"str"',
    `{"token":"${token}"}`,
    `{"token":"${token.slice(0, -3)}abc"}`,
    '{"token":',
  );
  return fc
    .tuple(fc.constantFrom('0', '1'), anyNsp, auth)
    .map(([type, nsp, a]) => ({ kind: 'raw', label: `connect/${type}`, parts: [`4${type}${nsp}${a}`] }));
}

function command(schemas: CommandSchemas): fc.Arbitrary<Extract<Frame, { kind: 'command' }>> {
  return nspArb.chain((nsp) => {
    const known = [...schemas[nsp].entries()];
    return fc
      .oneof(
        {
          weight: 20,
          arbitrary: fc
            .constantFrom(...known)
            .chain(([event, schema]) => payloadOf(schema).map((payload) => ({ event, payload }))),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 2 }))
            .map(([event, payload]) => ({ event, payload })),
        },
      )
      .map(({ event, payload }) => ({
        kind: 'command' as const,
        label: 'command',
        nsp,
        event,
        payload,
        attachments: [],
      }));
  });
}

/** A command whose payload carries a binary attachment where the schema wants text or a number. */
function binaryCommand(schemas: CommandSchemas): fc.Arbitrary<Frame> {
  return fc.tuple(command(schemas), fc.uint8Array({ maxLength: 64 })).map(([c, bytes]) => ({
    ...c,
    label: 'binary command',
    attachments: [Buffer.from(bytes)],
  }));
}

/** The fuzzer's frame mix: mostly commands, then every kind of broken packet. */
export function frames(schemas: CommandSchemas, token: string): fc.Arbitrary<Frame> {
  return fc.oneof(
    { weight: 50, arbitrary: command(schemas) },
    { weight: 12, arbitrary: socketIo },
    { weight: 8, arbitrary: mangled(schemas) },
    { weight: 6, arbitrary: engineIo },
    { weight: 4, arbitrary: binary },
    { weight: 4, arbitrary: binaryCommand(schemas) },
    { weight: 3, arbitrary: connects(token) },
    { weight: 2, arbitrary: binaryAlone },
    { weight: 1, arbitrary: reserved },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: huge },
  );
}
