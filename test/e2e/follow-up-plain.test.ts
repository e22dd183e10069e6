// Without JavaScript: the plain report form says the server encrypts on arrival, and the
// follow-up page works as plain forms: the receipt typed, the caseworker's reply read (decrypted by
// the server, and the page says so), and an answer sent, sealed by the server on arrival.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { caseMessages, cases, grants } from '../../db/schema.ts';
import { AD_LABEL, messageBinding, openEnvelope } from '../../protocol/envelope.ts';
import { sealMessage } from '../../protocol/messages.ts';
import { teamSigningKeys } from '../../protocol/signing.ts';
import { openGrant } from '../../protocol/keys.ts';
import { formatReceipt } from '../../protocol/receipt.ts';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn, type SignedIn } from '../helpers/desk.ts';
import { expectAccessibleHtml, launchBrowser, phonePage, type BrowserSession } from '../helpers/browser.ts';
import { reportUnderReceipt } from '../helpers/evidence.ts';

const RECEIPT = '73021234567890123456';
const REMEDY_AR = JSON.parse(readFileSync('locales/ar/remedy.json', 'utf8')) as { referralsTitle: string };
const REPLY = 'We read your report. Which office refused you?';
const ANSWER = 'The office at the north crossing.';
let server: TestApp & { base: string };
let session: BrowserSession;
let team: { publicKey: Uint8Array; privateKey: Uint8Array };
let caseId: string;
let desk: SignedIn;
const SHOTS = process.env.SCREENSHOTS; // a folder, to look at the pages
beforeAll(async () => {
  server = await startTestServer();
  const admin = await setupAdmin(server.db);
  const worker = await createDeskUser(server.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(server.db)], granter: { ...admin.keys, id: admin.id } });
  team = (await openGrant(server.db.select().from(grants).where(eq(grants.userId, worker.id)).get()!.sealedPrivateKey, worker.keys))!;
  const { keys } = await reportUnderReceipt(server.app, server.intake(), RECEIPT);
  caseId = server.db.select().from(cases).get()!.id;
  desk = await signIn(server.app, worker);
  const envelope = await sealMessage(caseId, 'to_reporter', REPLY, [keys.publicKey, team.publicKey], (await teamSigningKeys(team.privateKey)).signingKey);
  const sent = await server.app.inject({ method: 'POST', url: `/api/cases/${caseId}/messages`, payload: { envelope }, headers: { cookie: desk.cookie, 'x-csrf-token': desk.csrf } });
  expect(sent.statusCode).toBe(201);
  session = await launchBrowser();
});
afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('without JavaScript', () => {
  it('labels what the server encrypts on arrival, and follows up with plain forms', async () => {
    const { page, context, requests } = await phonePage(session.browser, server.base, { javaScriptEnabled: false, locale: 'en' });
    await page.goto(`${server.base}/?lang=en`);
    const badges = await page.locator('.plain-form .badge.sealed').allTextContents();
    expect(badges.length).toBeGreaterThan(3);
    expect(new Set(badges)).toEqual(new Set(['Encrypted by the server on arrival']));
    expect(await page.locator('main').innerText()).not.toContain('Encrypted on this phone');

    await page.goto(`${server.base}/follow-up?lang=en`);
    await page.fill('#receipt', formatReceipt(RECEIPT));
    await page.locator('form.plain-follow-up button[type=submit]').click();
    await page.getByText(REPLY).waitFor();
    await page.getByText('Our server decrypted these messages for you, because your browser does not run JavaScript.').waitFor();
    await expectAccessibleHtml(session.browser, server.base, await page.content(), 'plain follow-up: case');
    expect(page.url()).not.toContain(RECEIPT);

    await page.fill('#reply', ANSWER);
    await page.locator('form[action^="/follow-up/reply"] button[type=submit]').click();
    await page.getByText('Your message was sent.').waitFor();
    await expectAccessibleHtml(session.browser, server.base, await page.content(), 'plain follow-up: sent');
    expect(requests.filter((r) => r.method === 'POST').map((r) => new URL(r.url).pathname)).toEqual(['/follow-up/read', '/follow-up/reply']);
    await context.close();

    const stored = server.db.select().from(caseMessages).where(eq(caseMessages.direction, 'from_reporter')).get()!;
    expect(stored.sealedBy).toBe('server');
    expect((await openEnvelope<{ text: string }>(AD_LABEL.message, messageBinding(caseId, 'from_reporter'), stored.envelope, team))?.text).toBe(ANSWER);
    expect(server.db.select().from(cases).get()!.serverFollowUp).toBe(true);
  });

  it('shows an Arabic reader at 320 px the case reference and where the case was referred, inside the screen', async () => {
    server.db.update(cases).set({ status: 'triaged' }).where(eq(cases.id, caseId)).run();
    const referred = await server.app.inject({
      method: 'POST', url: `/api/cases/${caseId}/referrals`, headers: { cookie: desk.cookie, 'x-csrf-token': desk.csrf },
      payload: { pathwayId: 'unhcr-igo', sentOn: new Date().toISOString().slice(0, 10), sharePersonalData: false },
    });
    expect(referred.statusCode).toBe(201);
    const { page, context } = await phonePage(session.browser, server.base, { javaScriptEnabled: false, locale: 'ar' });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`${server.base}/follow-up?lang=ar`);
    await page.fill('#receipt', formatReceipt(RECEIPT));
    await page.locator('form.plain-follow-up button[type=submit]').click();
    await page.locator('.referrals').waitFor();
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    const reference = server.db.select().from(cases).where(eq(cases.id, caseId)).get()!.reference!;
    expect(await page.locator('.case-reference').textContent()).toBe(reference);
    expect(await page.locator('.referral h3').textContent()).toContain('UNHCR');
    expect(await page.locator('#referrals-title').textContent()).toBe(REMEDY_AR.referralsTitle);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/plain-follow-up-ar-320.png`, fullPage: true });
    await expectAccessibleHtml(session.browser, server.base, await page.content(), 'plain follow-up: referrals, Arabic');
    await context.close();
  });
});
