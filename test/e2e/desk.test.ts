// The desk end to end in headless Chromium: setup in the browser → invite a caseworker → a report
// from a phone → the caseworker signs in with TOTP, is granted the team key, opens the case and
// reads what the reporter typed → changes its status → the audit log shows it all. Along the way,
// no request carries a password, a private key or the report's plaintext.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { stepOf, totpAt } from '../../server/services/totp.ts';
import { issueSetupToken } from '../../server/services/setup-token.ts';
import { recoveryKeyPairFromKit } from '../../protocol/keys.ts';
import { toBase64Url } from '../../protocol/encoding.ts';
import { AD_LABEL, openEnvelope } from '../../protocol/envelope.ts';
import { caseBinding } from '../../server/services/cases.ts';
import { cases } from '../../db/schema.ts';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { expectAccessible, launchBrowser, phonePage, type BrowserSession, type RecordedRequest } from '../helpers/browser.ts';
import { MARKER } from '../fixtures/report.ts';
import { sendReportFromPhone } from '../helpers/report-flow.ts';

let server: TestApp & { base: string };
let session: BrowserSession;
beforeAll(async () => {
  server = await startTestServer({ setup: false, config: { submitRateLimit: 100 } });
  session = await launchBrowser();
});
afterAll(async () => {
  await session?.close();
  await server?.close();
});

const ADMIN = { email: 'admin@border-watch.example', password: 'admin passphrase for the desk' };
const WORKER = { email: 'worker@border-watch.example', password: 'caseworker passphrase 2026' };

async function deskPage(): Promise<{ page: Page; requests: RecordedRequest[]; consoleErrors: string[] }> {
  const { page, requests, consoleErrors, context } = await phonePage(session.browser, server.base);
  await page.setViewportSize({ width: 1200, height: 900 });
  void context;
  return { page, requests, consoleErrors };
}

/** First sign-in: password, then TOTP enrolment with the secret the page shows. */
async function firstSignIn(page: Page, who: { email: string; password: string }) {
  await page.goto(`${server.base}/desk`);
  await page.fill('#signin-email', who.email);
  await page.fill('#signin-password', who.password);
  await page.locator('form.card button.primary').click();
  const secret = (await page.locator('[data-testid=totp-secret]').textContent({ timeout: 20_000 }))!;
  expect(await page.locator('.qr svg').count()).toBe(1);
  await page.fill('#signin-code', totpAt(secret, stepOf(Date.now())));
  await page.locator('form.card button.primary').click();
  await page.locator('.desk-nav').waitFor({ timeout: 20_000 });
}

