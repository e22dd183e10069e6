// Shared by the browser benchmarks: CDP wire meter, in-page timing marks, the English walk through the form.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export interface WireEntry {
  url: string;
  type: string;
  /** Wall-clock ms (same clock as performance.timeOrigin + performance.now() in the page). */
  startWall: number;
  endWall?: number;
  /** Network.loadingFinished encodedDataLength: compressed body plus response headers. */
  bytes: number;
  /** Request body bytes (postData), if any. */
  postBytes: number;
  failed?: boolean;
}

export interface Meter {
  cdp: CDPSession;
  entries: Map<string, WireEntry>;
  /** Sum of response bytes (+ request bodies when withPosts) of the entries that pass the filter. */
  sum(filter?: (e: WireEntry) => boolean, withPosts?: boolean): number;
  /** Resolves once nothing has been in flight for quietMs (or after timeoutMs, whichever first). */
  idle(quietMs?: number, timeoutMs?: number): Promise<boolean>;
}

/** Attaches a CDP session to the page and records every request from now on (call before goto). */
export async function meterPage(context: BrowserContext, page: Page): Promise<Meter> {
  const cdp = await context.newCDPSession(page);
  const entries = new Map<string, WireEntry>();
  let offset = 0; // wall ms minus CDP monotonic ms, from the first request's (wallTime, timestamp)
  let lastActivity = Date.now();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (entries.size === 0) offset = e.wallTime * 1000 - e.timestamp * 1000;
    lastActivity = Date.now();
    const entry: WireEntry = { url: e.request.url, type: e.type ?? '', startWall: e.timestamp * 1000 + offset, bytes: 0, postBytes: 0 };
    const parts = e.request.postDataEntries;
    if (parts?.length) entry.postBytes = parts.reduce((n, p) => n + (p.bytes ? Buffer.from(p.bytes, 'base64').length : 0), 0);
    else if (e.request.postData) entry.postBytes = Buffer.byteLength(e.request.postData);
    else if (e.request.hasPostData) {
      void cdp.send('Network.getRequestPostData', { requestId: e.requestId })
        .then((r) => { entry.postBytes = Buffer.byteLength(r.postData); }).catch(() => undefined);
    }
    entries.set(e.requestId, entry);
  });
  cdp.on('Network.loadingFinished', (e) => {
    lastActivity = Date.now();
    const entry = entries.get(e.requestId);
    if (entry) { entry.bytes = e.encodedDataLength; entry.endWall = e.timestamp * 1000 + offset; }
  });
  cdp.on('Network.loadingFailed', (e) => {
    lastActivity = Date.now();
    const entry = entries.get(e.requestId);
    if (entry) { entry.failed = true; entry.endWall = e.timestamp * 1000 + offset; }
  });
  await cdp.send('Network.enable');
  const inFlight = () => [...entries.values()].some((e) => e.endWall === undefined);
  return {
    cdp,
    entries,
    sum: (filter = () => true, withPosts = false) =>
      [...entries.values()].filter(filter).reduce((n, e) => n + e.bytes + (withPosts ? e.postBytes : 0), 0),
    async idle(quietMs = 1000, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (!inFlight() && Date.now() - lastActivity >= quietMs) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    },
  };
}

export const isSodiumChunk = (e: WireEntry) => /\/assets\/libsodium[^/]*\.js$/.test(new URL(e.url).pathname);

/**
 * Records, in page time (ms since navigation start), when `.progress` and `.receipt-number` first
 * appear and when a primary button in `.nav` was last clicked. Read with readMarks().
 */
export const MARKS_SCRIPT = `(() => {
  const marks = (window.__benchMarks = {});
  const now = () => performance.now();
  const look = () => {
    if (marks.progress === undefined && document.querySelector('.progress')) marks.progress = now();
    if (marks.receipt === undefined && document.querySelector('.receipt-number')) marks.receipt = now();
  };
  new MutationObserver(look).observe(document, { childList: true, subtree: true });
  document.addEventListener('click', (e) => {
    if (e.target instanceof Element && e.target.closest('.nav button.primary')) marks.click = now();
  }, true);
})();`;

export interface Marks { progress?: number; receipt?: number; click?: number; timeOrigin: number; fcp?: number; dcl?: number }

export function readMarks(page: Page): Promise<Marks> {
  return page.evaluate(() => {
    const w = window as unknown as { __benchMarks: Omit<Marks, 'timeOrigin'> };
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return { ...w.__benchMarks, timeOrigin: performance.timeOrigin, fcp: fcp?.startTime, dcl: nav?.domContentLoadedEventEnd };
  });
}

/** Fills the stepped form in English and stops on the review screen (Send not yet clicked). */
export async function fillForm(page: Page, narrative: string): Promise<void> {
  const next = () => page.locator('button.primary').click();
  await page.locator('input[name=category][value=biometric_lockout]').check();
  await page.selectOption('#systemType', 'iris_scan');
  await next();
  await page.selectOption('#country', 'JO');
  await page.selectOption('#month', '03');
  await page.selectOption('#year', '2025');
  await next();
  await page.locator('input[name=role][value=self]').check();
  await next();
  await page.fill('#narrative', narrative);
  await page.fill('#place', 'Camp distribution point 4');
  await next();
  await page.locator('input[name=contactMethod][value=phone]').check();
  await page.fill('#contactValue', '+962 7 9000 0000');
  await next();
  await page.locator('input[name=consentReferral][value=yes]').check();
  await page.locator('input[name=consentShareData][value=no]').check();
  await next();
  await page.locator('.review').waitFor();
}

/** About `chars` characters of plain English narrative. */
export function narrativeOf(chars: number): string {
  const sentence = 'The iris scanner at the distribution point no longer recognised me, and my food card was stopped without warning. ';
  return sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars).trim();
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
