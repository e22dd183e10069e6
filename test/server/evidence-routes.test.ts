// Evidence around a case: a report delivered from the outbox (sealed to the outbox key), files on
// messages both ways and who may fetch them, and the limits published before anything is chosen.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cases, uploads } from '../../db/schema.ts';
import { decryptFile } from '../../protocol/attachment.ts';
import { fromBase64Url, toBase64Url, utf8 } from '../../protocol/encoding.ts';
import { AD_LABEL, messageBinding, openEnvelope } from '../../protocol/envelope.ts';
import { sealMessage } from '../../protocol/messages.ts';
import { teamSigningKeys } from '../../protocol/signing.ts';
import type { MessageContent } from '../../protocol/evidence-api.ts';
import { hashAuthToken } from '../../protocol/receipt.ts';
import { openGrant } from '../../protocol/keys.ts';
import { grants } from '../../db/schema.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import { caseBinding } from '../../server/services/cases.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn, type SignedIn } from '../helpers/desk.ts';
import { reportUnderReceipt, sealWithFiles, uploadFile } from '../helpers/evidence.ts';
import { MARKER } from '../fixtures/report.ts';

let t: TestApp;
let desk: SignedIn;
let teamPair: { publicKey: Uint8Array; privateKey: Uint8Array };
beforeAll(async () => {
  t = await makeTestApp({ config: { submitRateLimit: 100 } });
  const admin = await setupAdmin(t.db);
  const worker = await createDeskUser(t.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(t.db)], granter: { ...admin.keys, id: admin.id } });
  desk = await signIn(t.app, worker);
  const grant = t.db.select().from(grants).where(eq(grants.userId, worker.id)).get()!;
  teamPair = (await openGrant(grant.sealedPrivateKey, worker.keys))!;
});
afterAll(async () => { await t.close(); });

async function sealForOutbox(body: object): Promise<string> {
  const sodium = await sodiumReady();
  const intake = (await t.app.inject('/api/intake')).json();
  return toBase64Url(sodium.crypto_box_seal(utf8.encode(JSON.stringify(body)), fromBase64Url(intake.outboxKey)!));
}
const postSealed = (sealed: string) => t.app.inject({ method: 'POST', url: '/api/reports/sealed', payload: { sealed }, headers: { 'content-type': 'application/json' } });

