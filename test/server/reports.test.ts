// POST /api/reports and GET /api/intake: the happy path (and that what is stored opens with the
// organisation's keys), and every bad input answered with a stable 4xx code, storing nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { cases, grants, users } from '../../db/schema.ts';
import { LANGUAGE_CODES } from '../../protocol/taxonomy.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import { AD_LABEL, keyId, openEnvelope } from '../../protocol/envelope.ts';
import { WRAP_LABEL, derivePasswordKeys, openGrant, unwrapSecret } from '../../protocol/keys.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { generateKeyPair } from '../../protocol/keys.ts';
import type { ReportContent, SubmitReport } from '../../protocol/api.ts';
import { ADMIN_PASSWORD, makeTestApp, type TestApp } from '../helpers/app.ts';
import { MARKER, validForm } from '../fixtures/report.ts';
import { caseBinding } from '../../server/services/cases.ts';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp({ config: { submitRateLimit: 1000 } }); });
afterEach(async () => { await t.close(); });

const submit = (body: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/reports', payload: body as object, headers: { 'content-type': 'application/json', ...headers } });
const caseCount = () => t.db.select({ n: count() }).from(cases).get()!.n;
const sealed = async (overrides = {}, lang = 'en') => (await sealSubmission(validForm(overrides), lang, t.intake())).body;

describe('GET /api/intake', () => {
  it('publishes the recovery key, the team keys, the taxonomy and the limits', async () => {
    const res = await t.app.inject('/api/intake');
    expect(res.statusCode).toBe(200);
    const intake = res.json();
    expect(intake.recovery.kid).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(intake.routing.teams).toHaveLength(1);
    expect(intake.routing.defaultTeam).toBe(intake.routing.teams[0].id);
    expect(intake.languages.map((l: { code: string }) => l.code)).toEqual([...LANGUAGE_CODES]);
    expect(intake.languages.filter((l: { dir: string }) => l.dir === 'rtl').map((l: { code: string }) => l.code).sort()).toEqual(['ar', 'ckb', 'fa', 'ps', 'ur']);
    expect(intake.countries).toHaveLength(249);
    expect(intake.limits.maxReportBodyBytes).toBeGreaterThan(0);
    expect(intake.receiptKdf.algorithm).toBe('argon2id13');
  });
});

describe('POST /api/reports', () => {
  it('stores ciphertext and coarse fields that the team and the recovery key can open', async () => {
    const body = await sealed();
    const res = await submit(body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ status: 'received', receivedOn: new Date().toISOString().slice(0, 10) });

    const row = t.db.select().from(cases).get()!;
    expect(row).toMatchObject({ status: 'received', category: 'biometric_lockout', country: 'JO', sealedBy: 'browser', urgent: false, incidentMonth: '2025-03' });
    expect(row.envelope).not.toContain(MARKER);
    expect(row.receiptAuthHash).not.toBe(body.reporter.authToken);
    expect(new Date(row.triageDue).getTime() - new Date(`${row.receivedOn}T00:00:00Z`).getTime()).toBe(72 * 3600_000);

    // The associated data binds the clear fields and the reporter's public key.
    const clear = caseBinding(row);
    expect(await openEnvelope(AD_LABEL.report, body.clear, row.envelope, t.recovery!)).toBeNull();
    const fromRecovery = await openEnvelope<ReportContent>(AD_LABEL.report, clear, row.envelope, t.recovery!);
    expect(fromRecovery?.narrative).toContain(MARKER);

    // The admin's path: password → wrap key → private key → team grant → team key → report.
    const admin = t.db.select().from(users).get()!;
    const { wrapKey } = await derivePasswordKeys(ADMIN_PASSWORD, { salt: admin.kdfSalt, opslimit: admin.kdfOpslimit, memlimit: admin.kdfMemlimit });
    const privateKey = (await unwrapSecret(admin.wrappedPrivateKey, wrapKey, WRAP_LABEL.userPrivateKey))!;
    const grant = t.db.select().from(grants).where(eq(grants.userId, admin.id)).get()!;
    const teamKeys = (await openGrant(grant.sealedPrivateKey, { privateKey, publicKey: fromBase64Url(admin.publicKey)! }))!;
    const content = await openEnvelope<ReportContent>(AD_LABEL.report, clear, row.envelope, teamKeys);
    expect(content).toMatchObject({ place: 'Camp distribution point 4', contact: { method: 'phone', value: '+962 7 9000 0000' } });
  });

  it('accepts the same report sent twice once, and refuses another report under the same receipt', async () => {
    const body = await sealed();
    expect((await submit(body)).statusCode).toBe(201);
    expect((await submit(body)).statusCode).toBe(201);
    expect(caseCount()).toBe(1);
    const other = await sealed({ narrative: 'another story' });
    const res = await submit({ ...other, reporter: body.reporter });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('duplicate_receipt');
    expect(caseCount()).toBe(1);
  });

  it('marks urgent categories and children urgent, with a 24 h triage deadline', async () => {
    const body = await sealed({ category: 'pushback' });
    expect(body.clear.urgent).toBe(true);
    expect((await submit(body)).statusCode).toBe(201);
    const row = t.db.select().from(cases).get()!;
    expect(new Date(row.triageDue).getTime() - new Date(`${row.receivedOn}T00:00:00Z`).getTime()).toBe(24 * 3600_000);
  });
});

