// Accounts an admin can manage, end to end in the browser (PROTOCOL.md §31): invite a caseworker,
// who waits for access until granted; disable them (their open desk ends at once, their grants go,
// and the desk offers to rotate the key they held); re-enable; reset their second factor and
// password with a one-time link; they make new keys, wait for access again, and are granted again.
// An analyst's invitation offers no teams.
import { and, eq, isNull } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grants, teamKeys, users } from '../../db/schema.ts';
import { stepOf, totpAt } from '../../server/services/totp.ts';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { defaultTeamId, setupAdmin, type DeskUser } from '../helpers/desk.ts';
import { expectAccessible, launchBrowser, phonePage, type BrowserSession } from '../helpers/browser.ts';

let server: TestApp & { base: string };
let session: BrowserSession;
let admin: DeskUser;
beforeAll(async () => {
  server = await startTestServer();
  admin = await setupAdmin(server.db);
  session = await launchBrowser();
});
afterAll(async () => {
  await session?.close();
  await server?.close();
});

const WORKER = { email: 'field.worker@example.org', password: 'first passphrase of the worker', again: 'second passphrase, after the reset' };

async function deskPage() {
  const opened = await phonePage(session.browser, server.base);
  await opened.page.setViewportSize({ width: 1200, height: 900 });
  return opened.page;
}

async function signIn(page: Page, email: string, password: string, totpSecret?: string) {
  await page.goto(`${server.base}/desk`);
  await page.fill('#signin-email', email);
  await page.fill('#signin-password', password);
  if (totpSecret) await page.fill('#signin-code', totpAt(totpSecret, stepOf(Date.now())));
  await page.locator('form.card button.primary').click();
}

/** First sign-in after an invitation or a reset: enrol the second factor shown on screen. */
async function enrol(page: Page) {
  const secret = (await page.locator('[data-testid=totp-secret]').textContent({ timeout: 60_000 }))!;
  await page.fill('#signin-code', totpAt(secret, stepOf(Date.now())));
  await page.locator('form.card button.primary').click();
  await page.locator('.desk-nav').waitFor({ timeout: 60_000 });
}

async function accept(page: Page, link: string, password: string) {
  await page.goto(link);
  await page.fill('#invite-password', password);
  await page.fill('#invite-repeat', password);
  await page.locator('form.card button.primary').click();
  await page.locator('section.card h1').waitFor({ timeout: 60_000 });
}

const workerGrants = () => {
  const id = server.db.select().from(users).where(eq(users.email, WORKER.email)).get()!.id;
  return server.db.select().from(grants).where(eq(grants.userId, id)).all();
};

describe('account management', () => {
  it('invites, disables, re-enables, resets and re-grants a caseworker', async () => {
    const adminPage = await deskPage();
    await signIn(adminPage, admin.email, admin.password, admin.totpSecret!);
    await adminPage.locator('.desk-nav').getByRole('button', { name: 'Accounts' }).click();

    // An analyst's invitation offers no team; a caseworker's does.
    await adminPage.selectOption('#invite-role', 'analyst');
    expect(await adminPage.locator('.accounts form.card input[type=checkbox]').count()).toBe(0);
    await adminPage.selectOption('#invite-role', 'caseworker');
    await adminPage.fill('#invite-email', WORKER.email);
    await adminPage.locator('.accounts form.card input[type=checkbox]').first().check();
    await adminPage.getByRole('button', { name: 'Create the invitation' }).click();
    const invite = (await adminPage.locator('[data-testid=invite-link]').textContent())!;

    // The caseworker joins and waits for access.
    const workerPage = await deskPage();
    await accept(workerPage, invite, WORKER.password);
    await signIn(workerPage, WORKER.email, WORKER.password);
    await enrol(workerPage);
    await workerPage.getByText('Waiting for access').waitFor();
    await expectAccessible(workerPage, 'waiting for access');

    // Granted by the admin, then disabled: the worker's desk ends at once, the grant is gone.
    await adminPage.locator('.desk-nav').getByRole('button', { name: 'Administration' }).click();
    await adminPage.getByRole('button', { name: `Grant access to ${WORKER.email}` }).click();
    await adminPage.getByRole('button', { name: `Grant access to ${WORKER.email}` }).waitFor({ state: 'detached' });
    expect(workerGrants()).toHaveLength(1);
    await adminPage.locator('.desk-nav').getByRole('button', { name: 'Accounts' }).click();
    await adminPage.getByRole('button', { name: `Disable ${WORKER.email}` }).click();
    await adminPage.getByText('rotate each key now', { exact: false }).waitFor();
    expect(workerGrants()).toEqual([]);
    await workerPage.reload();
    await workerPage.locator('#signin-email').waitFor(); // signed out
    await expectAccessible(adminPage, 'accounts after disabling');
    // The key the worker held is rotated from the offer.
    const teamId = defaultTeamId(server.db);
    await adminPage.getByRole('button', { name: 'Rotate the key of Caseworkers' }).click();
    await adminPage.getByRole('button', { name: 'Rotate the key of Caseworkers' }).waitFor({ state: 'detached' });
    expect(server.db.select().from(teamKeys).where(eq(teamKeys.teamId, teamId)).all()).toHaveLength(2);
    expect(server.db.select().from(teamKeys).where(and(eq(teamKeys.teamId, teamId), isNull(teamKeys.retiredAt))).get()!.verifyKey).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Re-enabled, then reset (a lost phone): a one-time link, new keys, a new second factor.
    await adminPage.getByRole('button', { name: `Enable ${WORKER.email}` }).click();
    await adminPage.getByRole('button', { name: `Reset the password and second factor of ${WORKER.email}` }).click();
    const reset = (await adminPage.locator('[data-testid=invite-link]').textContent())!;
    expect(reset).toContain('/desk/invite#token=');
    await workerPage.goto(reset);
    await workerPage.getByRole('heading', { name: 'Reset your account' }).waitFor({ timeout: 60_000 });
    await expectAccessible(workerPage, 'reset page');
    await accept(workerPage, reset, WORKER.again);
    await signIn(workerPage, WORKER.email, WORKER.again);
    await enrol(workerPage);
    await workerPage.getByText('Waiting for access').waitFor();

    // Granted again by a member who holds the (new) key.
    await adminPage.locator('.desk-nav').getByRole('button', { name: 'Administration' }).click();
    await adminPage.getByRole('button', { name: `Grant access to ${WORKER.email}` }).click();
    await adminPage.getByRole('button', { name: `Grant access to ${WORKER.email}` }).waitFor({ state: 'detached' });
    await workerPage.reload();
    await workerPage.fill('#signin-password', WORKER.again);
    await workerPage.locator('form.card button.primary').click();
    await workerPage.locator('.desk-nav').waitFor({ timeout: 60_000 });
    expect(await workerPage.getByText('Waiting for access').count()).toBe(0);
    expect(workerGrants()).toHaveLength(1);
  });
});
