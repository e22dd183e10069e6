// Statistics and the register in headless Chromium: an analyst signs in, sees the charts with their
// tables and the register, and nothing of any case; the public page, once on, reads without
// script at 320 px in English and Arabic, with nothing off screen and no axe violation.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { setPublicPage } from '../../server/services/stats.ts';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { expectAccessible, expectAccessibleHtml, launchBrowser, phonePage, signInAtDesk, type BrowserSession } from '../helpers/browser.ts';
import { insertCases, insertPathways, times } from '../helpers/cases.ts';
import { createDeskUser, type DeskUser } from '../helpers/desk.ts';

let server: TestApp & { base: string };
let session: BrowserSession;
let analyst: DeskUser;
const SHOTS = process.env.SCREENSHOTS; // a folder, to look at the pages

beforeAll(async () => {
  server = await startTestServer();
  session = await launchBrowser();
  insertPathways(server.db);
  analyst = await createDeskUser(server.db, { email: 'analyst@example.org', role: 'analyst' });
  insertCases(server.db, [
    ...times(23, { receivedOn: '2025-01-10', country: 'GR', category: 'pushback', systemType: 'drone_or_sensor_surveillance', coded: { deployerClass: 'coast_guard' } }),
    ...times(12, { receivedOn: '2025-02-10', country: 'GR', category: 'biometric_lockout', systemType: 'fingerprint', acknowledgedOn: '2025-02-14', closedOn: '2025-03-20', outcome: 'resolved' }),
    ...times(3, { receivedOn: '2025-02-11', country: 'GR', category: 'data_protection' }),
    ...times(17, { receivedOn: '2025-04-10', country: 'JO', category: 'assistance_cut', systemType: 'iris_scan', deploymentId: 'unhcr-iris-cash-assistance-jordan',
      referrals: [{ pathwayId: 'unhcr-igo', sentOn: '2025-04-20', outcome: 'admissible', outcomeOn: '2025-05-20' }] }),
    ...times(8, { receivedOn: '2025-05-10', country: 'LB', category: 'assistance_cut', systemType: 'eligibility_algorithm' }),
  ]);
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await session?.close();
  await server?.close();
});

/** Nothing wider than the 320 px screen (a phone browser would zoom out to show it, so innerWidth cannot tell). */
async function noneOffScreen(page: Page, where: string) {
  const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
    // Inside a scrolling region a wide table scrolls on its own, the page does not.
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > 321 || r.left < -1) && !el.closest('.scroll'); })
    .sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width).filter((el) => !el.querySelector('*') || el.getBoundingClientRect().width > 330)
    .slice(0, 8).map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().left)}..${Math.round(el.getBoundingClientRect().right)}`));
  expect(wide, `${where}: off screen`).toEqual([]);
}

describe('statistics in the desk', () => {
  it('shows an analyst the charts with their tables and the register, and no case', async () => {
    const { page, consoleErrors } = await phonePage(session.browser, server.base);
    await page.setViewportSize({ width: 320, height: 740 });
    await signInAtDesk(page, server.base, analyst);
    await page.getByRole('heading', { name: 'Statistics' }).waitFor({ timeout: 30_000 });
    const nav = page.locator('.desk-nav');
    expect(await nav.getByRole('button', { name: 'Cases' }).count()).toBe(0);
    expect(await page.locator('figure.chart svg.bars').count()).toBeGreaterThanOrEqual(4);
    // Every chart has its table: the figures screen readers read.
    expect(await page.locator('figure.chart').count()).toBe(await page.locator('figure.chart table.figures').count());
    // The latest quarter with reports, its biggest country first; then Greece in the first quarter.
    await expect.poll(() => page.locator('figure.chart').first().innerText()).toContain('Jordan');
    expect(await page.locator('.stats').first().innerText()).toContain('Iris scan');
    await page.selectOption('.filters select >> nth=0', 'GR');
    await page.selectOption('.filters select >> nth=1', '2025-Q1');
    await expect.poll(() => page.locator('.stats').first().innerText()).toContain('Drone or sensor surveillance');
    expect(await page.locator('a[href="/api/stats/export?format=hxl"]').count()).toBe(1);
    await expectAccessible(page, 'desk statistics');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/desk-stats-en.png`, fullPage: true });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/desk-stats-en-top.png` });

    await page.selectOption('.desk-language select', 'ar'); // the desk's language chooser (a list since the 24 languages)
    await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await noneOffScreen(page, 'desk statistics in Arabic');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/desk-stats-ar.png`, fullPage: true });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/desk-stats-ar-top.png` });
    await page.selectOption('.desk-language select', 'en');

    await nav.getByRole('button', { name: 'Register of AI systems' }).click();
    await page.getByRole('heading', { name: 'Register of AI systems' }).waitFor();
    expect(await page.locator('article.deployment').count()).toBe(12);
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0); // analysts read the register only
    await expectAccessible(page, 'desk register');
    // The desk asks who is signed in before sign-in (a 401 Chromium reports as a console error).
    expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});

describe('the public accountability page', () => {
  it('reads without script at 320 px, in English and in Arabic', async () => {
    setPublicPage(server.db, server.config, 'test', true);
    for (const lang of ['en', 'ar']) {
      const { page, context, foreign } = await phonePage(session.browser, server.base, { javaScriptEnabled: false });
      await page.setViewportSize({ width: 320, height: 740 });
      const res = await page.goto(`${server.base}/accountability?lang=${lang}`);
      expect(res!.status()).toBe(200);
      expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      await noneOffScreen(page, `public page (${lang})`);
      // The plain form chooses another country without script.
      await page.selectOption('#country', 'JO');
      await page.locator('form.choose button').click();
      await page.waitForURL(/country=JO/);
      expect(await page.locator('figure.chart').count()).toBeGreaterThanOrEqual(4);
      await page.locator('article.deployment details summary').first().click();
      await noneOffScreen(page, `public page, details open (${lang})`);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/public-${lang}.png`, fullPage: true });
      await expectAccessibleHtml(session.browser, server.base, await page.content(), `public page (${lang})`);
      expect(foreign).toEqual([]);
      await context.close();
    }
  });
});
