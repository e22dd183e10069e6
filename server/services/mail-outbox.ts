// Sends the queued notices (services/notifications.ts) over SMTP, outside any request: a mail
// server that is down or slow delays the mails, never a report or a caseworker. Each mail says
// only that there is something in the queue, with a link to the desk. A failed send is retried
// with exponential backoff and logged with its error code, never with an address or a text.
import nodemailer from 'nodemailer';
import { asc, eq, lte } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Conn } from '../../db/index.ts';
import { notifications, users } from '../../db/schema.ts';
import type { NoticeKind } from '../../protocol/taxonomy.ts';
import type { Config } from '../config.ts';
import type { Locales } from '../i18n.ts';

export interface MailSender {
  send(mail: { to: string; subject: string; text: string }): Promise<void>;
  close(): void;
}

/** Timeouts keep a slow server from holding a send for long; the outbox retries later. */
export function smtpSender(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): MailSender {
  const url = new URL(config.smtpUrl!);
  const transport = nodemailer.createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, dnsTimeout: 10_000,
  });
  return {
    async send(mail) { await transport.sendMail({ from: config.mailFrom, ...mail }); },
    close() { transport.close(); },
  };
}

export const MAX_ATTEMPTS = 12;
/** 1, 2, 4 … minutes, at most 6 hours: twelve tries span about a day and a half. */
export const backoffMs = (attempts: number) => Math.min(60_000 * 2 ** (attempts - 1), 6 * 3_600_000);
const BATCH = 50;

/** The mail for a notice, in the account's language: no case, category, country or reference, ever. */
export function composeNotice(locales: Locales, language: string, kind: NoticeKind, deskUrl: string) {
  const { t } = locales.get(language);
  return {
    subject: t(`desk:mail.subject.${kind}`),
    text: `${t(`desk:mail.body.${kind}`)}\n\n${t('desk:mail.open', { url: deskUrl })}\n\n${t('desk:mail.why')}\n`,
  };
}

/** A short, content-free name for what went wrong (a code, never a server's message). */
function errorCode(err: unknown): string {
  const e = err as { code?: unknown; responseCode?: unknown };
  return String(e.responseCode ?? e.code ?? 'unknown').slice(0, 40);
}

export interface DeliveryDeps {
  sender: MailSender;
  locales: Locales;
  deskUrl: string;
  log: Pick<FastifyBaseLogger, 'warn'>;
}

/** Sends what is due (oldest first); a sent notice is deleted, a failed one rescheduled or, at last, dropped. */
export async function deliverDue(db: Conn, deps: DeliveryDeps, now = new Date()): Promise<{ sent: number; failed: number }> {
  const due = db.select({ n: notifications, email: users.email, language: users.notifyLanguage, disabledAt: users.disabledAt })
    .from(notifications).innerJoin(users, eq(users.id, notifications.userId))
    .where(lte(notifications.dueAt, now.toISOString())).orderBy(asc(notifications.dueAt)).limit(BATCH).all();
  let sent = 0;
  let failed = 0;
  for (const { n, email, language, disabledAt } of due) {
    if (disabledAt) {
      db.delete(notifications).where(eq(notifications.id, n.id)).run();
      continue;
    }
    try {
      await deps.sender.send({ to: email, ...composeNotice(deps.locales, language, n.kind, deps.deskUrl) });
      db.delete(notifications).where(eq(notifications.id, n.id)).run();
      sent++;
    } catch (err) {
      failed++;
      const attempts = n.attempts + 1;
      const code = errorCode(err);
      if (attempts >= MAX_ATTEMPTS) {
        db.delete(notifications).where(eq(notifications.id, n.id)).run();
        deps.log.warn({ notice: n.kind, attempts, error: code }, 'notification mail given up');
      } else {
        db.update(notifications).set({ attempts, lastError: code, dueAt: new Date(now.getTime() + backoffMs(attempts)).toISOString() })
          .where(eq(notifications.id, n.id)).run();
        deps.log.warn({ notice: n.kind, attempts, error: code }, 'notification mail failed; will retry');
      }
    }
  }
  return { sent, failed };
}
