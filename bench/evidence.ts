// Evidence on a slow phone: time and bytes to deliver a 3 MB photo (sensor noise, GPS EXIF) on
// emulated 2G with the default downscale, CPU 4× slower; and what a repeat visit to the form costs
// once the service worker holds it. Results go to docs/BENCHMARKS.md.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CDPSession } from 'playwright-core';
import { uploads } from '../db/schema.ts';
import { startTestServer } from '../test/helpers/app.ts';
import { launchBrowser, PHONE } from '../test/helpers/browser.ts';
import { makePhoto } from '../test/fixtures/photo.ts';
import { kb, meterPage } from './browser.ts';
import { CONDITIONS } from './throttled.ts';

export interface EvidenceResult {
  photoBytes: number; cleanedText: string; encryptedBytes: number; cleanMs: number; sendToReceiptMs: number;
  patches: number; wireUp: number; wireDown: number; repeatNetworkBytes: number; repeatRequests: string[]; repeatFromWorker: number;
}

/** Requests answered by the service worker (not the network), by request id. */
function fromWorker(cdp: CDPSession): Set<string> {
  const ids = new Set<string>();
  cdp.on('Network.responseReceived', (e) => { if (e.response.fromServiceWorker) ids.add(e.requestId); });
  return ids;
}

export async function run(): Promise<EvidenceResult> {
  const server = await startTestServer({ config: { submitRateLimit: 100, clientRateLimit: 100_000 } });
  const session = await launchBrowser();
  try {
    const photo = await makePhoto(session.browser, true);
    const path = join(mkdtempSync(join(tmpdir(), 'redress-bench-')), 'IMG_20250314_101530.jpg');
    writeFileSync(path, photo);

    // 1. A report with the photo, sent on 2G with a slow CPU.
    const context = await session.browser.newContext(PHONE);
    const page = await context.newPage();
    const meter = await meterPage(context, page);
    await meter.cdp.send('Network.emulateNetworkConditions', CONDITIONS);
    await meter.cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(`${server.base}/?lang=en`, { timeout: 120_000 });
    await page.locator('.progress').waitFor({ timeout: 120_000 });
    await page.locator('input[name=category][value=biometric_lockout]').check();
    await page.locator('button.primary').click();
    await page.selectOption('#country', 'JO');
    await page.locator('button.primary').click();
    await page.locator('input[name=role][value=self]').check();
    await page.locator('button.primary').click();
    await page.fill('#narrative', 'The scanner refused me. The refusal letter is attached.');
    await page.locator('#attach-file').waitFor({ state: 'attached', timeout: 120_000 });
    const picked = Date.now();
    await page.setInputFiles('#attach-file', path);
    await page.locator('.files li').first().waitFor({ timeout: 120_000 });
    const cleanMs = Date.now() - picked;
    const cleanedText = (await page.locator('.files li .file-size').first().textContent()) ?? '';
    await page.locator('button.primary').click();
    await page.locator('input[name=contactMethod][value=none]').check();
    await page.locator('button.primary').click();
    await page.locator('input[name=consentReferral][value=no]').check();
    await page.locator('input[name=consentShareData][value=no]').check();
    await page.locator('button.primary').click();
    const before = new Set(meter.entries.keys());
    const sent = Date.now();
    await page.locator('.nav button.primary').click();
    await page.getByRole('heading', { name: 'Your report was received' }).waitFor({ timeout: 600_000 });
    const sendToReceiptMs = Date.now() - sent;
    const delivery = [...meter.entries.entries()].filter(([id]) => !before.has(id)).map(([, e]) => e);
    const encryptedBytes = server.db.select().from(uploads).all().reduce((n, u) => n + u.length, 0);
    await context.close();

    // 2. A repeat visit: the form again, in a context whose service worker already holds it.
    const returning = await session.browser.newContext(PHONE);
    const first = await returning.newPage();
    await first.goto(`${server.base}/?lang=en`);
    await first.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    for (let i = 0; i < 100 && !(await first.evaluate(async () => Boolean(await caches.match('/?lang=en')))); i++) await first.waitForTimeout(100);
    await first.close();
    const again = await returning.newPage();
    const repeat = await meterPage(returning, again);
    const served = fromWorker(repeat.cdp);
    await again.goto(`${server.base}/?lang=en`);
    await again.locator('.progress').waitFor();
    await repeat.idle(1500, 30_000);
    const network = [...repeat.entries.entries()].filter(([id]) => !served.has(id)).map(([, e]) => e);
    await returning.close();

    const result: EvidenceResult = {
      photoBytes: photo.length, cleanedText, encryptedBytes, cleanMs, sendToReceiptMs,
      patches: delivery.filter((e) => /\/api\/uploads\//.test(e.url)).length,
      wireUp: encryptedBytes + delivery.filter((e) => !/\/api\/uploads\//.test(e.url)).reduce((n, e) => n + e.postBytes, 0),
      wireDown: delivery.reduce((n, e) => n + e.bytes, 0),
      repeatNetworkBytes: network.reduce((n, e) => n + e.bytes, 0),
      repeatRequests: network.map((e) => new URL(e.url).pathname),
      repeatFromWorker: served.size,
    };
    print(result);
    return result;
  } finally {
    await session.close();
    await server.close();
  }
}

function print(r: EvidenceResult) {
  console.log('\n## Evidence on a throttled phone (2G: 300 ms, 250 kbit/s down, 50 kbit/s up; CPU 4× slower)\n');
  console.log('| measure | result |');
  console.log('|---|---|');
  console.log(`| photo chosen (4032 × 3024, GPS EXIF) | ${kb(r.photoBytes)} |`);
  console.log(`| after cleaning and shrinking on the phone (shown to the person) | ${r.cleanedText} |`);
  console.log(`| cleaning + encrypting on the phone | ${(r.cleanMs / 1000).toFixed(2)} s |`);
  console.log(`| encrypted file uploaded | ${kb(r.encryptedBytes)} in ${r.patches} tus requests |`);
  console.log(`| bytes up during delivery (files + sealed report) | ${kb(r.wireUp)} |`);
  console.log(`| bytes down during delivery (answers, headers included) | ${kb(r.wireDown)} |`);
  console.log(`| Send → receipt | ${(r.sendToReceiptMs / 1000).toFixed(1)} s |`);
  console.log(`| repeat visit with the service worker: bytes over the network | ${kb(r.repeatNetworkBytes)} (${r.repeatRequests.join(', ') || 'no request'}); ${r.repeatFromWorker} answered by the worker |`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