describe('the outbox', () => {
  it('publishes the limits and the outbox key before anything is chosen', async () => {
    const intake = (await t.app.inject('/api/intake')).json();
    expect(intake.attachments).toEqual({ maxFiles: 5, maxFileBytes: 10 * 1024 * 1024, maxTotalBytes: 20 * 1024 * 1024 });
    expect(fromBase64Url(intake.outboxKey)).toHaveLength(32);
    const page = (await t.app.inject('/?lang=en')).body;
    const boot = JSON.parse(/<script type="application\/json" id="boot">(.*?)<\/script>/s.exec(page)![1]!);
    expect(boot.evidence).toMatchObject({ limits: intake.attachments, outboxKey: intake.outboxKey });
  });

  it('accepts a report sealed to the outbox key, with its files, once, and refuses what does not open', async () => {
    const plain = utf8.encode(`A voice note. ${MARKER}`);
    const { ref } = await uploadFile(t.app, plain, 'voice-note-1.webm', 'audio/webm');
    const report = await sealWithFiles(t.intake(), [ref]);
    const sealed = await sealForOutbox(report.body);
    const first = await postSealed(sealed);
    expect(first.statusCode).toBe(201);
    expect((await postSealed(sealed)).statusCode).toBe(201); // a resend after a lost answer
    const row = t.db.select().from(cases).where(eq(cases.receiptAuthHash, await hashAuthToken(fromBase64Url(report.body.reporter.authToken)!))).get()!;
    expect(row.sealedBy).toBe('browser');
    expect(t.db.select().from(uploads).where(eq(uploads.id, ref.id)).get()!.caseId).toBe(row.id);
    // The desk opens the report, finds the file's key inside, and the file itself.
    const content = await openEnvelope<{ attachments: typeof ref[] }>(AD_LABEL.report, caseBinding(row), row.envelope, t.recovery!);
    expect(content!.attachments).toEqual([ref]);
    const file = await t.app.inject({ method: 'GET', url: `/api/cases/${row.id}/attachments/${ref.id}`, headers: { cookie: desk.cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/octet-stream');
    expect(await decryptFile(new Uint8Array(file.rawPayload), fromBase64Url(ref.key)!)).toEqual(plain);
    // Nothing of the file's plaintext is on disk.
    for (const name of readdirSync(join(t.dataDir, 'attachments'))) expect(readFileSync(join(t.dataDir, 'attachments', name)).includes(Buffer.from(MARKER))).toBe(false);

    const garbage = await postSealed(toBase64Url(new Uint8Array(200)));
    expect([garbage.statusCode, garbage.json().code]).toEqual([400, 'bad_envelope']);
    const notAReport = await postSealed(await sealForOutbox({ clear: {}, hello: 1 }));
    expect([notAReport.statusCode, notAReport.json().code]).toEqual([400, 'invalid_request']);
    expect(notAReport.json().field).toMatch(/^sealed/);
  });
});

describe('files on messages', () => {
  it('carries files both ways; the reporter fetches only message files of their own case', async () => {
    const receipt = '12345678901234567890';
    const { ref: reportFile } = await uploadFile(t.app, utf8.encode('report file'));
    // A report whose receipt this test knows (the helper would draw its own), bound to its keys as the phone binds them.
    const { keys } = await reportUnderReceipt(t.app, t.intake(), receipt, [reportFile]);
    const caseId = t.db.select().from(uploads).where(eq(uploads.id, reportFile.id)).get()!.caseId!;

    // The caseworker sends a document.
    const letter = utf8.encode('%PDF-1.7 a referral letter');
    const { ref: deskFile } = await uploadFile(t.app, letter, 'referral.pdf', 'application/pdf');
    const deskEnvelope = await sealMessage(caseId, 'to_reporter', 'See the letter.', [keys.publicKey, teamPair.publicKey], (await teamSigningKeys(teamPair.privateKey)).signingKey, [deskFile]);
    const sent = await t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/messages`, payload: { envelope: deskEnvelope, attachments: [deskFile.id] }, headers: { cookie: desk.cookie, 'x-csrf-token': desk.csrf } });
    expect(sent.statusCode).toBe(201);
    expect(t.db.select().from(uploads).where(eq(uploads.id, deskFile.id)).get()).toMatchObject({ caseId, messageId: sent.json().id });

    // The reporter opens the case, reads the message and fetches its file; not the report's file.
    const opened = (await t.app.inject({ method: 'POST', url: '/api/follow-up/open', payload: { authToken: toBase64Url(keys.authToken) } })).json();
    const bearer = { authorization: `Bearer ${opened.token}` };
    const message = opened.case.messages[0];
    const content = await openEnvelope<MessageContent>(AD_LABEL.message, messageBinding(caseId, 'to_reporter'), message.envelope, keys);
    expect(content!.attachments).toEqual([deskFile]);
    const got = await t.app.inject({ method: 'GET', url: `/api/follow-up/attachments/${deskFile.id}`, headers: bearer });
    expect(await decryptFile(new Uint8Array(got.rawPayload), fromBase64Url(deskFile.key)!)).toEqual(letter);
    expect((await t.app.inject({ method: 'GET', url: `/api/follow-up/attachments/${reportFile.id}`, headers: bearer })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/follow-up/attachments/${deskFile.id}` })).statusCode).toBe(401);

    // The reporter answers with a photo.
    const { ref: photo } = await uploadFile(t.app, utf8.encode('photo bytes'), 'photo-1.jpg', 'image/jpeg');
    const reply = await sealMessage(caseId, 'from_reporter', 'Here it is.', [teamPair.publicKey, fromBase64Url(t.intake().recovery.publicKey)!, keys.publicKey], keys.signingKey, [photo]);
    const answered = await t.app.inject({ method: 'POST', url: '/api/follow-up/messages', payload: { envelope: reply, attachments: [photo.id] }, headers: bearer });
    expect(answered.statusCode).toBe(201);
    const deskCopy = await t.app.inject({ method: 'GET', url: `/api/cases/${caseId}/attachments/${photo.id}`, headers: { cookie: desk.cookie } });
    expect(deskCopy.statusCode).toBe(200);
    // A message may not take a file already sent with another.
    const again = await t.app.inject({ method: 'POST', url: '/api/follow-up/messages', payload: { envelope: reply, attachments: [photo.id] }, headers: bearer });
    expect([again.statusCode, again.json().code]).toEqual([409, 'upload_in_use']);
  });
});
