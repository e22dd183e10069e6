// Compressed bytes on the wire to open the form in every language, and for one full English submission.
import { LANGUAGE_CODES } from '../protocol/taxonomy.ts';
import { pathToFileURL } from 'node:url';
import { startTestServer } from '../test/helpers/app.ts';
import { launchBrowser, PHONE } from '../test/helpers/browser.ts';
import { fillForm, isSodiumChunk, kb, MARKS_SCRIPT, meterPage, narrativeOf, readMarks } from './browser.ts';

/** Every language of the form (protocol/taxonomy.ts). */
export const LANGUAGES = LANGUAGE_CODES;
export const USABLE_BUDGET = 30 * 1024;
export const SUBMISSION_BUDGET = 250 * 1024;

export interface PayloadRow { lang: string; plain: number; appReady: number; sodiumBeforeApp: boolean; afterPrefetch: number }
export interface FollowUpRow { lang: string; ready: number; afterIdle: number }
export interface PayloadResult { rows: PayloadRow[]; followUp: FollowUpRow[]; submission: number; submissionParts: Record<string, number> }

const over = (bytes: number, budget: number) => (bytes > budget ? ' **over budget**' : '');

export async function run(): Promise<PayloadResult> {
  const server = await startTestServer({ config: { submitRateLimit: 100, clientRateLimit: 100_000 } });
  const session = await launchBrowser();
  try {
    const rows: PayloadRow[] = [];
    for (const lang of LANGUAGES) {
      // Service workers blocked: the page fetches what it needs itself, where this session sees it.
      const context = await session.browser.newContext({ ...PHONE, serviceWorkers: 'block' });
      await context.addInitScript(MARKS_SCRIPT);
      const page = await context.newPage();
      const meter = await meterPage(context, page);
      await page.goto(`${server.base}/?lang=${lang}`);
      await page.locator('.progress').waitFor({ timeout: 30_000 });
      await meter.idle(1500, 30_000);
      // The person's first touch: the page now readies libsodium for Send (when next idle).
      await page.locator('input[name=category]').first().focus();
      await page.keyboard.press('Space');
      for (let i = 0; i < 300 && !([...meter.entries.values()].find(isSodiumChunk)?.endWall); i++) await page.waitForTimeout(100);
      await meter.idle(1500, 30_000);
      const marks = await readMarks(page);
      const appAt = marks.timeOrigin + (marks.progress ?? Infinity);
      const sodium = [...meter.entries.values()].find(isSodiumChunk);
      rows.push({
        lang,
        // The server-rendered form needs only the HTML and its stylesheet to be usable.
        plain: meter.sum((e) => e.type === 'Document' || e.type === 'Stylesheet'),
        appReady: meter.sum((e) => e.endWall !== undefined && e.endWall <= appAt),
        sodiumBeforeApp: Boolean(sodium?.endWall && sodium.endWall <= appAt),
        afterPrefetch: meter.sum(),
      });
      await context.close();
    }

    // The follow-up page: usable once the app shows the receipt field (it needs JavaScript).
    const followUp: FollowUpRow[] = [];
    for (const lang of LANGUAGES) {
      const context = await session.browser.newContext({ ...PHONE, serviceWorkers: 'block' });
      const page = await context.newPage();
      const meter = await meterPage(context, page);
      await page.goto(`${server.base}/follow-up?lang=${lang}`);
      await page.locator('#receipt').waitFor({ timeout: 30_000 });
      const ready = meter.sum();
      // The first digit typed readies libsodium for opening the case.
      await page.locator('#receipt').press('1');
      for (let i = 0; i < 300 && !([...meter.entries.values()].find(isSodiumChunk)?.endWall); i++) await page.waitForTimeout(100);
      await meter.idle(1500, 30_000);
      followUp.push({ lang, ready, afterIdle: meter.sum() });
      await context.close();
    }

    // A full submission in English: page, app, crypto, the POST and its answer (service workers
    // blocked: with one, libsodium would come from its cache and count as 0 bytes here).
    const context = await session.browser.newContext({ ...PHONE, serviceWorkers: 'block' });
    const page = await context.newPage();
    const meter = await meterPage(context, page);
    await page.goto(`${server.base}/?lang=en`);
    await page.locator('.progress').waitFor({ timeout: 30_000 });
    await fillForm(page, narrativeOf(2000));
    await page.locator('.nav button.primary').click();
    await page.locator('.receipt-number').first().waitFor({ timeout: 60_000 });
    await meter.idle(1500, 30_000);
    const parts: Record<string, number> = {};
    for (const e of meter.entries.values()) {
      const name = new URL(e.url).pathname.replace(/-[\w-]{8}\.(js|css)$/, '.$1');
      parts[name] = (parts[name] ?? 0) + e.bytes + e.postBytes;
    }
    await context.close();
    const result = { rows, followUp, submission: meter.sum(undefined, true), submissionParts: parts };
    print(result);
    return result;
  } finally {
    await session.close();
    await server.close();
  }
}

function print({ rows, followUp, submission, submissionParts }: PayloadResult) {
  console.log('\n## Payload (compressed bytes on the wire, fresh cache, phone viewport)\n');
  console.log('| lang | plain form usable (HTML+CSS) | app ready (`.progress`) | libsodium in "app ready"? | after the first touch (crypto fetched) |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.lang} | ${kb(r.plain)}${over(r.plain, USABLE_BUDGET)} | ${kb(r.appReady)}${over(r.appReady, USABLE_BUDGET)} | ` +
      `${r.sodiumBeforeApp ? 'yes (finished first)' : 'no (still loading)'} | ${kb(r.afterPrefetch)} |`);
  }
  console.log(`\nBudget for "usable": ${kb(USABLE_BUDGET)}.`);
  console.log('\n### Follow-up page (/follow-up)\n');
  console.log('| lang | usable (receipt field shown) | after the first digit (crypto fetched) |');
  console.log('|---|---|---|');
  for (const r of followUp) console.log(`| ${r.lang} | ${kb(r.ready)}${over(r.ready, USABLE_BUDGET)} | ${kb(r.afterIdle)}${over(r.afterIdle, SUBMISSION_BUDGET)} |`);
  console.log(`\nFull submission in English (all responses + request bodies): ${kb(submission)}` +
    `${over(submission, SUBMISSION_BUDGET)} (budget ${kb(SUBMISSION_BUDGET)})`);
  for (const [name, bytes] of Object.entries(submissionParts)) console.log(`  - ${name}: ${kb(bytes)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
