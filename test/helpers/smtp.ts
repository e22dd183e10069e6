// A real SMTP server inside the test process (the smtp-server package): it keeps every mail it
// receives, or refuses them all with a temporary error, on a free loopback port.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail { from: string; to: string[]; raw: string }

export interface TestSmtp {
  url: string;
  mails: ReceivedMail[];
  /** While true, every mail is refused with "451 try again later". */
  refuse: boolean;
  /** Resolves once `count` mails have arrived (bounded by the test's own timeout). */
  waitFor(count: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const waiting: { count: number; resolve: (m: ReceivedMail[]) => void }[] = [];
  const state = { refuse: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (state.refuse) {
          const err = Object.assign(new Error('Try again later'), { responseCode: 451 });
          callback(err);
          return;
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        for (const w of waiting.filter((x) => mails.length >= x.count)) { waiting.splice(waiting.indexOf(w), 1); w.resolve([...mails]); }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    get refuse() { return state.refuse; },
    set refuse(value: boolean) { state.refuse = value; },
    waitFor: (count) => (mails.length >= count ? Promise.resolve([...mails]) : new Promise((resolve) => waiting.push({ count, resolve }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
