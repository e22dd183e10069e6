// Every language of the public form on a 320 px phone: the right lang and dir, axe-clean, a
// system font that has the script, the first step's error in view and focused; the language
// chooser with and without JavaScript; a report sent and its receipt confirmed in the five
// right-to-left languages and three others, typed in the language's own digits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LANGUAGES } from '../../protocol/taxonomy.ts';
import { localDigits } from '../../ui/i18n/index.ts';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { expectAccessible, launchBrowser, phonePage, type BrowserSession } from '../helpers/browser.ts';
import { sendReportFromPhone } from '../helpers/report-flow.ts';

const SMALL = { width: 320, height: 640 };
/** Which system font family must draw each script (Debian's fonts-noto-core, as on a stock Android phone). */
const SCRIPT_FONTS: Record<string, RegExp> = {
  ar: /Arabic|Naskh|Kufi/, fa: /Arabic|Naskh|Kufi/, ps: /Arabic|Naskh|Kufi/, ur: /Arabic|Naskh|Kufi|Nastaliq/, ckb: /Arabic|Naskh|Kufi/,
  ti: /Ethiopic/, am: /Ethiopic/, bn: /Bengali/, my: /Myanmar/,
};

let server: TestApp & { base: string };
let session: BrowserSession;
beforeAll(async () => {
  server = await startTestServer({ config: { submitRateLimit: 100, quickExitUrl: 'about:blank' } });
  session = await launchBrowser();
});
afterAll(async () => {
  await session?.close();
  await server?.close();
});

/** The fonts Chromium really used to draw an element's text (CDP), and whether any is a web font. */
async function fontsOf(page: Page, selector: string): Promise<{ familyName: string; isCustomFont: boolean }[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts;
}

const inView = (page: Page, selector: string) => page.locator(selector).evaluate((el) => {
  const box = el.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth;
});

describe('every language', () => {
  let phone: Awaited<ReturnType<typeof phonePage>>;
  beforeAll(async () => {
    phone = await phonePage(session.browser, server.base);
    await phone.page.setViewportSize(SMALL);
  });
  afterAll(async () => {
    expect(phone.foreign).toEqual([]);
    expect(phone.consoleErrors).toEqual([]);
    await phone.context.close();
  });

  it.each(LANGUAGES.map((l) => [l.code, l] as const))('%s: lang and dir, a system font with its script, axe-clean, errors in view', async (_code, language) => {
    const { page } = phone;
    await page.goto(`${server.base}/?lang=${language.code}`);
    await page.locator('.progress').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe(language.code);
    expect(await page.locator('html').getAttribute('dir')).toBe(language.dir);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(SMALL.width);

    const fonts = await fontsOf(page, 'p.tagline');
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.some((f) => f.isCustomFont), 'no web font').toBe(false);
    const wanted = SCRIPT_FONTS[language.code];
    if (wanted) expect(fonts.map((f) => f.familyName).join(', ')).toMatch(wanted);

    await expectAccessible(page, `${language.code}: step 1`);
    // Next with nothing chosen: the error names the question, is on screen, and focus is on it.
    await page.locator('button.primary').click();
    await page.locator('#category-error').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('category');
    expect(await inView(page, '#category-error'), 'error in view').toBe(true);
    expect(await inView(page, '#category'), 'focused input in view').toBe(true);
    const named = (await page.locator('#category-error .visually-hidden').textContent())!.replace(/:\s*$/, '');
    expect(named.length, 'the error names its question').toBeGreaterThan(3);
    expect(await page.locator('fieldset:has(#category) legend').textContent()).toContain(named);
  });
});

describe('the language chooser', () => {
  it('opens a searchable list of all languages and switches in place, keeping what was typed', async () => {
    const { page, context } = await phonePage(session.browser, server.base);
    await page.setViewportSize(SMALL);
    await page.goto(`${server.base}/?lang=en`);
    await page.locator('input[name=category][value=pushback]').check();
    await page.locator('.languages summary').click();
    expect(await page.locator('.languages li').count()).toBe(LANGUAGES.length);
    await expectAccessible(page, 'chooser open');
    await page.fill('.languages-search', 'kurd');
    expect(await page.locator('.languages li a').allTextContents()).toEqual(['کوردی (سۆرانی)', 'Kurmancî']);
    await page.fill('.languages-search', 'ትግ');
    expect(await page.locator('.languages li a').allTextContents()).toEqual(['ትግርኛ']);
    await page.fill('.languages-search', 'Kurmanci'); // without the circumflex
    await page.locator('.languages a[hreflang=kmr]').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('kmr');
    expect(await page.locator('input[name=category][value=pushback]').isChecked()).toBe(true);
    expect(await page.locator('.languages').getAttribute('open')).toBeNull();
    // Remembered for this browser session only: a session cookie, no lasting trace.
    const cookie = (await context.cookies()).find((c) => c.name === 'redress_lang');
    expect(cookie?.value).toBe('kmr');
    expect(cookie?.expires).toBe(-1);
    await context.close();
  });

  it('works without JavaScript as a plain list of links', async () => {
    const { page, context } = await phonePage(session.browser, server.base, { javaScriptEnabled: false });
    await page.setViewportSize(SMALL);
    await page.goto(`${server.base}/?lang=en`);
    await page.locator('.languages summary').click();
    await page.locator('.languages a[hreflang=so]').click();
    expect(await page.locator('html').getAttribute('lang')).toBe('so');
    await context.close();
  });
});

describe('quick exit', () => {
  it('leaves no Redress page behind the Back button', async () => {
    const { page, context } = await phonePage(session.browser, server.base);
    await page.goto(`${server.base}/?lang=ar`);
    await page.locator('.languages summary').click();
    await page.locator('.languages a[hreflang=fa]').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('fa');
    await page.locator('.quick-exit').click();
    await expect.poll(() => page.url()).toBe('about:blank');
    await page.goBack().catch(() => null);
    expect(page.url().startsWith(server.base)).toBe(false);
    await context.close();
  });
});

describe('a report in right-to-left languages and in languages with their own digits', () => {
  const languages = ['ar', 'fa', 'ps', 'ur', 'ckb', 'bn', 'my', 'am'];
  it.each(languages)('%s: sends, shows the receipt as one left-to-right unit, and confirms it in the own digits', async (lang) => {
    const { page, context } = await phonePage(session.browser, server.base);
    await page.setViewportSize(SMALL);
    const receipt = await sendReportFromPhone(page, server.base, { lang, category: 'asylum_blocked', country: 'TR', narrative: `report in ${lang}` });
    expect(receipt).toMatch(/^\d{20}$/);
    const native = localDigits(lang, receipt);
    if (native) {
      // The second line reads like the first: its groups left to right, in the same order.
      const order = await page.locator('.receipt-number.native bdo').evaluate((el) => {
        const text = el.firstChild!;
        const at = (i: number) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1); return r.getBoundingClientRect().left; };
        return { first: at(0), last: at((text.textContent ?? '').length - 1) };
      });
      expect(order.first).toBeLessThan(order.last);
      expect((await page.locator('.receipt-number.native').textContent())!.replace(/\s/g, '')).toBe(native);
    }
    await expectAccessible(page, `${lang}: receipt`);
    await page.fill('#last4', native ? native.slice(-4) : receipt.slice(-4));
    await page.locator('form.confirm button').click();
    await page.locator('.confirmed').waitFor();
    await context.close();
  });
});