describe('the desk', () => {
  it('goes from setup to a caseworker reading a report, all of it audited', async () => {
    const admin = await deskPage();

    // 1. Setup in the browser with the one-time link.
    await admin.page.goto(`${server.base}/desk/setup#token=${issueSetupToken(server.app.state)}`);
    await expectAccessible(admin.page, 'desk setup');
    await admin.page.fill('#setup-org', 'Border Watch');
    await admin.page.fill('#setup-email', ADMIN.email);
    await admin.page.fill('#setup-password', ADMIN.password);
    await admin.page.fill('#setup-repeat', ADMIN.password);
    await admin.page.locator('form.card button.primary').click();
    const kit = (await admin.page.locator('[data-testid=recovery-kit]').textContent({ timeout: 30_000 }))!;
    const recovery = (await recoveryKeyPairFromKit(kit))!;
    expect(recovery).not.toBeNull();
    expect((await server.app.inject('/healthz')).json().open).toBe(true);

    // 2. The admin signs in, enrolling TOTP, and invites a caseworker to the default team.
    await firstSignIn(admin.page, ADMIN);
    await admin.page.locator('.desk-nav').getByRole('button', { name: 'Accounts' }).click();
    await admin.page.fill('#invite-email', WORKER.email);
    await admin.page.locator('.accounts form.card').first().locator('input[type=checkbox]').first().check();
    await admin.page.getByRole('button', { name: 'Create the invitation' }).click();
    const link = (await admin.page.locator('[data-testid=invite-link]').textContent())!;
    expect(link).toContain('/desk/invite#token=');
    // The form starts empty again: no team stays ticked for the next invitation.
    expect(await admin.page.locator('.accounts form.card').first().locator('input[type=checkbox]:checked').count()).toBe(0);
    expect(await admin.page.inputValue('#invite-email')).toBe('');
    await expectAccessible(admin.page, 'desk accounts');
    await admin.page.locator('.desk-nav').getByRole('button', { name: 'Administration' }).click();
    await expectAccessible(admin.page, 'desk administration');

    // 3. The caseworker accepts the invitation in another browser.
    const worker = await deskPage();
    await worker.page.goto(link);
    await worker.page.fill('#invite-password', WORKER.password);
    await worker.page.fill('#invite-repeat', WORKER.password);
    await worker.page.getByRole('button', { name: 'Create my account' }).click();
    await worker.page.getByText('Your account is ready').waitFor({ timeout: 30_000 });

    // 4. A report from a phone, through the public form.
    const phone = await phonePage(session.browser, server.base, { locale: 'fr' });
    await sendReportFromPhone(phone.page, server.base, { lang: 'en', category: 'denial_of_entry', country: 'HR', narrative: `Refused at the border after a face scan. ${MARKER}` });

    // 5. The caseworker signs in with TOTP; the case is there but locked until access is granted.
    await firstSignIn(worker.page, WORKER);
    // Not granted yet: the queue says so rather than look empty.
    await worker.page.getByText('Waiting for access').waitFor();
    await worker.page.locator('table.queue tbody tr').first().locator('button').click();
    await worker.page.getByText("You do not have this team's key yet", { exact: false }).waitFor();

    // 6. The admin grants access: the team key is sealed to the caseworker in the admin's browser.
    await admin.page.locator('.desk-nav').getByRole('button', { name: 'Cases' }).click();
    await admin.page.locator('.desk-nav').getByRole('button', { name: 'Administration' }).click();
    await admin.page.getByRole('button', { name: `Grant access to ${WORKER.email}` }).click();
    await admin.page.getByRole('button', { name: `Grant access to ${WORKER.email}` }).waitFor({ state: 'detached' });

    // 7. The caseworker opens the case and reads the report; then triages it.
    await worker.page.locator('.desk-nav').getByRole('button', { name: 'Cases' }).click();
    await worker.page.locator('table.queue tbody tr').first().locator('button').click();
    await worker.page.locator('.narrative').waitFor({ timeout: 20_000 });
    expect(await worker.page.locator('.narrative').textContent()).toContain(MARKER);
    await expectAccessible(worker.page, 'desk case view');
    await worker.page.getByRole('button', { name: 'Mark as Triaged' }).click();
    await worker.page.locator('.case .meta').getByText('Triaged').waitFor();
    await worker.page.fill('#note', 'Called the reporter back; awaiting documents.');
    await worker.page.getByRole('button', { name: 'Save the note' }).click();
    await worker.page.locator('.notes li').getByText('awaiting documents').waitFor();

    // 8. The audit log shows it all, in the admin's desk.
    await admin.page.reload();
    await admin.page.fill('#signin-password', ADMIN.password);
    await admin.page.locator('form.card button.primary').click();
    await admin.page.locator('.desk-nav').getByRole('button', { name: 'Audit log' }).click();
    await admin.page.locator('table.audit tbody tr').first().waitFor({ timeout: 20_000 });
    const auditText = (await admin.page.locator('table.audit').textContent())!;
    // Readable actions and names, not codes and ids.
    for (const action of ['Set up the organisation', 'Set up the second factor', 'Created an invitation', 'Accepted an invitation',
      'Gave a member the team key', 'Opened a case', "Changed a case's status", 'Added a note']) {
      expect(auditText, action).toContain(action);
    }
    expect(auditText).toContain(WORKER.email);
    expect(auditText).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}/); // no raw ids
    await expectAccessible(admin.page, 'desk audit log');
    expect((await server.app.inject({ url: '/healthz' })).statusCode).toBe(200);

    // What the server received: no password, no private key, no plaintext (PROTOCOL.md §8).
    for (const r of [...admin.requests, ...worker.requests, ...phone.requests]) {
      for (const secret of [ADMIN.password, WORKER.password, MARKER, 'awaiting documents', toBase64Url(recovery.privateKey)]) {
        expect(r.body.includes(secret), `${r.method} ${r.url} carries a secret`).toBe(false);
      }
      const path = new URL(r.url).pathname;
      if (path === '/api/auth/login') expect(Object.keys(JSON.parse(r.body)).sort()).toEqual(expect.arrayContaining(['authKey', 'email']));
      if (path === '/api/setup') expect(r.body).not.toContain('redress-recovery-v1');
    }
    // And the report still opens with the kit shown at setup.
    const row = server.db.select().from(cases).get()!;
    expect(row.status).toBe('triaged');
    const content = await openEnvelope<{ narrative: string }>(AD_LABEL.report, caseBinding(row), row.envelope, recovery);
    expect(content?.narrative).toContain(MARKER);
    expect(admin.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
