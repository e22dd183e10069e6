// The outbox that survives (PROTOCOL.md §25), in a browser profile kept on disk like a phone's: a
// report sent offline waits on the phone as ciphertext only, survives a reload (the page itself
// coming from the service worker), and is delivered when the network returns; another waits while
// the browser is closed, and is delivered after it is opened again with the same profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { cases } from '../../db/schema.ts';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { CHROMIUM_ARGS, PHONE } from '../helpers/browser.ts';
import { sendReportFromPhone } from '../helpers/report-flow.ts';
import { MARKER } from '../fixtures/report.ts';

let server: TestApp & { base: string };
let profile: string;
beforeAll(async () => {
  server = await startTestServer({ config: { submitRateLimit: 100 } });
  profile = mkdtempSync(join(tmpdir(), 'redress-profile-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
});

const caseCount = () => server.db.select({ n: count() }).from(cases).get()!.n;
const openPhone = () => chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, ...PHONE, locale: 'en',
});
const firstPage = async (context: BrowserContext): Promise<Page> => context.pages()[0] ?? context.newPage();
/** What the outbox holds, read as any script of the page could. */
const outbox = (page: Page) => page.evaluate(() => new Promise<string>((resolve) => {
  const request = indexedDB.open('redress');
  const none = JSON.stringify({ records: [], blobs: [] });
  request.onerror = () => resolve(none);
  request.onsuccess = () => {
    let all: IDBRequest;
    try { all = request.result.transaction('outbox').objectStore('outbox').getAll(); } catch { return resolve(none); }
    all.onsuccess = async () => {
      const records = all.result as { files: { blob: Blob }[] }[];
      const blobs = await Promise.all(records.flatMap((r) => r.files.map((f) => f.blob.text())));
      resolve(JSON.stringify({ records, blobs }));
    };
  };
}));

describe('the outbox', () => {
  it('keeps an offline report as ciphertext and delivers it after a reload, and after the browser was closed', async () => {
    let context = await openPhone();
    let page = await firstPage(context);
    await page.goto(`${server.base}/?lang=en`);
    await page.locator('.progress').waitFor();
    // The service worker keeps the form, its scripts and libsodium for offline use.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect.poll(() => page.evaluate(async () => Boolean(await caches.match('/?lang=en'))), { timeout: 30_000 }).toBe(true);

    await context.setOffline(true);
    const narrative = `The biometric gate refused me twice. ${MARKER}`;
    const receipt = await sendReportFromPhone(page, server.base, { lang: 'en', category: 'biometric_lockout', country: 'GR', narrative, offline: true });
    expect(await page.locator('h1').textContent()).toBe('Your report is saved on this phone');
    await page.getByText('Saved on this phone, will be sent when you are online.').waitFor();
    const stored = await outbox(page);
    expect(JSON.parse(stored).records).toHaveLength(1);
    for (const secret of [MARKER, receipt, 'biometric_lockout', 'authToken']) expect(stored).not.toContain(secret);

    // Reloaded while offline: the page comes from the service worker, the report still waits.
    await page.reload();
    await page.getByText('A report saved on this phone has not been sent yet.').waitFor({ timeout: 30_000 });
    expect(caseCount()).toBe(0);
    await context.setOffline(false);
    await page.getByText('Your saved report was delivered.').waitFor({ timeout: 60_000 });
    expect(caseCount()).toBe(1);
    expect(JSON.parse(await outbox(page)).records).toEqual([]);

    // Another one offline; the browser is closed before it could go, and opened again online.
    await context.setOffline(true);
    await sendReportFromPhone(page, server.base, { lang: 'en', category: 'pushback', country: 'GR', narrative: 'Pushed back at night.', offline: true });
    await page.getByText('Saved on this phone, will be sent when you are online.').waitFor();
    await context.close();
    expect(caseCount()).toBe(1);
    context = await openPhone();
    page = await firstPage(context);
    await page.goto(`${server.base}/?lang=en`);
    await expect.poll(() => caseCount(), { timeout: 60_000 }).toBe(2);
    await expect.poll(async () => JSON.parse(await outbox(page)).records.length, { timeout: 30_000 }).toBe(0);
    await context.close();
  }, 240_000);
});
