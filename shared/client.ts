import { io, type Socket } from 'socket.io-client';
import type { Ack, InputOf, NamespaceCommands, NamespaceName, NamespacePushes, OutputOf } from './events';

export interface ClientOptions {
  /** Base URL of the Quad server, e.g. `http://localhost:3000`. */
  url: string;
  /** Access token; omit in a browser that logged in with cookies. */
  token?: string;
  /** How long `ask` waits for an ack, in ms. */
  timeoutMs?: number;
  /** Extra socket.io-client options (e.g. `transports`, `extraHeaders` in Node). */
  socket?: Parameters<typeof io>[1];
}

type PushArgs<N extends NamespaceName, E extends keyof NamespacePushes[N]> = NamespacePushes[N][E] extends (
  ...args: infer A
) => void
  ? A
  : never;

/** A typed connection to one namespace. */
export class NamespaceClient<N extends NamespaceName> {
  readonly socket: Socket;

  constructor(
    readonly namespace: N,
    private readonly options: ClientOptions,
  ) {
    this.socket = io(options.url + namespace, {
      ...options.socket,
      auth: (cb) => cb(this.options.token ? { token: this.options.token } : {}),
    });
  }

  /** Sends a command and resolves with its ack (rejects only if no ack arrives in time). */
  ask<K extends keyof NamespaceCommands[N] & string>(
    event: K,
    payload?: InputOf<NamespaceCommands[N], K>,
  ): Promise<Ack<OutputOf<NamespaceCommands[N], K>>> {
    const timeout = this.options.timeoutMs ?? 10_000;
    return this.socket.timeout(timeout).emitWithAck(event, payload);
  }

  /** Resolves with the next push of `event` (its first argument). */
  next<E extends keyof NamespacePushes[N] & string>(event: E): Promise<PushArgs<N, E>[0]> {
    return new Promise((resolve) => {
      this.socket.once(event as string, (payload: PushArgs<N, E>[0]) => resolve(payload));
    });
  }

  /** Listens to every push of `event`; returns a function that stops listening. */
  on<E extends keyof NamespacePushes[N] & string>(
    event: E,
    listener: (...args: PushArgs<N, E>) => void,
  ): () => void {
    const l = listener as (...args: unknown[]) => void;
    this.socket.on(event as string, l);
    return () => this.socket.off(event as string, l);
  }

  /** Uses a new access token for reconnects and re-authenticates the live socket with it. */
  async setToken(token: string): Promise<Ack<{ expiresAt: string }>> {
    this.options.token = token;
    return this.socket.connected
      ? this.socket.emitWithAck('auth:refresh', { accessToken: token })
      : { ok: true, data: { expiresAt: '' } };
  }

  /** Resolves once connected; rejects with the `connect_error` (its `data.code` says why). */
  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const ok = () => {
        this.socket.off('connect_error', fail);
        resolve();
      };
      const fail = (err: Error) => {
        this.socket.off('connect', ok);
        reject(err);
      };
      this.socket.once('connect', ok);
      this.socket.once('connect_error', fail);
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Connects to one namespace with typed commands and pushes. */
export function connect<N extends NamespaceName>(namespace: N, options: ClientOptions): NamespaceClient<N> {
  return new NamespaceClient(namespace, { ...options });
}
