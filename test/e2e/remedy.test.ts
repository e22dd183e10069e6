// Remedy end to end, in Arabic on both sides: a report from a phone (agreeing to a referral, not to
// sharing personal data) → the caseworker, with the desk in Arabic, triages it, refers it to the
// first suggested body and prints the pack (no personal data in it) → the reporter's follow-up
// page names the body and says, in Arabic, what it can do and what happens next → the body's
// answer is recorded → the reporter sees it. axe-core on the desk's remedy panel and the page.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatReceipt } from '../../protocol/receipt.ts';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, type DeskUser } from '../helpers/desk.ts';
import { expectAccessible, launchBrowser, phonePage, signInAtDesk, type BrowserSession } from '../helpers/browser.ts';
import { sendReportFromPhone } from '../helpers/report-flow.ts';

const AR = JSON.parse(readFileSync('locales/ar/remedy.json', 'utf8')) as { next: Record<string, string>; kind: Record<string, { can: string }> };
const NARRATIVE = 'أعادوني إلى الحدود ورفض النظام تسجيل طلب اللجوء الخاص بي. اسمي سامي وهاتفي 0999.';

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

async function openFollowUp(page: Page, receipt: string) {
  await page.goto(`${server.base}/follow-up?lang=ar`);
  await page.fill('#receipt', formatReceipt(receipt));
  await page.locator('form.confirm button').click();
  await page.locator('.case-reference').waitFor({ timeout: 30_000 });
}

describe('remedy', () => {
  it('refers a case and tells the reporter, in Arabic, where it went and what happens next', async () => {
    const phone = await phonePage(session.browser, server.base, { locale: 'ar' });
    const receipt = await sendReportFromPhone(phone.page, server.base, { lang: 'ar', category: 'asylum_blocked', country: 'GR', narrative: NARRATIVE, consentReferral: 'yes' });
    await phone.context.close();

    // The caseworker, with the desk in Arabic.
    const desk = await phonePage(session.browser, server.base);
    await desk.context.addCookies([{ name: 'redress_desk_lang', value: 'ar', url: server.base }]);
    await desk.page.setViewportSize({ width: 1200, height: 900 });
    await signInAtDesk(desk.page, server.base, worker);
    expect(await desk.page.locator('html').getAttribute('dir')).toBe('rtl');
    // Sign-in runs Argon2id (64 MiB) in the browser, then unlocks the team key: on a busy two-core CI
    // machine running other browser tests this once took longer than 30 s.
    const reference = (await desk.page.locator('table.queue tbody tr .reference').first().textContent({ timeout: 90_000 }))!;
    expect(reference).toMatch(/^RDX-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    await desk.page.locator('table.queue tbody tr .reference').first().click();
    await desk.page.locator('.narrative').waitFor({ timeout: 30_000 });
    await desk.page.locator('.actions button[data-status=triaged]').click();
    await desk.page.locator('.remedy .suggestions li').first().waitFor();
    await expectAccessible(desk.page, 'desk: remedy panel');

    // The first suggested body; the second consent is missing, so personal data cannot go.
    const body = (await desk.page.locator('.remedy .suggestions li strong').first().textContent())!;
    await desk.page.locator('.remedy .suggestions li button').first().click();
    expect(await desk.page.locator('#refer-pathway').inputValue()).toBeTruthy();
    expect(await desk.page.locator('#refer input[type=checkbox]').isDisabled()).toBe(true);
    await desk.page.locator('#refer button.primary').click();
    await desk.page.locator('.remedy .referrals li').getByText(body).waitFor({ timeout: 20_000 });

    // The pack for the body: the facts and our reference, not the reporter's own words.
    await desk.page.locator('.remedy .referrals li button').last().click();
    await desk.page.locator('.pack h1').waitFor({ timeout: 20_000 });
    const pack = (await desk.page.locator('.pack').textContent())!;
    expect(pack).toContain(body);
    expect(pack).toContain(reference);
    expect(pack).not.toContain('سامي');
    expect(pack).not.toContain('0999');
    await desk.page.locator('.pack-controls button:not(.primary)').click();
    await desk.page.locator('.remedy').waitFor();

    // The reporter, back on the follow-up page in Arabic.
    const back = await phonePage(session.browser, server.base, { locale: 'ar' });
    await openFollowUp(back.page, receipt);
    expect(await back.page.locator('.case-reference').textContent()).toBe(reference);
    const referral = back.page.locator('article.referral');
    await referral.waitFor();
    expect(await referral.locator('h3').textContent()).toBe(body);
    const said = (await referral.textContent())!;
    expect(said).toContain(AR.next.waiting);
    expect(Object.values(AR.kind).some((kind) => said.includes(kind.can))).toBe(true);
    await expectAccessible(back.page, 'follow-up: where the case went');

    // The body answers; the reporter sees it.
    await desk.page.selectOption('.remedy .referrals select', 'admissible');
    await desk.page.locator('.remedy .referrals button[type=submit]').click();
    await desk.page.locator('.remedy .status').waitFor();
    await openFollowUp(back.page, receipt);
    await back.page.locator('article.referral .answer').waitFor();
    expect(await back.page.locator('article.referral .answer').textContent()).toBe(AR.next.admissible);

    // The desk asks who is signed in before sign-in (a 401 Chromium reports as a console error).
    expect([...desk.consoleErrors.filter((e) => !e.includes('401')), ...back.consoleErrors]).toEqual([]);
    expect(back.foreign).toEqual([]);
    for (const r of [...desk.requests, ...back.requests]) expect(r.body.includes(NARRATIVE), `${r.method} ${r.url}`).toBe(false);
  });
});
