// Follow-up by receipt through the API: wrong and unknown receipts look the same, sessions are
// short, messages must be v2, sealed to exactly the right keys and signed by their sender, the
// reporter view carries the pin the phone checks, and nothing is stored on failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { caseMessages, cases } from '../../db/schema.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import { checkCaseKeys, readMessages, receiptKeys, sealReply, type ReporterKeys } from '../../client/report/follow-up-crypto.ts';
import { AD_LABEL, messageBinding, openEnvelope, sealEnvelope, type KeyPair } from '../../protocol/envelope.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { generateKeyPair, sealGrant } from '../../protocol/keys.ts';
import { sealMessage } from '../../protocol/messages.ts';
import { teamSigningKeys, teamVerifyKey } from '../../protocol/signing.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import { FOLLOW_UP_IDLE_MS, followUpCase } from '../../server/services/follow-up.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, heldTeamKey, setupAdmin, signIn, type SignedIn } from '../helpers/desk.ts';
import { validForm } from '../fixtures/report.ts';

let t: TestApp;
let receipt: string;
let caseId: string;
let worker: SignedIn;
let teamPublicKey: string;
let teamPair: KeyPair;
let adminUser: Awaited<ReturnType<typeof setupAdmin>>;
beforeAll(async () => {
  t = await makeTestApp({ config: { submitRateLimit: 100 } });
  const sealed = await sealSubmission(validForm(), 'fa', t.intake());
  await t.app.inject({ method: 'POST', url: '/api/reports', payload: sealed.body, headers: { 'content-type': 'application/json' } });
  receipt = sealed.receipt;
  caseId = t.db.select().from(cases).get()!.id;
  const admin = await setupAdmin(t.db);
  adminUser = admin;
  const user = await createDeskUser(t.db, { email: 'w@example.org', role: 'caseworker', teamIds: [defaultTeamId(t.db)], granter: { ...admin.keys, id: admin.id } });
  worker = await signIn(t.app, user);
  teamPublicKey = t.intake().routing.teams[0]!.publicKey;
  teamPair = await heldTeamKey(t.db, defaultTeamId(t.db), { ...admin.keys, id: admin.id });
});
const openMessage = (direction: 'to_reporter' | 'from_reporter', envelope: Parameters<typeof openEnvelope>[2], pair: KeyPair) =>
  openEnvelope<{ text: string }>(AD_LABEL.message, messageBinding(caseId, direction), envelope, pair);
/** What the desk sends: sealed to the reporter and the team, signed with the team's key. */
async function fromTeam(text: string, reporterPublicKey: Uint8Array, team = teamPair) {
  return sealMessage(caseId, 'to_reporter', text, [reporterPublicKey, team.publicKey], (await teamSigningKeys(team.privateKey)).signingKey);
}
afterAll(async () => { await t.close(); });

const open = (authToken: string) => t.app.inject({ method: 'POST', url: '/api/follow-up/open', payload: { authToken }, headers: { 'content-type': 'application/json' } });
const salt = () => t.intake().receiptSalt;

async function session(): Promise<{ token: string; pair: KeyPair; keys: ReporterKeys; view: { replyTo: never } }> {
  const keys = await receiptKeys(receipt, salt());
  const res = await open(keys.authToken);
  expect(res.statusCode).toBe(200);
  return { token: res.json().token, pair: keys.pair, keys, view: res.json().case };
}

