// Follow-up without JavaScript (PROTOCOL.md §26): the receipt typed into a plain form, the server
// deriving the keys for that request only, reading a caseworker's message and its file, answering
// with a photo that is cleaned and sealed on arrival; malformed input, expired tokens, limits; the
// case marked for the desk; the receipt nowhere on disk, in logs or in the page.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { caseMessages, cases, grants, uploads } from '../../db/schema.ts';
import { decryptFile } from '../../protocol/attachment.ts';
import { fromBase64Url, utf8 } from '../../protocol/encoding.ts';
import { AD_LABEL, messageBinding, openEnvelope } from '../../protocol/envelope.ts';
import { sealMessage } from '../../protocol/messages.ts';
import { teamSigningKeys } from '../../protocol/signing.ts';
import type { MessageContent } from '../../protocol/evidence-api.ts';
import { openGrant } from '../../protocol/keys.ts';
import { formatReceipt } from '../../protocol/receipt.ts';
import { createKdfBudget, spendKdfBudget } from '../../server/services/server-kdf.ts';
import { dataFolderBytes, makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn, type SignedIn } from '../helpers/desk.ts';
import { reportUnderReceipt, uploadFile } from '../helpers/evidence.ts';
import { TINY_JPEG, metadataFound, withMetadata } from '../fixtures/jpeg.ts';

const RECEIPT = '40211234567890123456';
const REPLY_FROM_DESK = 'Bonjour. Voici la lettre de renvoi.';
let t: TestApp;
let desk: SignedIn;
let team: { publicKey: Uint8Array; privateKey: Uint8Array };
let caseId: string;
let letter: Uint8Array;

async function post(url: string, fields: Record<string, string>, file?: { name: string; type: string; bytes: Uint8Array }, remoteAddress?: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([Buffer.from(file.bytes)], { type: file.type }), file.name);
  const response = new Response(form);
  return t.app.inject({ method: 'POST', url, payload: Buffer.from(await response.arrayBuffer()), headers: { 'content-type': response.headers.get('content-type')! }, remoteAddress });
}
const read = (receipt: string, lang = 'fr') => post(`/follow-up/read?lang=${lang}`, { receipt, lang });
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];

beforeAll(async () => {
  t = await makeTestApp({ config: { plainFollowUpRateLimit: 8 } });
  const admin = await setupAdmin(t.db);
  const worker = await createDeskUser(t.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(t.db)], granter: { ...admin.keys, id: admin.id } });
  desk = await signIn(t.app, worker);
  team = (await openGrant(t.db.select().from(grants).where(eq(grants.userId, worker.id)).get()!.sealedPrivateKey, worker.keys))!;
  // A report under a receipt this test knows, then a caseworker's message with a PDF.
  const { keys } = await reportUnderReceipt(t.app, t.intake(), RECEIPT);
  caseId = t.db.select().from(cases).get()!.id;
  letter = utf8.encode('%PDF-1.7 lettre de renvoi');
  const { ref } = await uploadFile(t.app, letter, 'lettre.pdf', 'application/pdf');
  const message = await sealMessage(caseId, 'to_reporter', REPLY_FROM_DESK, [keys.publicKey, team.publicKey], (await teamSigningKeys(team.privateKey)).signingKey, [ref]);
  expect((await t.app.inject({ method: 'POST', url: `/api/cases/${caseId}/messages`, payload: { envelope: message, attachments: [ref.id] }, headers: { cookie: desk.cookie, 'x-csrf-token': desk.csrf } })).statusCode).toBe(201);
});
afterAll(async () => { await t.close(); });

