// Sends a report through the public form the way a person would, on an already open phone page,
// and returns the receipt shown at the end (for tests whose subject comes after the report).
// The receipt appears as soon as the report is sealed and saved on the phone (PROTOCOL.md §25);
// unless `offline` is set, this waits until the outbox has delivered it, so that closing the page
// right after cannot lose the report the test is about.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** The receipt page's heading once the outbox has delivered the report, in `lang`. */
export function receivedTitle(lang: string): string {
  const texts = JSON.parse(readFileSync(new URL(`../../locales/${lang}/report.json`, import.meta.url), 'utf8')) as { receipt: { title: string } };
  return texts.receipt.title;
}

export async function sendReportFromPhone(
  page: Page, base: string, report: { lang: string; category: string; country: string; narrative: string; consentReferral?: 'yes' | 'no'; offline?: boolean },
): Promise<string> {
  await page.goto(`${base}/?lang=${report.lang}`);
  await page.locator('.progress').waitFor();
  await page.locator(`input[name=category][value=${report.category}]`).check();
  await page.locator('button.primary').click();
  await page.selectOption('#country', report.country);
  await page.locator('button.primary').click();
  await page.locator('input[name=role][value=self]').check();
  await page.locator('button.primary').click();
  await page.fill('#narrative', report.narrative);
  await page.locator('button.primary').click();
  await page.locator('input[name=contactMethod][value=none]').check();
  await page.locator('button.primary').click();
  await page.locator(`input[name=consentReferral][value=${report.consentReferral ?? 'no'}]`).check();
  await page.locator('input[name=consentShareData][value=no]').check();
  await page.locator('button.primary').click();
  await page.locator('.nav button.primary').click();
  const receipt = (await page.locator('.receipt-number').first().textContent({ timeout: 30_000 }))!.replace(/ /g, '');
  // While it waits in the outbox the heading says it is saved on the phone; delivered, it says received.
  if (!report.offline) await page.locator('h1').filter({ hasText: receivedTitle(report.lang) }).waitFor({ timeout: 60_000 });
  return receipt;
}