describe('bad input', () => {
  async function expectRejected(body: unknown, status: number, code: string, headers?: Record<string, string>) {
    const res = typeof body === 'string'
      ? await t.app.inject({ method: 'POST', url: '/api/reports', payload: body, headers: { 'content-type': 'application/json', ...headers } })
      : await submit(body, headers);
    expect(res.statusCode, `${code}: ${res.body}`).toBe(status);
    expect(res.json().code).toBe(code);
    expect(typeof res.json().message).toBe('string');
    expect(res.json().message.length).toBeGreaterThan(5);
  }

  it('answers each with a stable code and stores nothing', async () => {
    const good = await sealed();
    const stranger = await generateKeyPair();
    const mutate = (fn: (b: SubmitReport) => void) => { const b = structuredClone(good); fn(b); return b; };

    await expectRejected('{"clear": ', 400, 'malformed_json');
    await expectRejected('', 400, 'malformed_json');
    await expectRejected({ ...good, extra: 1 }, 400, 'unknown_field');
    await expectRejected(mutate((b) => { (b.clear as Record<string, unknown>).name = 'Ali'; }), 400, 'unknown_field');
    await expectRejected(mutate((b) => { b.clear.category = 'alien_abduction' as never; }), 400, 'unknown_category');
    await expectRejected(mutate((b) => { b.clear.country = 'XX'; }), 400, 'unknown_country');
    await expectRejected(mutate((b) => { b.clear.language = 'tlh' as never; }), 400, 'unknown_language');
    await expectRejected(mutate((b) => { b.clear.role = 'spy' as never; }), 400, 'unknown_role');
    await expectRejected(mutate((b) => { b.clear.urgent = 'yes' as never; }), 400, 'invalid_request');
    await expectRejected(mutate((b) => { b.clear.incidentMonth = '2099-01'; }), 400, 'future_date');
    await expectRejected(mutate((b) => { b.clear.category = 'pushback'; b.clear.urgent = false; }), 400, 'urgent_required');
    await expectRejected(mutate((b) => { b.clear.consentReferral = false; b.clear.consentShareData = true; }), 400, 'invalid_request');
    await expectRejected(mutate((b) => { delete (b as Partial<SubmitReport>).envelope; }), 400, 'invalid_request');
    await expectRejected(mutate((b) => { b.envelope.ciphertext = b.envelope.ciphertext.slice(0, 50); }), 400, 'bad_envelope');
    await expectRejected(mutate((b) => { b.envelope.nonce = 'A'.repeat(16); }), 400, 'invalid_request');
    await expectRejected(mutate((b) => { b.envelope.recipients[0]!.sealedKey = '*'.repeat(107); }), 400, 'invalid_request');
    await expectRejected(mutate((b) => { b.envelope.ciphertext = `${b.envelope.ciphertext.slice(0, -4)}AAAAA`; }), 400, 'bad_envelope');
    await expectRejected(mutate((b) => { b.envelope.v = 3 as 2; }), 400, 'invalid_request');
    // A page from before reports v2: asked to reload, not stored.
    await expectRejected(mutate((b) => { b.envelope.v = 1; delete b.envelope.commitment; }), 400, 'outdated_page');
    await expectRejected(mutate((b) => { delete b.reporter.pin; }), 400, 'outdated_page');
    await expectRejected(mutate((b) => { b.envelope.signature = toBase64Url(new Uint8Array(64)); }), 400, 'bad_envelope');
    // Keys that could never be sealed to or verified: refused.
    await expectRejected(mutate((b) => { b.reporter.publicKey = toBase64Url(new Uint8Array(32)); }), 400, 'invalid_request');
    await expectRejected(mutate((b) => { b.reporter.signingKey = toBase64Url(new Uint8Array(32)); }), 400, 'invalid_request');
    // A verify key other than the one published with the team key.
    await expectRejected(mutate((b) => { b.reporter.teamVerifyKey = null; }), 422, 'wrong_recipients');
    await expectRejected(mutate((b) => { b.envelope.recipients = [b.envelope.recipients[0]!]; }), 422, 'wrong_recipients');
    await expectRejected(mutate((b) => { b.envelope.recipients[0]!.kid = toBase64Url(new Uint8Array(16)); }), 422, 'wrong_recipients');
    // Sealed to a key nobody published: the recipients' key ids give it away.
    const rogue = await sealSubmission(validForm(), 'en', {
      ...t.intake(),
      routing: { ...t.intake().routing, teams: [{ ...t.intake().routing.teams[0]!, publicKey: toBase64Url(stranger.publicKey), kid: await keyId(stranger.publicKey) }] },
    });
    await expectRejected(rogue.body, 422, 'wrong_recipients');
    // A body over the limit.
    await expectRejected(mutate((b) => { b.envelope.ciphertext = 'A'.repeat(200_000); }), 413, 'body_too_large');
    // Wrong content types.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: 'a=b', headers: { 'content-type': type } });
      expect(res.statusCode, type).toBe(415);
      expect(res.json().code).toBe('unsupported_media_type');
    }

    expect(caseCount()).toBe(0);
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok', open: true });
    expect((await submit(good)).statusCode).toBe(201);
  });

  it('translates public error messages into the request language', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/reports?lang=fr', payload: '{', headers: { 'content-type': 'application/json' } });
    expect(res.json().code).toBe('malformed_json');
    const en = await t.app.inject({ method: 'POST', url: '/api/reports', payload: '{', headers: { 'content-type': 'application/json' } });
    expect(res.json().message).not.toBe(en.json().message);
    const ar = await t.app.inject({ method: 'POST', url: '/api/reports', payload: '{', headers: { 'content-type': 'application/json', 'accept-language': 'ar-SY,ar;q=0.9' } });
    expect(ar.json().message).toMatch(/[\u0600-\u06ff]/);
  });

  it('answers a flood with 429 and keeps serving', async () => {
    const limited = await makeTestApp({ config: { submitRateLimit: 3 } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await limited.app.inject({ method: 'POST', url: '/api/reports', payload: '{}', headers: { 'content-type': 'application/json' } })).statusCode);
      }
      expect(statuses).toEqual([400, 400, 400, 429, 429]);
      const res = await limited.app.inject({ method: 'POST', url: '/api/reports', payload: '{}', headers: { 'content-type': 'application/json' } });
      expect(res.json().code).toBe('rate_limited');
      expect(res.headers['retry-after']).toBe('60');
      expect((await limited.app.inject('/healthz')).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('limits every other route per client address to CLIENT_RATE_LIMIT, one address at a time', async () => {
    const limited = await makeTestApp({ config: { clientRateLimit: 4 } });
    try {
      const get = (remoteAddress: string) => limited.app.inject({ method: 'GET', url: '/api/intake', remoteAddress });
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await get('198.51.100.7')).statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      expect((await get('198.51.100.8')).statusCode).toBe(200); // a second address has its own counter
    } finally {
      await limited.close();
    }
  });

  it('says the service is not open before setup, without storing anything', async () => {
    const fresh = await makeTestApp({ setup: false });
    try {
      expect((await fresh.app.inject('/api/intake')).json().code).toBe('not_open');
      const res = await fresh.app.inject({ method: 'POST', url: '/api/reports', payload: await sealed(), headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('not_open');
      const page = await fresh.app.inject({ url: '/', headers: { 'accept-language': 'fr' } });
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain('<h1>');
      expect(page.body).not.toContain('<form');
      expect((await fresh.app.inject('/healthz')).json()).toEqual({ status: 'ok', open: false });
    } finally {
      await fresh.close();
    }
  });
});
