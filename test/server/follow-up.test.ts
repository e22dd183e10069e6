// Follow-up by receipt through the API: wrong and unknown receipts look the same, sessions are
// short, messages must be sealed to exactly the right keys, and nothing is stored on failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { caseMessages, cases } from '../../db/schema.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import { receiptKeys, openMessage, sealReply } from '../../client/report/follow-up-crypto.ts';
import { AD_LABEL, messageBinding, sealEnvelope, type KeyPair } from '../../protocol/envelope.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { generateKeyPair, sealGrant } from '../../protocol/keys.ts';
import { FOLLOW_UP_IDLE_MS, followUpCase } from '../../server/services/follow-up.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn, type SignedIn } from '../helpers/desk.ts';
import { validForm } from '../fixtures/report.ts';

let t: TestApp;
let receipt: string;
let caseId: string;
let worker: SignedIn;
let teamPublicKey: string;
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
});
afterAll(async () => { await t.close(); });

const open = (authToken: string) => t.app.inject({ method: 'POST', url: '/api/follow-up/open', payload: { authToken }, headers: { 'content-type': 'application/json' } });
const salt = () => t.intake().receiptSalt;

async function session(): Promise<{ token: string; pair: KeyPair; view: { replyTo: never } }> {
  const keys = await receiptKeys(receipt, salt());
  const res = await open(keys.authToken);
  expect(res.statusCode).toBe(200);
  return { token: res.json().token, pair: keys.pair, view: res.json().case };
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
    const { token, pair, view } = await session();
    expect(view).toMatchObject({ caseId, status: 'received', language: 'fa' });
    expect((view as unknown as { timeline: { status: string }[] }).timeline.map((e) => e.status)).toEqual(['received']);

    // The caseworker writes: sealed to the reporter's key (from the receipt) and the team's.
    const toReporter = await sealEnvelope(AD_LABEL.message, messageBinding(caseId, 'to_reporter'), { text: 'سلام، گزارش شما رسید.' },
      [pair.publicKey, fromBase64Url(teamPublicKey)!]);
    const sent = await t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/messages`, payload: { envelope: toReporter }, headers: { cookie: worker.cookie, 'x-csrf-token': worker.csrf } });
    expect(sent.statusCode).toBe(201);

    const after = await t.app.inject({ url: '/api/follow-up', headers: { authorization: `Bearer ${token}` } });
    const message = after.json().messages[0];
    expect(message.direction).toBe('to_reporter');
    expect(message.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await openMessage(caseId, 'to_reporter', message.envelope, pair))?.text).toBe('سلام، گزارش شما رسید.');
    const stranger = await generateKeyPair();
    expect(await openMessage(caseId, 'to_reporter', message.envelope, stranger)).toBeNull();

    // The reporter answers: sealed to the team, the recovery key and themselves.
    const envelope = await sealReply(caseId, 'ممنون. مدارک را می‌فرستم.', after.json().replyTo, pair);
    const answered = await t.app.inject({ method: 'POST', url: '/api/follow-up/messages', payload: { envelope }, headers: { authorization: `Bearer ${token}` } });
    expect(answered.statusCode).toBe(201);
    const stored = t.db.select().from(caseMessages).where(eq(caseMessages.direction, 'from_reporter')).get()!;
    expect(stored.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}$/); // the day only, like the report
    expect((await openMessage(caseId, 'from_reporter', stored.envelope, t.recovery!))?.text).toBe('ممنون. مدارک را می‌فرستم.');
  });

  it('refuses messages sealed to the wrong keys, too large, without a session, or on a closed case', async () => {
    const { token, pair } = await session();
    const before = t.db.select({ n: count() }).from(caseMessages).get()!.n;
    const post = (payload: object, bearer = token) => t.app.inject({ method: 'POST', url: '/api/follow-up/messages', payload, headers: { authorization: `Bearer ${bearer}` } });
    const onlyTeam = await sealEnvelope(AD_LABEL.message, messageBinding(caseId, 'from_reporter'), { text: 'x' }, [fromBase64Url(teamPublicKey)!, pair.publicKey]);
    expect((await post({ envelope: onlyTeam })).json().code).toBe('wrong_recipients');
    expect((await post({ envelope: { v: 1, nonce: 'x' } })).statusCode).toBe(400);
    expect((await post({ envelope: onlyTeam }, 'forged-session')).json().code).toBe('follow_up_expired');
    const huge = await t.app.inject({ method: 'POST', url: '/api/follow-up/messages', payload: { envelope: { ...onlyTeam, ciphertext: 'A'.repeat(70_000) } }, headers: { authorization: `Bearer ${token}` } });
    expect(huge.statusCode).toBe(413);
    expect(t.db.select({ n: count() }).from(caseMessages).get()!.n).toBe(before);

    t.db.update(cases).set({ status: 'closed', outcome: 'resolved' }).where(eq(cases.id, caseId)).run();
    const replyTo = (await t.app.inject({ url: '/api/follow-up', headers: { authorization: `Bearer ${token}` } })).json().replyTo;
    const closed = await post({ envelope: await sealReply(caseId, 'late', replyTo, pair) });
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
      payload: { publicKey: toBase64Url(fresh.publicKey), grants: [
        { userId: adminUser.id, sealedPrivateKey: await sealGrant(fresh.privateKey, adminUser.keys.publicKey) },
        { userId: null, sealedPrivateKey: await sealGrant(fresh.privateKey, t.recovery!.publicKey) },
      ] },
    });
    expect(rotated.statusCode).toBe(201);
    expect(t.intake().routing.teams[0]!.publicKey).not.toBe(teamPublicKey);
    const { token, pair } = await session();
    const view = (await t.app.inject({ url: '/api/follow-up', headers: { authorization: `Bearer ${token}` } })).json();
    expect(view.replyTo.team.publicKey).toBe(teamPublicKey); // the key the case was sealed to
    const toReporter = await sealEnvelope(AD_LABEL.message, messageBinding(caseId, 'to_reporter'), { text: 'after rotation' }, [pair.publicKey, fromBase64Url(teamPublicKey)!]);
    const sent = await t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/messages`, payload: { envelope: toReporter }, headers: { cookie: worker.cookie, 'x-csrf-token': worker.csrf } });
    expect(sent.statusCode).toBe(201);
    const reply = await t.app.inject({ method: 'POST', url: '/api/follow-up/messages', payload: { envelope: await sealReply(caseId, 'seen', view.replyTo, pair) }, headers: { authorization: `Bearer ${token}` } });
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
