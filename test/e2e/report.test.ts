// The public form in headless Chromium on a phone: a report in Arabic from the first page to the
// confirmed receipt (sealed in the browser, opened in Node), the same in English without
// JavaScript (sealed by the server), axe-core on every step, and no plaintext in any request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc } from 'drizzle-orm';
import { cases } from '../../db/schema.ts';
import { AD_LABEL, openEnvelope } from '../../protocol/envelope.ts';
import type { ReportContent } from '../../protocol/api.ts';
import { caseBinding } from '../../server/services/cases.ts';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { expectAccessible, expectAccessibleHtml, launchBrowser, phonePage, type BrowserSession } from '../helpers/browser.ts';
import { MARKER } from '../fixtures/report.ts';
import { receivedTitle } from '../helpers/report-flow.ts';

let server: TestApp & { base: string };
let session: BrowserSession;
beforeAll(async () => {
  server = await startTestServer({ config: { submitRateLimit: 100 } });
  session = await launchBrowser();
});
afterAll(async () => {
  await session?.close();
  await server?.close();
});

function latestCase() {
  const row = server.db.select().from(cases).orderBy(desc(cases.receivedOn)).all().at(-1)!;
  const clear = caseBinding(row);
  return { row, clear };
}

const toArabicIndic = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0x660 + Number(d)));

