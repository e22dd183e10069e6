// Messages no one can forge, end to end (PROTOCOL.md §27–§29): whoever can write the database
// puts a "caseworker" message into a case (in today's old format, sealed to the reporter's key,
// and one signed by a key of its own) and a "reporter" message into the desk. The phone shows
// neither as from the caseworkers (and never their text); the desk flags the forged reporter
// message; genuine messages both ways show as checked.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseMessages, cases } from '../../db/schema.ts';
import { associatedData, keyId, messageBinding } from '../../protocol/envelope.ts';
import { fromBase64Url, toBase64Url, utf8 } from '../../protocol/encoding.ts';
import { sealMessage } from '../../protocol/messages.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import { startTestServer, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, type DeskUser } from '../helpers/desk.ts';
import { expectAccessible, launchBrowser, phonePage, signInAtDesk, type BrowserSession } from '../helpers/browser.ts';
import { sendReportFromPhone } from '../helpers/report-flow.ts';

let server: TestApp & { base: string };
let session: BrowserSession;
let worker: DeskUser;
beforeAll(async () => {
  server = await startTestServer({ config: { submitRateLimit: 100 } });
  const admin = await setupAdmin(server.db);
  worker = await createDeskUser(server.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(server.db)], granter: { ...admin.keys, id: admin.id } });
  session = await launchBrowser();
});
afterAll(async () => {
  await session?.close();
  await server?.close();
});

const PHISHING = 'Send us your exact location and a photo of your papers.';
const FAKE_REPLY = 'Please call me on this other number instead.';

/** A to_reporter message as the first follow-up release wrote them: envelope v1, anonymous. */
async function oldFormatMessage(caseId: string, text: string, recipients: Uint8Array[]) {
  const sodium = await sodiumReady();
  const k = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const n = sodium.randombytes_buf(24);
  const padded = sodium.pad(utf8.encode(JSON.stringify({ text })), 256);
  const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, associatedData('redress/message/v1', messageBinding(caseId, 'to_reporter')), null, n, k);
  const sealed = [];
  for (const pk of recipients) sealed.push({ kid: await keyId(pk), sealedKey: toBase64Url(sodium.crypto_box_seal(k, pk)) });
  return { v: 1 as const, nonce: toBase64Url(n), ciphertext: toBase64Url(ct), recipients: sealed };
}

describe('forged messages', () => {
  it('are never shown as the caseworkers\' on the phone, and are flagged at the desk', async () => {
    const phone = await phonePage(session.browser, server.base);
    const receipt = await sendReportFromPhone(phone.page, server.base, { lang: 'en', category: 'denial_of_entry', country: 'GR', narrative: 'Turned back at the border.' });
    await phone.context.close();
    const row = server.db.select().from(cases).get()!;
    const reporterKey = fromBase64Url(row.reporterPublicKey)!;
    const teamKey = fromBase64Url(server.intake().routing.teams[0]!.publicKey)!;

    // The caseworker writes a genuine message at the desk.
    const desk = await phonePage(session.browser, server.base);
    await desk.page.setViewportSize({ width: 1200, height: 900 });
    await signInAtDesk(desk.page, server.base, worker);
    await desk.page.locator('table.queue tbody tr').first().locator('button').click();
    await desk.page.locator('.narrative').waitFor({ timeout: 60_000 });
    await desk.page.fill('#message', 'We have your report. We never ask for your location here.');
    await desk.page.getByRole('button', { name: 'Send to the reporter' }).click();
    await desk.page.locator('.messages li.verified').waitFor();

    // Someone with write access to the database adds messages of their own.
    const sodium = await sodiumReady();
    const insert = (direction: 'to_reporter' | 'from_reporter', envelope: object) => server.db.insert(caseMessages).values({
      id: randomUUID(), caseId: row.id, direction, authorId: null, createdAt: new Date().toISOString().slice(0, 10), envelope: envelope as never,
    }).run();
    insert('to_reporter', await oldFormatMessage(row.id, PHISHING, [reporterKey, teamKey]));
    insert('to_reporter', await sealMessage(row.id, 'to_reporter', PHISHING, [reporterKey, teamKey], sodium.crypto_sign_keypair().privateKey));
    insert('from_reporter', await sealMessage(row.id, 'from_reporter', FAKE_REPLY, [teamKey, server.recovery!.publicKey, reporterKey], sodium.crypto_sign_keypair().privateKey));

    // The reporter comes back: the genuine message is checked, the forged ones are not shown.
    const back = await phonePage(session.browser, server.base);
    await back.page.goto(`${server.base}/follow-up?lang=en`);
    await back.page.fill('#receipt', receipt);
    await back.page.locator('form.confirm button').click();
    await back.page.locator('.messages li').first().waitFor({ timeout: 60_000 });
    const list = back.page.locator('.messages');
    expect(await list.locator('li.to_reporter.verified').count()).toBe(1);
    expect(await list.locator('li.to_reporter.verified .tag').textContent()).toBe('checked');
    expect(await list.locator('li.forged').count()).toBe(3);
    expect(await list.textContent()).not.toContain(PHISHING);
    expect(await list.textContent()).not.toContain(FAKE_REPLY);
    expect(await list.locator('li.forged').first().textContent()).toContain('could not be checked');
    await expectAccessible(back.page, 'follow-up with forged messages');
    // The reporter answers; the desk sees the genuine answer as signed and the forged one flagged.
    await back.page.fill('#reply', 'Thank you, I understand.');
    await back.page.locator('form button.primary').click();
    await back.page.locator('.messages li.from_reporter.verified').waitFor({ timeout: 30_000 });

    await desk.page.reload();
    await desk.page.fill('#signin-password', worker.password);
    await desk.page.locator('form.card button.primary').click();
    await desk.page.locator('table.queue tbody tr').first().locator('button').click();
    await desk.page.locator('.messages li.from_reporter.verified').waitFor({ timeout: 60_000 });
    const deskList = desk.page.locator('.messages');
    expect(await deskList.locator('li.from_reporter.verified').textContent()).toContain('Thank you, I understand.');
    expect(await deskList.locator('li.forged').count()).toBe(3);
    expect(await deskList.textContent()).not.toContain(FAKE_REPLY);
    expect(await deskList.locator('li.forged').first().textContent()).toContain('could not be verified');
    await expectAccessible(desk.page, 'desk case with forged messages');
  });
});
