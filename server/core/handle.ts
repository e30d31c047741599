import crypto from 'node:crypto';
import type { QuadSocket as Socket } from './sockets';
import type { ZodType } from 'zod';
import type { Ack, OutputOf } from '../../shared/events';
import { requestId as requestIdSchema } from '../../shared/schemas/common';
import { AppError, toWire } from './errors';
import { Replay, RequestKeys, type RequestKey } from './request-keys';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

type Run<I, O> = (input: I, socket: Socket) => Promise<O> | O;
interface Entry {
  schema: ZodType<unknown>;
  run: Run<unknown, unknown>;
}

/**
 * Takes the optional `requestId` (a client-made UUID, for idempotent writes) out of a payload,
 * so every command's own schema stays as it is. A numeric `requestId` is a friend request's id.
 */
function splitRequestId(payload: unknown): { payload: unknown; requestId?: string } {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload) || !('requestId' in payload))
    return { payload };
  const { requestId, ...rest } = payload as Record<string, unknown>;
  // friend:accept, friend:decline and friend:cancel name the friend request `requestId` (a
  // number): there it is the command's own field, and those commands take no idempotency key.
  if (typeof requestId === 'number') return { payload };
  const parsed = requestIdSchema.safeParse(requestId);
  if (!parsed.success) throw AppError.validation({ requestId: 'must be a UUID' });
  return { payload: rest, requestId: parsed.data.toLowerCase() };
}

/**
 * The commands of one namespace, registered once for all its sockets (a socket carries no
 * listener per command: that was ~20 closures and listener slots per connection). Each command
 * parses its payload with the shared schema, runs one service call, and acks `{ ok: true, data }`
 * or `{ ok: false, error }`. The only try/catch for socket commands lives here; unexpected errors
 * are logged with a request id and reach the client as INTERNAL without details. Nothing a
 * handler throws can reach the process. Log lines name the socket, never the user: a line per
 * `comment:create` with a user id would unmask anonymous authors to anyone reading the logs.
 */
export class CommandTable {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly log: Logger,
    private readonly metrics?: Metrics,
    private readonly requestKeys?: RequestKeys,
    /** Runs before every command once its payload is valid; what it throws is the answer. */
    private readonly guard?: (socket: Socket, event: string) => Promise<void> | void,
  ) {}

  /** The typed registration function for a namespace's command map `C`. */
  typed<C>() {
    return <K extends keyof C & string, I>(
      event: K,
      schema: ZodType<I>,
      run: Run<I, OutputOf<C, K>>,
    ): void => {
      this.entries.set(event, { schema, run: run as Run<unknown, unknown> });
    };
  }

  has(event: unknown): boolean {
    return typeof event === 'string' && this.entries.has(event);
  }

  /** Runs a known command (see `has`) for `socket`; `args` as socket.io delivers them, ack last. */
  async dispatch(socket: Socket, event: string, args: unknown[]): Promise<void> {
    const { schema, run } = this.entries.get(event)!;
    const ack =
      typeof args[args.length - 1] === 'function' ? (args.pop() as (res: Ack<unknown>) => void) : undefined;
    const rid = crypto.randomUUID();
    const started = performance.now();
    let res: Ack<unknown>;
    let key: RequestKey | undefined;
    try {
      // `emit(event, undefined, ack)` arrives as null: treat it as no payload.
      const { payload, requestId } = splitRequestId(args[0] === null ? undefined : args[0]);
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw AppError.fromZod(parsed.error);
      await this.guard?.(socket, event);
      if (requestId !== undefined && this.requestKeys) {
        key = {
          userId: socket.data.userId,
          requestId,
          command: event,
          payloadHash: RequestKeys.hash(event, parsed.data),
          claimed: false,
        };
        const keys = this.requestKeys;
        // A retry of an applied request answers what the first run answered.
        const data = await keys
          .run(key, async () => run(parsed.data, socket))
          .catch((err: unknown) => (err instanceof Replay ? keys.answer(err) : Promise.reject(err)));
        res = { ok: true, data };
      } else res = { ok: true, data: await run(parsed.data, socket) };
    } catch (err) {
      res = { ok: false, error: toWire(err) };
      if (res.error.code === 'INTERNAL' || res.error.code === 'UNAVAILABLE') {
        this.log.error({ err, rid, nsp: socket.nsp.name, event, socket: socket.id }, 'command failed');
      }
    }
    const elapsed = performance.now() - started;
    this.metrics?.command(event, res.ok ? 'ok' : res.error.code, elapsed / 1000);
    this.log.info(
      {
        rid,
        nsp: socket.nsp.name,
        event,
        socket: socket.id,
        ok: res.ok,
        code: res.ok ? undefined : res.error.code,
        ms: Math.round(elapsed),
      },
      'command',
    );
    ack?.(res);
    // The answer for a retry of this request (after a lost ack): stored once the ack is out.
    if (key && res.ok)
      this.requestKeys!.remember(key, res.data).catch((err: unknown) =>
        this.log.error({ err, rid, event }, 'could not store the answer of a request'),
      );
  }
}
