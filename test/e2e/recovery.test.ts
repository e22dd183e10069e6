// Recovery with the kit, end to end (PROTOCOL.md §33): a report arrives; every admin password is
// forgotten; the operator runs `npm run cli -- recover` against the running instance's data
// folder; the new admin signs in, enrols a second factor, and reads the old case in the browser.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepOf, totpAt } from '../../server/services/totp.ts';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { expectAccessible, launchBrowser, phonePage, type BrowserSession } from '../helpers/browser.ts';
import { sendReportFromPhone } from '../helpers/report-flow.ts';
import { MARKER } from '../fixtures/report.ts';

const run = promisify(execFile);
let server: TestApp & { base: string };
let session: BrowserSession;
const operator = mkdtempSync(join(tmpdir(), 'redress-operator-'));
beforeAll(async () => {
  server = await startTestServer({ config: { submitRateLimit: 100 } });
  session = await launchBrowser();
});
afterAll(async () => {
  await session?.close();
  await server?.close();
  rmSync(operator, { recursive: true, force: true });
});

describe('recovery with the kit', () => {
  it('gives a new admin every team key, so an old case opens in the browser', async () => {
    const phone = await phonePage(session.browser, server.base);
    await sendReportFromPhone(phone.page, server.base, { lang: 'en', category: 'biometric_lockout', country: 'JO', narrative: `The scanner failed me. ${MARKER}` });
    await phone.context.close();

    // Nobody remembers the admin password set up in test/helpers/app.ts: the kit is all there is.
    const kit = join(operator, 'kit.txt');
    const pw = join(operator, 'pw.txt');
    writeFileSync(kit, server.kit!, { mode: 0o600 });
    writeFileSync(pw, 'the new admin passphrase 2026\n', { mode: 0o600 });
    const done = await run('node', ['--import', 'tsx', 'server/cli.ts', 'recover', '--recovery-kit', kit, '--admin', 'rescue@example.org', '--password-file', pw], { env: { ...process.env, DATA_DIR: server.dataDir } });
    expect(done.stdout).toContain('Admin access restored for rescue@example.org');

    const { page } = await phonePage(session.browser, server.base);
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`${server.base}/desk`);
    await page.fill('#signin-email', 'rescue@example.org');
    await page.fill('#signin-password', 'the new admin passphrase 2026');
    await page.locator('form.card button.primary').click();
    const secret = (await page.locator('[data-testid=totp-secret]').textContent({ timeout: 60_000 }))!;
    await page.fill('#signin-code', totpAt(secret, stepOf(Date.now())));
    await page.locator('form.card button.primary').click();
    await page.locator('table.queue tbody tr').first().locator('button').click();
    await page.locator('.narrative').waitFor({ timeout: 60_000 });
    expect(await page.locator('.narrative').textContent()).toContain(MARKER);
    await page.locator('.desk-nav').getByRole('button', { name: 'Audit log' }).click();
    await page.getByText('Restored admin access with the recovery kit').waitFor();
    await expectAccessible(page, 'audit log after recovery');
  });
});