describe('public form, JavaScript on', () => {
  it('takes a report in Arabic from the first page to a confirmed receipt', async () => {
    const { page, requests, foreign, consoleErrors, context } = await phonePage(session.browser, server.base, { locale: 'ar' });
    await page.goto(`${server.base}/`);
    // The browser's preference picked Arabic, right to left, and the app took over the plain form.
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('ar');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.locator('.progress').waitFor();
    expect(await page.locator('.quick-exit').isVisible()).toBe(true);
    await expectAccessible(page, 'step 1 (what)');

    // Nothing can be skipped: Next without an answer shows a message in Arabic.
    await page.locator('button.primary').click();
    expect(await page.locator('#category-error, fieldset .error').first().textContent()).toMatch(/[\u0600-\u06ff]/);
    await expectAccessible(page, 'step 1 with an error');

    await page.locator('input[name=category][value=biometric_lockout]').check();
    await page.selectOption('#systemType', 'iris_scan');
    await page.locator('button.primary').click();

    await page.selectOption('#country', 'JO');
    await page.selectOption('#month', '03');
    await page.selectOption('#year', '2025');
    await expectAccessible(page, 'step 2 (where)');
    await page.locator('button.primary').click();

    await page.locator('input[name=role][value=self]').check();
    await page.locator('button.primary').click();

    const story = `لم يتعرف جهاز مسح القزحية عليّ وتوقفت بطاقة الطعام. ${MARKER}`;
    await page.fill('#narrative', story);
    await page.fill('#place', 'مخيم الزعتري');
    await expectAccessible(page, 'step 4 (story)');

    // Switching language keeps what was typed, and flips the direction.
    await page.locator('.languages summary').click();
    await page.locator('.languages a[hreflang=en]').click();
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('ltr');
    expect(await page.locator('h1').textContent()).toBe('Your story');
    expect(await page.inputValue('#narrative')).toBe(story);
    expect(page.url()).toContain('lang=en');
    await page.locator('.languages summary').click();
    await page.locator('.languages a[hreflang=ar]').click();
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.inputValue('#narrative')).toBe(story);
    await page.locator('button.primary').click();

    await page.locator('input[name=contactMethod][value=phone]').check();
    await page.fill('#contactValue', toArabicIndic('0791234567'));
    await page.locator('button.primary').click();

    await page.locator('input[name=consentReferral][value=yes]').check();
    await page.locator('input[name=consentShareData][value=no]').check();
    await page.locator('button.primary').click();

    // Review: every answer, each marked with who can see it.
    expect(await page.locator('.review').textContent()).toContain(MARKER);
    expect(await page.locator('.review .badge.sealed').count()).toBeGreaterThanOrEqual(3);
    await expectAccessible(page, 'review');
    await page.locator('.nav button.primary').click();

    const receiptText = await page.locator('.receipt-number').first().textContent({ timeout: 30_000 });
    expect(receiptText).toMatch(/^\d{4}( \d{4}){4}$/);
    const receipt = receiptText!.replace(/ /g, '');
    expect(await page.locator('.receipt-number.native').textContent()).toBe(toArabicIndic(receiptText!));
    await expectAccessible(page, 'receipt');

    // The page holds on to the person until they confirm the receipt.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.fill('#last4', '0000' === receipt.slice(-4) ? '1111' : '0000');
    await page.locator('form.confirm button').click();
    expect(await page.locator('#last4-error').isVisible()).toBe(true);
    await page.fill('#last4', toArabicIndic(receipt.slice(-4)));
    await page.locator('form.confirm button').click();
    await page.locator('.confirmed').waitFor();
    await expectAccessible(page, 'confirmed');

    // What left the phone: ciphertext only; the server stored it; it opens with the recovery key.
    await page.locator('h1').filter({ hasText: receivedTitle('ar') }).waitFor({ timeout: 60_000 });
    const posts = requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => new URL(r.url).pathname)).toEqual(['/api/reports/sealed']);
    for (const r of requests) {
      expect(r.body).not.toContain(MARKER);
      expect(r.body).not.toContain(receipt);
      expect(r.body).not.toContain('0791234567');
      expect(r.url).not.toContain(receipt);
    }
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
    const { row, clear } = latestCase();
    expect(row).toMatchObject({ sealedBy: 'browser', language: 'ar', country: 'JO', category: 'biometric_lockout', incidentMonth: '2025-03' });
    const content = await openEnvelope<ReportContent>(AD_LABEL.report, clear, row.envelope, server.recovery!);
    expect(content?.narrative).toBe(story);
    expect(content?.contact).toEqual({ method: 'phone', value: '0791234567' });
    await context.close();
  });

  it('opens directly in a shared language link and stays usable at 320 px', async () => {
    const { page, context } = await phonePage(session.browser, server.base);
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`${server.base}/?lang=ps`);
    await page.locator('.progress').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ps');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    // Remembered: the next visit without ?lang= opens in Pashto.
    await page.goto(`${server.base}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('ps');
    await context.close();
  });
});

describe('public form, JavaScript off', () => {
  it('takes a report in English as a plain HTML form, sealed by the server', async () => {
    const { page, requests, foreign, context } = await phonePage(session.browser, server.base, { javaScriptEnabled: false, locale: 'en-GB' });
    await page.goto(`${server.base}/?lang=en`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expectAccessibleHtml(session.browser, server.base, await page.content(), 'plain form');
    await page.locator('input[name=category][value=pushback]').check();
    await page.selectOption('#country', 'GR');
    await page.locator('input[name=role][value=witness]').check();
    await page.fill('#narrative', `A boat was turned back at night. ${MARKER}`);
    await page.locator('input[name=contactMethod][value=none]').check();
    await page.locator('input[name=consentReferral][value=no]').check();
    await page.locator('input[name=consentShareData][value=no]').check();
    await page.locator('form.plain-form button[type=submit]').click();

    await page.locator('.receipt-number').waitFor();
    const receipt = (await page.locator('.receipt-number').textContent())!.replace(/ /g, '');
    expect(receipt).toMatch(/^\d{20}$/);
    await expectAccessibleHtml(session.browser, server.base, await page.content(), 'plain receipt');
    await page.fill('#last4', receipt.slice(-4));
    await page.locator('form.confirm button').click();
    await page.locator('.confirmed').waitFor();
    await expectAccessibleHtml(session.browser, server.base, await page.content(), 'plain confirmation');

    expect(foreign).toEqual([]);
    // Nothing was sealed in the browser: the form went to the server, as a plain form does.
    const posts = requests.filter((r) => r.method === 'POST').map((r) => new URL(r.url).pathname);
    expect(posts).toEqual(['/report', '/report/confirm']);
    const { row, clear } = latestCase();
    expect(row).toMatchObject({ sealedBy: 'server', category: 'pushback', urgent: true, country: 'GR', language: 'en' });
    const content = await openEnvelope<ReportContent>(AD_LABEL.report, clear, row.envelope, server.recovery!);
    expect(content?.narrative).toContain(MARKER);
    await context.close();
  });
});
