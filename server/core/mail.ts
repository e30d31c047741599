import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { OutboxMailDto } from '../../shared/dto';
import type { Config } from './config';
import { AppError } from './errors';
import type { Logger } from './logger';

/** One plain-text mail. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

type OutboxMail = OutboxMailDto;

export interface Mailer {
  /** Sends, or throws UNAVAILABLE when the mail server does not take it. */
  send(mail: Mail): Promise<void>;
  /** The development outbox, newest first; undefined when mail goes to an SMTP server. */
  outbox?(): Promise<OutboxMail[]>;
}

/**
 * Outgoing mail through nodemailer: to SMTP_URL when set (STARTTLS is used whenever the server
 * offers it; `smtps://` for TLS from the start), otherwise into DATA_DIR/outbox as .eml files,
 * so a development server needs no mail server. Message bodies are never logged.
 */
export function createMailer(
  config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'DATA_DIR'>,
  log: Logger,
): Mailer {
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport(config.SMTP_URL, { from: config.MAIL_FROM });
    return {
      async send(mail) {
        try {
          await transport.sendMail(mail);
        } catch (err) {
          // The URL may hold a password: log the error's code and message only.
          const { code, responseCode } = err as { code?: string; responseCode?: number };
          log.warn({ code, responseCode, message: (err as Error).message }, 'mail not sent');
          throw new AppError('UNAVAILABLE', 'The mail server is not reachable; try again in a minute');
        }
      },
    };
  }
  const dir = path.resolve(config.DATA_DIR, 'outbox');
  const transport = nodemailer.createTransport(
    { streamTransport: true, buffer: true },
    { from: config.MAIL_FROM },
  );
  return {
    async send(mail) {
      const info = await transport.sendMail(mail);
      await fs.promises.mkdir(dir, { recursive: true });
      const id = `${Date.now()}-${crypto.randomBytes(4).toString('hex')}`;
      await fs.promises.writeFile(path.join(dir, `${id}.eml`), info.message as Buffer, { mode: 0o600 });
      await fs.promises.writeFile(
        path.join(dir, `${id}.json`),
        JSON.stringify({ id, date: new Date().toISOString(), ...mail } satisfies OutboxMail),
        { mode: 0o600 },
      );
      log.info({ file: path.join(dir, `${id}.eml`) }, 'mail written to the development outbox');
    },
    async outbox() {
      const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
      const mails = await Promise.all(
        names
          .filter((n) => n.endsWith('.json'))
          .map(async (n) => JSON.parse(await fs.promises.readFile(path.join(dir, n), 'utf8')) as OutboxMail),
      );
      return mails.sort((a, b) => (a.id < b.id ? 1 : -1));
    },
  };
}