describe('follow-up without JavaScript', () => {
  it('serves a plain form that works without a script', async () => {
    const html = (await t.app.inject('/follow-up?lang=fr')).body;
    expect(html).toContain('action="/follow-up/read?lang=fr"');
    expect(html).toContain('name="receipt"');
  });

  it('answers a malformed or unknown receipt with the form and a translated message, and marks nothing', async () => {
    const short = await read('1234 5678');
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain(JSON.parse(readLocale('fr', 'report')).followUp.problem.too_short);
    const wrong = await read('1111 2222 3333 4444 5555');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain(JSON.parse(readLocale('fr', 'report')).followUp.notFound);
    expect(t.db.select().from(cases).get()!.serverFollowUp).toBe(false);
  });

  it('opens the case for that request, shows the message and its file, and says the server decrypted them', async () => {
    const arabicDigits = formatReceipt(RECEIPT).replace(/\d/g, (d) => String.fromCharCode(0x660 + Number(d)));
    const page = await read(arabicDigits);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain(REPLY_FROM_DESK);
    expect(page.body).toContain(JSON.parse(readLocale('fr', 'evidence')).plain.decrypted);
    expect(page.body).not.toContain(RECEIPT);
    expect(t.db.select().from(cases).get()!.serverFollowUp).toBe(true);
    const detail = await t.app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: { cookie: desk.cookie } });
    expect(detail.json().serverFollowUp).toBe(true);

    const file = await post('/follow-up/file?lang=fr', { token: hidden(page.body, 'token')! });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain("filename*=UTF-8''lettre.pdf");
    expect(new Uint8Array(file.rawPayload)).toEqual(letter);
    const expired = await post('/follow-up/file?lang=fr', { token: 'x'.repeat(60) });
    expect(expired.statusCode).toBe(400);

    // The answer: a photo with GPS, cleaned and encrypted by the server, the message sealed on arrival.
    const session = hidden(page.body, 'session')!;
    const photo = withMetadata(TINY_JPEG);
    const sent = await post('/follow-up/reply?lang=fr', { session, lang: 'fr', message: 'Merci, voici la photo.' }, { name: 'IMG_20250314_101530.jpg', type: 'image/jpeg', bytes: photo });
    expect(sent.statusCode).toBe(200);
    const stored = t.db.select().from(caseMessages).where(eq(caseMessages.direction, 'from_reporter')).get()!;
    expect(stored.sealedBy).toBe('server');
    const content = await openEnvelope<MessageContent>(AD_LABEL.message, messageBinding(caseId, 'from_reporter'), stored.envelope, team);
    expect(content!.text).toBe('Merci, voici la photo.');
    expect(content!.attachments![0]).toMatchObject({ name: 'photo-1.jpg', type: 'image/jpeg' });
    const row = t.db.select().from(uploads).where(eq(uploads.id, content!.attachments![0]!.id)).get()!;
    expect(row).toMatchObject({ caseId, messageId: stored.id, complete: true });
    const clean = await decryptFile(new Uint8Array((await t.app.inject({ method: 'GET', url: `/api/cases/${caseId}/attachments/${row.id}`, headers: { cookie: desk.cookie } })).rawPayload), fromBase64Url(content!.attachments![0]!.key)!);
    expect(metadataFound(clean!)).toEqual([]);

    // A file of a kind that may not be sent is refused, and nothing is stored.
    const before = t.db.select().from(caseMessages).all().length;
    const html = await post('/follow-up/reply?lang=fr', { session, lang: 'fr', message: 'x' }, { name: 'page.html', type: 'text/html', bytes: utf8.encode('<script>alert(1)</script>') });
    expect(html.statusCode).toBe(415);
    expect(html.body).toContain(JSON.parse(readLocale('fr', 'errors')).file_type_not_allowed);
    expect(t.db.select().from(caseMessages).all()).toHaveLength(before);
    // An expired session is told to type the receipt again.
    const stale = await post('/follow-up/reply?lang=fr', { session: 'nope', lang: 'fr', message: 'x' });
    expect(stale.statusCode).toBe(401);

    // The receipt was never written: not to the database, not to a log.
    for (const form of [RECEIPT, formatReceipt(RECEIPT), arabicDigits]) {
      expect(dataFolderBytes(t.dataDir).includes(form)).toBe(false);
      expect(t.logs.join('\n')).not.toContain(form);
    }
  });

  it('names the case reference and where it was referred, with what that body can do, in the reporter\'s language', async () => {
    t.db.update(cases).set({ status: 'triaged' }).where(eq(cases.id, caseId)).run();
    const referred = await t.app.inject({
      method: 'POST', url: `/api/cases/${caseId}/referrals`, headers: { cookie: desk.cookie, 'x-csrf-token': desk.csrf },
      payload: { pathwayId: 'wfp-hotline', sentOn: new Date().toISOString().slice(0, 10), sharePersonalData: false },
    });
    expect(referred.statusCode).toBe(201);
    const page = await read(RECEIPT, 'ar');
    expect(page.statusCode).toBe(200);
    const remedy = JSON.parse(readLocale('ar', 'remedy')) as { referralsTitle: string; kindName: Record<string, string>; kind: Record<string, { can: string }>; next: { waiting: string } };
    const reference = t.db.select().from(cases).where(eq(cases.id, caseId)).get()!.reference;
    expect(page.body).toContain(`>${reference}</strong>`);
    expect(page.body).toContain('WFP Office of the Inspector General');
    for (const text of [remedy.referralsTitle, remedy.kindName.agency_accountability, remedy.kind.agency_accountability!.can, remedy.next.waiting]) {
      expect(page.body).toContain(escapeHtml(text!));
    }
  });

  it('limits tries per client, as a page', async () => {
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i++) status = (await read('12')).statusCode;
    expect(status).toBe(429);
  });
});

describe('server-side Argon2id', () => {
  it('derives in the app\'s worker pool, and stops at the budget per minute for the whole server', async () => {
    const before = t.app.argon2.completed;
    const page = await post('/follow-up/read?lang=fr', { receipt: RECEIPT, lang: 'fr' }, undefined, '203.0.113.9');
    expect(page.statusCode).toBe(200);
    expect(t.app.argon2.completed).toBe(before + 1);

    const budget = createKdfBudget();
    spendKdfBudget(budget, 2, 1_000);
    spendKdfBudget(budget, 2, 1_000);
    expect(() => spendKdfBudget(budget, 2, 30_000)).toThrow(expect.objectContaining({ statusCode: 503, code: 'server_busy' }));
    spendKdfBudget(budget, 2, 61_000); // a new minute
  });
});

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function readLocale(lang: string, ns: string): string {
  return readFileSync(`locales/${lang}/${ns}.json`, 'utf8');
}
