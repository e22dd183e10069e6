// Sends a report through the public form the way a person would, on an already open phone page,
// and returns the receipt shown at the end (for tests whose subject comes after the report).
import type { Page } from 'playwright-core';

export async function sendReportFromPhone(
  page: Page, base: string, report: { lang: string; category: string; country: string; narrative: string; consentReferral?: 'yes' | 'no' },
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
  return (await page.locator('.receipt-number').first().textContent({ timeout: 30_000 }))!.replace(/ /g, '');
}
