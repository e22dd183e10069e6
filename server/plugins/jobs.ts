// The background jobs, every JOB_INTERVAL_SECONDS while the server runs: purge closed cases past
// their retention (once a day), and when mail is configured, announce deadlines and send the
// outbox. Jobs never run inside a request, so a slow mail server slows no one; a job that fails
// is logged (without content) and tried again at the next tick. JOB_INTERVAL_SECONDS=0 turns them
// off (the test helpers do, and drive the jobs themselves).
import fp from 'fastify-plugin';
import { announceDeadlines } from '../services/deadline-notices.ts';
import { today } from '../services/deadlines.ts';
import { deliverDue, smtpSender, type MailSender } from '../services/mail-outbox.ts';
import { purgeExpiredCases } from '../services/retention.ts';

export default fp(async function jobs(app) {
  const interval = app.config.jobIntervalMs;
  if (interval <= 0) return;
  const sender: MailSender | null = app.config.smtpUrl ? smtpSender(app.config) : null;
  let running: Promise<void> | null = null;
  let purgedOn = '';
  let timer: ReturnType<typeof setInterval> | undefined;

  async function work() {
    const now = new Date();
    try {
      if (purgedOn !== today(now)) {
        const purged = purgeExpiredCases(app.db, 'system', now);
        purgedOn = today(now);
        if (purged.length > 0) app.log.info({ purged: purged.length }, 'retention: closed cases purged');
      }
      if (sender) {
        announceDeadlines(app.db, now);
        await deliverDue(app.db, { sender, locales: app.locales, deskUrl: `${app.config.publicUrl}/desk`, log: app.log }, now);
      }
    } catch (err) {
      app.log.error({ error: (err as { code?: string }).code ?? (err as Error).name }, 'background job failed');
    }
  }
  function tick() {
    if (running) return; // a slow send must not pile up ticks
    running = work().finally(() => { running = null; });
  }

  app.addHook('onReady', async () => {
    timer = setInterval(tick, interval);
    timer.unref();
    tick();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    sender?.close();
    await running; // the database closes after this: let the tick in flight finish with it
  });
}, { name: 'jobs', dependencies: ['db', 'locales'] });
