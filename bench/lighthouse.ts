// Lighthouse 12 (mobile: its default phone, simulated slow 4G and CPU) with Debian's Chromium, on
// loopback only: the public form and the follow-up page (navigations: all four categories), and
// the receipt, which is not a page load: the app's receipt screen after Send (a timespan from the
// click, then a snapshot) and the no-JavaScript receipt page (a snapshot; Lighthouse cannot run
// with JavaScript off, so it is switched back on after the page arrived). Not a test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { startFlow, type FlowResult } from 'lighthouse';
import puppeteer, { type Page } from 'puppeteer-core';
import { startTestServer } from '../test/helpers/app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export const TARGETS = { performance: 0.95, accessibility: 1, 'best-practices': 0.95, seo: 0.95 } as const;

export interface PageScores {
  page: string;
  mode: string;
  scores: Partial<Record<(typeof CATEGORIES)[number], number>>;
  /** Audits below 1 in a category that has a target, for the record. */
  misses: string[];
}

function scoresOf(step: FlowResult.Step, page: string): PageScores {
  const lhr = step.lhr;
  const scores: PageScores['scores'] = {};
  const misses: string[] = [];
  for (const id of CATEGORIES) {
    const category = lhr.categories[id];
    // A snapshot measures no load: its performance "score" covers a couple of static checks only.
    if (!category || category.score === null || (id === 'performance' && lhr.gatherMode === 'snapshot')) continue;
    scores[id] = category.score;
    for (const ref of category.auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) misses.push(`${id}: ${ref.id} (${audit.score})`);
    }
  }
  return { page, mode: lhr.gatherMode, scores, misses };
}

/** The English report of the e2e tests, through the stepped form, up to the receipt. */
async function sendReport(page: Page) {
  await page.waitForSelector('.progress');
  const next = () => page.click('button.primary');
  await page.click('input[name=category][value=biometric_lockout]');
  await next();
  await page.select('#country', 'JO');
  await next();
  await page.click('input[name=role][value=self]');
  await next();
  await page.type('#narrative', 'The iris scanner no longer recognised me and the food card stopped.');
  await next();
  await page.click('input[name=contactMethod][value=none]');
  await next();
  await page.click('input[name=consentReferral][value=no]');
  await page.click('input[name=consentShareData][value=no]');
  await next();
  await page.click('.nav button.primary');
  await page.waitForSelector('.receipt-number', { timeout: 60_000 });
}

/** The plain form, as a browser without JavaScript submits it. */
async function submitPlainForm(page: Page) {
  await page.click('input[name=category][value=biometric_lockout]');
  await page.select('select[name=country]', 'JO');
  await page.click('input[name=role][value=self]');
  await page.type('textarea[name=narrative]', 'The iris scanner no longer recognised me and the food card stopped.');
  await page.click('input[name=contactMethod][value=none]');
  await page.click('input[name=consentReferral][value=no]');
  await page.click('input[name=consentShareData][value=no]');
  await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
}

export async function run(): Promise<PageScores[]> {
  const server = await startTestServer({ config: { logLevel: 'warn', submitRateLimit: 1000, clientRateLimit: 100_000 } });
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    const results: PageScores[] = [];
    const flowPage = async (label: string, steps: (page: Page, flow: Awaited<ReturnType<typeof startFlow>>) => Promise<void>) => {
      const page = await browser.newPage();
      const flow = await startFlow(page, { flags: { onlyCategories: [...CATEGORIES] } });
      await steps(page, flow);
      const result = await flow.createFlowResult();
      // The whole result, for a closer look (bench/results/ is not committed).
      mkdirSync('bench/results', { recursive: true });
      writeFileSync(`bench/results/lighthouse-${label.replace(/\W+/g, '-')}.json`, JSON.stringify(result));
      for (const step of result.steps) results.push(scoresOf(step, `${label}: ${step.name}`));
      await page.close();
    };
    await flowPage('public form', async (_page, flow) => {
      await flow.navigate(`${server.base}/?lang=en`, { name: '/?lang=en' });
    });
    await flowPage('follow-up', async (_page, flow) => {
      await flow.navigate(`${server.base}/follow-up?lang=en`, { name: '/follow-up?lang=en' });
    });
    await flowPage('receipt', async (page, flow) => {
      await page.goto(`${server.base}/?lang=en`);
      await flow.startTimespan({ name: 'filling the form, Send, receipt (JavaScript)' });
      await sendReport(page);
      await flow.endTimespan();
      await flow.snapshot({ name: 'receipt screen (JavaScript)' });
    });
    await flowPage('receipt without JavaScript', async (page, flow) => {
      await page.setJavaScriptEnabled(false);
      await page.goto(`${server.base}/?lang=en`);
      await submitPlainForm(page);
      await page.setJavaScriptEnabled(true);
      await flow.snapshot({ name: 'receipt page (no JavaScript)' });
    });
    return results;
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await run();
  console.log('| page | mode | performance | accessibility | best practices | SEO |');
  console.log('|---|---|---|---|---|---|');
  const cell = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(2));
  for (const r of results) {
    console.log(`| ${r.page} | ${r.mode} | ${cell(r.scores.performance)} | ${cell(r.scores.accessibility)} | ${cell(r.scores['best-practices'])} | ${cell(r.scores.seo)} |`);
  }
  for (const r of results) if (r.misses.length) console.log(`\n${r.page}:\n  ${r.misses.join('\n  ')}`);
}
