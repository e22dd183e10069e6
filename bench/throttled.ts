// Time to a usable form and from Send to receipt on an emulated slow phone (CDP throttling), median of 3.
import { pathToFileURL } from 'node:url';
import { LANGUAGE_CODES } from '../protocol/taxonomy.ts';
import { startTestServer } from '../test/helpers/app.ts';
import { launchBrowser, PHONE } from '../test/helpers/browser.ts';
import { receivedTitle } from '../test/helpers/report-flow.ts';
import { fillForm, isSodiumChunk, MARKS_SCRIPT, median, meterPage, narrativeOf, readMarks } from './browser.ts';

export const RUNS = 3;
export const USABLE_TARGET_MS = 3000;
export const SEND_TARGET_MS = 3000;
export const SEND_DESIGN_MS = 15_000;
export const CONDITIONS = { offline: false, latency: 300, downloadThroughput: (250 * 1024) / 8, uploadThroughput: (50 * 1024) / 8 };

/** sendToSaved: Send until the receipt shows (sealed, saved in the outbox); sendToReceipt: until delivered (the server's 201). */
export interface ThrottledRun { fcp: number; dcl: number; appReady: number; sodiumLoaded: number; sendToSaved: number; sendToReceipt: number }

export interface ThrottledResult { runs: ThrottledRun[]; median: ThrottledRun; byLanguage: (ThrottledRun & { lang: string })[] }

/**
 * English three times (the median), then every language once: the page weight differs by
 * language (scripts take 2–3 bytes a character), so each is measured on the same slow phone.
 */
export async function run(): Promise<ThrottledResult> {
  const server = await startTestServer({ config: { submitRateLimit: 1000, clientRateLimit: 100_000 } });
  const session = await launchBrowser();
  const runs: ThrottledRun[] = [];
  const byLanguage: (ThrottledRun & { lang: string })[] = [];
  const plan = [...Array.from({ length: RUNS }, () => 'en'), ...LANGUAGE_CODES];
  try {
    for (const [i, lang] of plan.entries()) {
      const context = await session.browser.newContext({ ...PHONE, serviceWorkers: 'block' });
      await context.addInitScript(MARKS_SCRIPT);
      const page = await context.newPage();
      const meter = await meterPage(context, page);
      await meter.cdp.send('Network.emulateNetworkConditions', CONDITIONS);
      await meter.cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto(`${server.base}/?lang=${lang}`, { timeout: 60_000 });
      await page.locator('form').first().waitFor({ timeout: 60_000 });
      await page.locator('.progress').waitFor({ timeout: 60_000 });
      // The first touch starts fetching libsodium; as a person still typing would, Send waits
      // until the chunk has arrived, so Send → receipt measures the sealing and the upload.
      await fillForm(page, narrativeOf(2000));
      const deadline = Date.now() + 120_000;
      while (!([...meter.entries.values()].find(isSodiumChunk)?.endWall) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const sodium = [...meter.entries.values()].find(isSodiumChunk);
      await page.locator('.nav button.primary').click();
      await page.locator('.receipt-number').first().waitFor({ timeout: 120_000 });
      // The receipt shows once the report is sealed and saved on the phone; the heading changes when it was delivered.
      await page.locator('h1').filter({ hasText: receivedTitle(lang) }).waitFor({ timeout: 120_000 });
      const deliveredAt = await page.evaluate(() => performance.now());
      const m = await readMarks(page);
      const measured = {
        fcp: m.fcp ?? NaN,
        dcl: m.dcl ?? NaN,
        appReady: m.progress ?? NaN,
        sodiumLoaded: sodium?.endWall ? sodium.endWall - m.timeOrigin : NaN,
        sendToSaved: (m.receipt ?? NaN) - (m.click ?? NaN),
        sendToReceipt: deliveredAt - (m.click ?? NaN),
      };
      if (i < RUNS) runs.push(measured);
      else byLanguage.push({ lang, ...measured });
      await context.close();
    }
  } finally {
    await session.close();
    await server.close();
  }
  const pick = (k: keyof ThrottledRun) => median(runs.map((r) => r[k]));
  const result = {
    runs, byLanguage,
    median: { fcp: pick('fcp'), dcl: pick('dcl'), appReady: pick('appReady'), sodiumLoaded: pick('sodiumLoaded'), sendToSaved: pick('sendToSaved'), sendToReceipt: pick('sendToReceipt') },
  };
  print(result);
  return result;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mark = (ms: number, target: number) => (ms > target ? ' **over budget**' : '');

function print({ runs, median: m, byLanguage }: ThrottledResult) {
  console.log('\n## Throttled phone (300 ms latency, 250 kbit/s down, 50 kbit/s up, CPU 4x slower)\n');
  console.log('| run | plain form usable (FCP, form in HTML) | DOMContentLoaded | app ready (`.progress`) | libsodium chunk loaded | Send → saved on the phone (receipt shown) | Send → receipt (delivered) |');
  console.log('|---|---|---|---|---|---|---|');
  const row = (name: string, r: ThrottledRun, marks: boolean) => console.log(
    `| ${name} | ${s(r.fcp)}${marks ? mark(r.fcp, USABLE_TARGET_MS) : ''} | ${s(r.dcl)} | ` +
    `${s(r.appReady)}${marks ? mark(r.appReady, USABLE_TARGET_MS) : ''} | ${s(r.sodiumLoaded)} | ${s(r.sendToSaved)} | ` +
    `${s(r.sendToReceipt)}${marks ? mark(r.sendToReceipt, SEND_TARGET_MS) : ''} |`);
  runs.forEach((r, i) => row(String(i + 1), r, false));
  row('**median**', m, true);
  byLanguage.forEach((r) => row(r.lang, r, true));
  console.log(`\nTargets: usable ≤ ${s(USABLE_TARGET_MS)}; Send → receipt ≤ ${s(SEND_TARGET_MS)} (issue), ≤ ${s(SEND_DESIGN_MS)} (DESIGN.md).`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
