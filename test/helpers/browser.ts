// Headless Chromium (Debian's) driven by playwright-core, against the real built app listening
// on a loopback port. Phone-sized by default; every request body is kept for inspection.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'vitest';
import { stepOf, totpAt } from '../../server/services/totp.ts';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** The desk is used on a laptop: a desktop viewport (a phone's emulated zoom misplaces clicks on long desk pages). */
export const LAPTOP = { viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false };

export interface BrowserSession {
  browser: Browser;
  close(): Promise<void>;
}

/** `extraArgs`: e.g. a fake microphone for voice notes (--use-fake-device-for-media-stream). */
export async function launchBrowser(extraArgs: string[] = []): Promise<BrowserSession> {
  // playwright gives every launch a fresh, empty profile of its own (and removes it on close).
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
  return { browser, close: () => browser.close() };
}

export interface RecordedRequest { method: string; url: string; body: string }

/** A phone-sized page that records every request it sends and fails on any third-party request. */
export async function phonePage(browser: Browser, base: string, options: { javaScriptEnabled?: boolean; locale?: string; laptop?: boolean } = {}) {
  const { laptop, ...contextOptions } = options;
  const context: BrowserContext = await browser.newContext({ ...(laptop ? LAPTOP : PHONE), ...contextOptions });
  const page: Page = await context.newPage();
  const requests: RecordedRequest[] = [];
  const foreign: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(base) && !req.url().startsWith('data:')) foreign.push(req.url());
    requests.push({ method: req.method(), url: req.url(), body: req.postData() ?? '' });
  });
  const consoleErrors: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  page.on('pageerror', (err) => consoleErrors.push(err.message));
  return { context, page, requests, foreign, consoleErrors };
}

/** axe-core on the current page state: no violations at all (WCAG 2.1 AA rules and best practices). */
export async function expectAccessible(page: Page, where: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const summary = result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  expect(summary, `axe violations on ${where}`).toEqual([]);
}

/**
 * axe-core needs JavaScript, which a no-JavaScript page does not run: check that page's HTML in
 * a second, script-enabled page whose own scripts are blocked, on the same origin.
 */
export async function expectAccessibleHtml(browser: Browser, base: string, html: string, where: string) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.route('**/assets/*.js', (route) => route.abort());
  await page.goto(`${base}/healthz`);
  await page.setContent(html, { waitUntil: 'load' });
  await expectAccessible(page, where);
  await context.close();
}

/** Opens the desk and signs in as a staff member would: email, password, the current TOTP code. */
export async function signInAtDesk(page: Page, base: string, user: { email: string; password: string; totpSecret?: string | null }) {
  await page.goto(`${base}/desk`);
  await page.fill('#signin-email', user.email);
  await page.fill('#signin-password', user.password);
  await page.fill('#signin-code', totpAt(user.totpSecret!, stepOf(Date.now())));
  await page.locator('form.card button.primary').click();
}
