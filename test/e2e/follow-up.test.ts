// Follow-up end to end: a report in Persian → the caseworker replies in the desk → the reporter
// types the receipt in Persian digits with spaces → reads the reply → answers → the caseworker
// reads the answer. No request carries the receipt or a message's plaintext.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, type DeskUser } from '../helpers/desk.ts';
import { expectAccessible, launchBrowser, phonePage, signInAtDesk, type BrowserSession } from '../helpers/browser.ts';
import { formatReceipt } from '../../protocol/receipt.ts';
import { sendReportFromPhone } from '../helpers/report-flow.ts';

let server: TestApp & { base: string };
let session: BrowserSession;
let worker: DeskUser;
beforeAll(async () => {
  server = await startTestServer({ config: { submitRateLimit: 100 } });
  const admin = await setupAdmin(server.db);
  worker = await createDeskUser(server.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(server.db)], granter: { ...admin.keys, id: admin.id } });
  session = await launchBrowser();
});
afterAll(async () => {
  await session?.close();
  await server?.close();
});

const REPLY = 'سلام. گزارش شما را خواندیم. لطفاً تاریخ دقیق را بنویسید.';
const ANSWER = 'ممنون. تاریخ دقیق ۱۴ مارس بود.';
const toPersianDigits = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x6f0 + Number(d)));

describe('follow-up', () => {
  it('lets the reporter read the caseworker and answer, with the receipt typed in Persian digits', async () => {
    // The report, in Persian, from a phone.
    const phone = await phonePage(session.browser, server.base, { locale: 'fa' });
    const receipt = await sendReportFromPhone(phone.page, server.base, { lang: 'fa', category: 'asylum_blocked', country: 'AF', narrative: 'ثبت درخواست پناهندگی من را سیستم رد کرد.' });
    await phone.context.close();

    // The caseworker replies in the desk.
    const desk = await phonePage(session.browser, server.base, { laptop: true });
    await signInAtDesk(desk.page, server.base, worker);
    await desk.page.locator('table.queue tbody tr').first().locator('button').click();
    await desk.page.locator('.narrative').waitFor({ timeout: 20_000 });
    await desk.page.fill('#message', REPLY);
    await desk.page.getByRole('button', { name: 'Send to the reporter' }).click();
    await desk.page.locator('.messages li').getByText(REPLY).waitFor();

    // The reporter comes back, types the receipt in Persian digits with spaces, reads, answers.
    const back = await phonePage(session.browser, server.base, { locale: 'fa' });
    await back.page.goto(`${server.base}/follow-up?lang=fa`);
    expect(await back.page.title()).toBe('Redress');
    await back.page.locator('#receipt').waitFor();
    await expectAccessible(back.page, 'follow-up: receipt');
    // A malformed receipt gets a specific hint, in Persian.
    await back.page.fill('#receipt', '۱۲۳۴ ۵۶۷۸');
    await back.page.locator('form.confirm button').click();
    expect(await back.page.locator('#receipt-error').textContent()).toMatch(/[\u0600-\u06ff]/);
    await back.page.fill('#receipt', toPersianDigits(formatReceipt(receipt)));
    await back.page.locator('form.confirm button').click();
    await back.page.locator('.messages li.to_reporter').waitFor({ timeout: 30_000 });
    expect(await back.page.locator('.messages li.to_reporter .message-text').textContent()).toBe(REPLY);
    expect(back.page.url()).not.toContain(receipt);
    await expectAccessible(back.page, 'follow-up: case');
    await back.page.fill('#reply', ANSWER);
    await back.page.locator('form button.primary').click();
    await back.page.locator('.messages li.from_reporter').waitFor({ timeout: 20_000 });
    expect(await back.page.locator('.messages li.from_reporter .message-text').textContent()).toBe(ANSWER);

    // The caseworker reads the answer.
    await desk.page.getByRole('button', { name: '← Cases' }).click();
    await desk.page.locator('table.queue tbody tr').first().locator('button').click();
    await desk.page.locator('.messages li.from_reporter').getByText(ANSWER).waitFor({ timeout: 20_000 });

    // Nothing readable went over the wire: not the receipt in any script, not the messages.
    for (const r of [...phone.requests, ...desk.requests, ...back.requests]) {
      for (const secret of [receipt, toPersianDigits(receipt), formatReceipt(receipt), REPLY, ANSWER]) {
        expect(r.body.includes(secret), `${r.method} ${r.url}`).toBe(false);
        expect(r.url.includes(secret)).toBe(false);
      }
    }
    expect(back.foreign).toEqual([]);
  });
});