describe('follow-up', () => {
  it('answers a wrong receipt and an unknown one identically', async () => {
    const wrongDigit = `${receipt.slice(0, -1)}${(Number(receipt.at(-1)) + 1) % 10}`;
    const wrong = await open((await receiptKeys(wrongDigit, salt())).authToken);
    const unknown = await open((await receiptKeys('00000000000000000000', salt())).authToken);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body).toBe(unknown.body);
    expect(wrong.json().code).toBe('receipt_not_found');
    expect((await open('not-a-token')).statusCode).toBe(400);
  });

  it('shows status and timeline, and carries replies both ways, readable only by the right keys', async () => {
    const { token, pair, keys, view } = await session();
    expect(view).toMatchObject({ caseId, status: 'received', language: 'fa' });
    expect((view as unknown as { timeline: { status: string }[] }).timeline.map((e) => e.status)).toEqual(['received']);

    // The caseworker writes: sealed to the reporter's key (from the receipt) and the team's.
    const toReporter = await fromTeam('سلام، گزارش شما رسید.', pair.publicKey);
    const sent = await t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/messages`, payload: { envelope: toReporter }, headers: { cookie: worker.cookie, 'x-csrf-token': worker.csrf } });
    expect(sent.statusCode).toBe(201);

    const after = await t.app.inject({ url: '/api/follow-up', headers: { authorization: `Bearer ${token}` } });
    const message = after.json().messages[0];
    expect(message.direction).toBe('to_reporter');
    expect(message.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await openMessage('to_reporter', message.envelope, pair))?.text).toBe('سلام، گزارش شما رسید.');
    const stranger = await generateKeyPair();
    expect(await openMessage('to_reporter', message.envelope, stranger)).toBeNull();
    // The phone checks the served keys against its pin, then the signature against the pinned key.
    const trust = await checkCaseKeys(after.json(), keys);
    expect(trust).toEqual({ legacy: false, pinned: true });
    // Served keys other than the ones the receipt pinned are seen for what they are.
    const served = after.json() as Parameters<typeof checkCaseKeys>[0];
    const impostor = await generateKeyPair();
    const swapped = { ...served, replyTo: { ...served.replyTo, team: { ...served.replyTo.team, verifyKey: await teamVerifyKey(impostor.privateKey) } } };
    expect(await checkCaseKeys(swapped, keys)).toEqual({ legacy: false, pinned: false });
    expect((await readMessages(swapped, keys, { legacy: false, pinned: false })).get(message.id)).toEqual({ status: 'forged', text: null });
    const otherTeam = { ...served, replyTo: { ...served.replyTo, team: { ...served.replyTo.team, publicKey: toBase64Url(impostor.publicKey) } } };
    expect((await checkCaseKeys(otherTeam, keys)).pinned).toBe(false);
    expect((await readMessages(after.json(), keys, trust)).get(message.id)).toEqual({ status: 'verified', text: 'سلام، گزارش شما رسید.' });

    // The reporter answers: sealed to the team, the recovery key and themselves, and signed.
    const envelope = await sealReply(caseId, 'ممنون. مدارک را می‌فرستم.', after.json().replyTo, keys);
    const answered = await t.app.inject({ method: 'POST', url: '/api/follow-up/messages', payload: { envelope }, headers: { authorization: `Bearer ${token}` } });
    expect(answered.statusCode).toBe(201);
    const stored = t.db.select().from(caseMessages).where(eq(caseMessages.direction, 'from_reporter')).get()!;
    expect(stored.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}$/); // the day only, like the report
    expect((await openMessage('from_reporter', stored.envelope, t.recovery!))?.text).toBe('ممنون. مدارک را می‌فرستم.');
  });

  it('refuses unsigned, badly signed and old-format messages in both directions', async () => {
    const { token, pair, keys } = await session();
    const before = t.db.select({ n: count() }).from(caseMessages).get()!.n;
    const desk = (envelope: object) => t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/messages`, payload: { envelope }, headers: { cookie: worker.cookie, 'x-csrf-token': worker.csrf } });
    const phone = (envelope: object) => t.app.inject({ method: 'POST', url: '/api/follow-up/messages', payload: { envelope }, headers: { authorization: `Bearer ${token}` } });
    const sodium = await sodiumReady();
    const toRecipients = [pair.publicKey, teamPair.publicKey];
    const unsigned = await sealEnvelope(AD_LABEL.message, messageBinding(caseId, 'to_reporter'), { text: 'x' }, toRecipients);
    expect((await desk(unsigned)).json().code).toBe('bad_envelope');
    const notTheTeam = await sealMessage(caseId, 'to_reporter', 'x', toRecipients, sodium.crypto_sign_keypair().privateKey);
    expect((await desk(notTheTeam)).json().code).toBe('bad_signature');
    expect((await desk({ ...(await fromTeam('x', pair.publicKey)), v: 1, commitment: undefined, signature: undefined })).json().code).toBe('outdated_page');
    const fromRecipients = [teamPair.publicKey, t.recovery!.publicKey, pair.publicKey];
    const notTheReporter = await sealMessage(caseId, 'from_reporter', 'x', fromRecipients, sodium.crypto_sign_keypair().privateKey);
    expect((await phone(notTheReporter)).json().code).toBe('bad_signature');
    const teamAsReporter = await sealMessage(caseId, 'from_reporter', 'x', fromRecipients, (await teamSigningKeys(teamPair.privateKey)).signingKey);
    expect((await phone(teamAsReporter)).json().code).toBe('bad_signature');
    expect((await phone(await sealMessage(caseId, 'from_reporter', 'ok', fromRecipients, keys.signingKey))).statusCode).toBe(201);
    expect(t.db.select({ n: count() }).from(caseMessages).get()!.n).toBe(before + 1);
  });

  it('refuses messages sealed to the wrong keys, too large, without a session, or on a closed case', async () => {
    const { token, pair, keys } = await session();
    const before = t.db.select({ n: count() }).from(caseMessages).get()!.n;
    const post = (payload: object, bearer = token) => t.app.inject({ method: 'POST', url: '/api/follow-up/messages', payload, headers: { authorization: `Bearer ${bearer}` } });
    const onlyTeam = await sealMessage(caseId, 'from_reporter', 'x', [fromBase64Url(teamPublicKey)!, pair.publicKey], keys.signingKey);
    expect((await post({ envelope: onlyTeam })).json().code).toBe('wrong_recipients');
    expect((await post({ envelope: { v: 1, nonce: 'x' } })).statusCode).toBe(400);
    expect((await post({ envelope: onlyTeam }, 'forged-session')).json().code).toBe('follow_up_expired');
    const huge = await t.app.inject({ method: 'POST', url: '/api/follow-up/messages', payload: { envelope: { ...onlyTeam, ciphertext: 'A'.repeat(70_000) } }, headers: { authorization: `Bearer ${token}` } });
    expect(huge.statusCode).toBe(413);
    expect(t.db.select({ n: count() }).from(caseMessages).get()!.n).toBe(before);

    t.db.update(cases).set({ status: 'closed', outcome: 'resolved' }).where(eq(cases.id, caseId)).run();
    const replyTo = (await t.app.inject({ url: '/api/follow-up', headers: { authorization: `Bearer ${token}` } })).json().replyTo;
    const closed = await post({ envelope: await sealReply(caseId, 'late', replyTo, keys) });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('case_closed');
    t.db.update(cases).set({ status: 'received', outcome: null }).where(eq(cases.id, caseId)).run();
  });

  it("keeps a case's messages under the case's key after the team key is rotated", async () => {
    const admin = await signIn(t.app, adminUser);
    const fresh = await generateKeyPair();
    const team = t.intake().routing.teams[0]!;
    const rotated = await t.app.inject({
      method: 'POST', url: `/api/teams/${team.id}/keys`, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: { publicKey: toBase64Url(fresh.publicKey), verifyKey: await teamVerifyKey(fresh.privateKey), grants: [
        { userId: adminUser.id, sealedPrivateKey: await sealGrant(fresh.privateKey, adminUser.keys.publicKey) },
        { userId: null, sealedPrivateKey: await sealGrant(fresh.privateKey, t.recovery!.publicKey) },
      ] },
    });
    expect(rotated.statusCode).toBe(201);
    expect(t.intake().routing.teams[0]!.publicKey).not.toBe(teamPublicKey);
    const { token, pair, keys } = await session();
    const view = (await t.app.inject({ url: '/api/follow-up', headers: { authorization: `Bearer ${token}` } })).json();
    expect(view.replyTo.team.publicKey).toBe(teamPublicKey); // the key the case was sealed to
    expect(await checkCaseKeys(view, keys)).toEqual({ legacy: false, pinned: true });
    const toReporter = await fromTeam('after rotation', pair.publicKey);
    const sent = await t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/messages`, payload: { envelope: toReporter }, headers: { cookie: worker.cookie, 'x-csrf-token': worker.csrf } });
    expect(sent.statusCode).toBe(201);
    const reply = await t.app.inject({ method: 'POST', url: '/api/follow-up/messages', payload: { envelope: await sealReply(caseId, 'seen', view.replyTo, keys) }, headers: { authorization: `Bearer ${token}` } });
    expect(reply.statusCode).toBe(201);
  });

  it('ends a follow-up session after ten idle minutes, and after an hour in any case', async () => {
    const busy = (await session()).token;
    let at = Date.now();
    for (let i = 0; i < 6; i++) { at += 9 * 60_000; expect(followUpCase(t.app.state.followUpSessions, busy, at)).toBe(caseId); }
    expect(() => followUpCase(t.app.state.followUpSessions, busy, at + 9 * 60_000)).toThrow();
    const { token } = await session();
    expect(followUpCase(t.app.state.followUpSessions, token)).toBe(caseId);
    expect(() => followUpCase(t.app.state.followUpSessions, token, Date.now() + FOLLOW_UP_IDLE_MS + 1000)).toThrow();
    const res = await t.app.inject({ url: '/api/follow-up', headers: { authorization: `Bearer ${token}` } });
    expect(res.json().code).toBe('follow_up_expired');
  });

  it('serves the follow-up page with nothing about the case in its URL or title', async () => {
    const page = await t.app.inject({ url: '/follow-up?lang=fa' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="fa" dir="rtl">');
    expect(/<title>([^<]*)<\/title>/.exec(page.body)![1]).toBe('Redress');
    expect(page.body).toContain('class="quick-exit"');
  });
});
