// Retention: a closed case is purged once its team's retention period has passed. Afterwards
// nothing of its ciphertext (report, messages, notes) is left in the database file, the WAL or the
// data folder, its receipt opens nothing, and what statistics count stays, with one content-free
// audit entry. The CLI lists what would go (--dry-run, changing nothing) and purges.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, caseEvents, caseMessages, caseNotes, cases, referrals, teams, uploads } from '../../db/schema.ts';
import { receiptKeys, sealReply } from '../../client/report/follow-up-crypto.ts';
import { AD_LABEL, sealEnvelope, type KeyPair } from '../../protocol/envelope.ts';
import { sealMessage } from '../../protocol/messages.ts';
import { teamSigningKeys } from '../../protocol/signing.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import { addDays, today } from '../../server/services/deadlines.ts';
import { purgeCandidates, purgeExpiredCases } from '../../server/services/retention.ts';
import { dataFolderBytes, makeTestApp, type TestApp } from '../helpers/app.ts';
import { caseRow, submitReport } from '../helpers/cases.ts';
import { createDeskUser, defaultTeamId, heldTeamKey, setupAdmin, signIn, type SignedIn } from '../helpers/desk.ts';
import { sealWithFiles, uploadFile } from '../helpers/evidence.ts';

const run = promisify(execFile);
const cli = (args: string[], dataDir: string) =>
  run('node', ['--import', 'tsx', 'server/cli.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir } })
    .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);

let t: TestApp;
let as: SignedIn;
let teamId: string;
let teamPair: KeyPair;
beforeAll(async () => {
  t = await makeTestApp({ config: { submitRateLimit: 100 } });
  const admin = await setupAdmin(t.db);
  teamId = defaultTeamId(t.db);
  teamPair = await heldTeamKey(t.db, teamId, { ...admin.keys, id: admin.id });
  const worker = await createDeskUser(t.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [teamId], granter: { ...admin.keys, id: admin.id } });
  as = await signIn(t.app, worker);
});
afterAll(async () => { await t.close(); });

/** A case with a long report (overflow pages), a message each way, a note and a referral, closed `daysAgo` days ago. */
async function fullCase(daysAgo: number) {
  const { caseId, receipt } = await submitReport(t, { narrative: `${'Long account of what happened. '.repeat(400)}`, consentShareData: 'yes' });
  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, headers: { cookie: as.cookie, 'x-csrf-token': as.csrf } });
  const row = caseRow(t, caseId);
  const team = fromBase64Url(t.intake().routing.teams[0]!.publicKey)!;
  await post(`/api/cases/${caseId}/status`, { status: 'triaged' });
  await post(`/api/cases/${caseId}/messages`, { envelope: await sealMessage(caseId, 'to_reporter', 'Hello', [fromBase64Url(row.reporterPublicKey)!, team], (await teamSigningKeys(teamPair.privateKey)).signingKey) });
  await post(`/api/cases/${caseId}/notes`, { envelope: await sealEnvelope(AD_LABEL.note, { caseId }, { text: 'note' }, [team]) });
  expect((await post(`/api/cases/${caseId}/referrals`, { pathwayId: 'edps', sentOn: today(), bodyReference: 'EDPS-2026-77', sharePersonalData: true })).statusCode).toBe(201);
  const keys = await receiptKeys(receipt, t.intake().receiptSalt);
  const { token, case: view } = (await t.app.inject({ method: 'POST', url: '/api/follow-up/open', payload: { authToken: keys.authToken } })).json();
  await t.app.inject({ method: 'POST', url: '/api/follow-up/messages', headers: { authorization: `Bearer ${token}` }, payload: { envelope: await sealReply(caseId, 'Thanks', view.replyTo, keys) } });
  await t.app.inject({ method: 'PUT', url: `/api/cases/${caseId}/coding`, payload: { codedCategory: 'data_protection', codedSystemType: 'iris_scan', deployerClass: 'un_agency', deploymentId: null }, headers: { cookie: as.cookie, 'x-csrf-token': as.csrf } });
  await post(`/api/cases/${caseId}/status`, { status: 'closed', outcome: 'referred_out' });
  t.db.update(cases).set({ closedOn: addDays(today(), -daysAgo) }).where(eq(cases.id, caseId)).run();
  const secrets = [
    caseRow(t, caseId).envelope.ciphertext, caseRow(t, caseId).receiptAuthHash, caseRow(t, caseId).reporterPublicKey, 'EDPS-2026-77',
    caseRow(t, caseId).reporterSigningKey!, caseRow(t, caseId).reporterPin!,
    ...t.db.select().from(caseMessages).where(eq(caseMessages.caseId, caseId)).all().map((m) => m.envelope.ciphertext),
    ...t.db.select().from(caseNotes).where(eq(caseNotes.caseId, caseId)).all().map((n) => n.envelope.ciphertext),
  ];
  expect(secrets.length).toBe(9);
  return { caseId, receipt, keys, secrets };
}

/** Pieces of each secret: a stored ciphertext may be split across pages, so look for short runs. */
const pieces = (secret: string) => [0, 1, 2].map((i) => secret.slice(i * 40, i * 40 + 40)).filter((p) => p.length >= 20);

describe('purge', () => {
  it('removes every trace of the content from the data folder, keeps what statistics count, and audits it', async () => {
    const kept = await fullCase(100); // within the team's 365 days
    const gone = await fullCase(400);
    const folder = () => dataFolderBytes(t.dataDir);
    for (const secret of gone.secrets) for (const piece of pieces(secret)) expect(folder()).toContain(piece);
    expect(purgeCandidates(t.db).map((c) => c.id)).toEqual([gone.caseId]);

    const purged = purgeExpiredCases(t.db, 'system', new Date(), t.app.files.dir);
    expect(purged.map((c) => c.id)).toEqual([gone.caseId]);
    const bytes = folder();
    for (const secret of gone.secrets) for (const piece of pieces(secret)) expect(bytes, piece).not.toContain(piece);
    for (const piece of pieces(kept.secrets[0]!)) expect(bytes).toContain(piece); // the other case is untouched

    const row = caseRow(t, gone.caseId);
    expect(row).toMatchObject({
      status: 'purged', purgedOn: today(), outcome: 'referred_out', category: 'biometric_lockout', country: 'JO',
      codedCategory: 'data_protection', codedSystemType: 'iris_scan', deployerClass: 'un_agency', reporterPublicKey: '',
    });
    expect(row.envelope).toEqual({ v: 1, nonce: '', ciphertext: '', recipients: [] });
    for (const table of [caseMessages, caseNotes, caseEvents]) expect(t.db.select().from(table).where(eq(table.caseId, gone.caseId)).all()).toEqual([]);
    expect(t.db.select().from(referrals).where(eq(referrals.caseId, gone.caseId)).all()).toMatchObject([{ pathwayId: 'edps', bodyReference: null }]);
    const [entry] = t.db.select().from(auditLog).where(eq(auditLog.action, 'case.purged')).all();
    expect(entry).toMatchObject({ actor: 'system', subject: gone.caseId });
    expect(JSON.parse(entry!.detail)).toEqual({ closedOn: addDays(today(), -400), retentionDays: '365' });

    // The receipt opens nothing; the team learns the case was purged; the queue no longer lists it.
    expect((await t.app.inject({ method: 'POST', url: '/api/follow-up/open', payload: { authToken: gone.keys.authToken } })).statusCode).toBe(401);
    const view = await t.app.inject({ url: `/api/cases/${gone.caseId}`, headers: { cookie: as.cookie } });
    expect(view.statusCode).toBe(410);
    expect(view.json().code).toBe('case_purged');
    const queue = (await t.app.inject({ url: '/api/cases', headers: { cookie: as.cookie } })).json();
    expect(queue.items.map((i: { id: string }) => i.id)).not.toContain(gone.caseId);
    expect(purgeExpiredCases(t.db, 'system', new Date(), t.app.files.dir)).toEqual([]); // nothing twice
  });

  it('removes the encrypted files of the report and of its messages, and only those', async () => {
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, headers: { cookie: as.cookie, 'x-csrf-token': as.csrf } });
    /** A report with a file, and a message to the reporter with another; returns the case id and the files' ids. */
    async function caseWithFiles(fill: number) {
      const photo = await uploadFile(t.app, new Uint8Array(70_000).fill(fill), 'letter.jpg', 'image/jpeg');
      const sealed = await sealWithFiles(t.intake(), [photo.ref]);
      expect((await t.app.inject({ method: 'POST', url: '/api/reports', payload: sealed.body })).statusCode).toBe(201);
      const caseId = t.db.select().from(uploads).where(eq(uploads.id, photo.ref.id)).get()!.caseId!;
      const reply = await uploadFile(t.app, new Uint8Array(5_000).fill(fill + 1), 'decision.pdf');
      const team = fromBase64Url(t.intake().routing.teams[0]!.publicKey)!;
      const envelope = await sealMessage(caseId, 'to_reporter', 'Here is the decision', [fromBase64Url(caseRow(t, caseId).reporterPublicKey)!, team],
        (await teamSigningKeys(teamPair.privateKey)).signingKey, [reply.ref]);
      expect((await post(`/api/cases/${caseId}/messages`, { envelope, attachments: [reply.ref.id] })).statusCode).toBe(201);
      await post(`/api/cases/${caseId}/status`, { status: 'triaged' });
      expect((await post(`/api/cases/${caseId}/status`, { status: 'closed', outcome: 'referred_out' })).statusCode).toBe(200);
      return { caseId, files: [photo, reply] };
    }
    const kept = await caseWithFiles(1);
    const gone = await caseWithFiles(3);
    t.db.update(cases).set({ closedOn: addDays(today(), -400) }).where(eq(cases.id, gone.caseId)).run();
    const path = (id: string) => join(t.app.files.dir, id);
    for (const f of gone.files) expect(readFileSync(path(f.ref.id)).equals(Buffer.from(f.encrypted))).toBe(true);

    expect(purgeExpiredCases(t.db, 'system', new Date(), t.app.files.dir).map((c) => c.id)).toEqual([gone.caseId]);
    for (const f of gone.files) expect(existsSync(path(f.ref.id)), f.ref.name).toBe(false);
    expect(t.db.select().from(uploads).where(eq(uploads.caseId, gone.caseId)).all()).toEqual([]);
    for (const f of kept.files) expect(readFileSync(path(f.ref.id)).equals(Buffer.from(f.encrypted))).toBe(true);
    expect(t.db.select().from(uploads).where(eq(uploads.caseId, kept.caseId)).all()).toHaveLength(2);
    t.db.update(cases).set({ closedOn: today() }).where(eq(cases.id, kept.caseId)).run();
  });

  it('follows each team\'s retention period', async () => {
    const recent = await fullCase(40);
    expect(purgeCandidates(t.db).map((c) => c.id)).not.toContain(recent.caseId);
    t.db.update(teams).set({ retentionDays: 30 }).where(eq(teams.id, teamId)).run();
    expect(purgeCandidates(t.db).map((c) => c.id)).toContain(recent.caseId);
    t.db.update(teams).set({ retentionDays: 365 }).where(eq(teams.id, teamId)).run();
  });

  it('is listed by the CLI with --dry-run, which changes nothing, and done by the CLI without it', async () => {
    const due = await fullCase(500);
    const reference = caseRow(t, due.caseId).reference!;
    const dry = await cli(['purge', '--dry-run'], t.dataDir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(reference);
    expect(dry.stdout).toMatch(/1 closed case\(s\) would be purged/);
    expect(caseRow(t, due.caseId).status).toBe('closed');
    const real = await cli(['purge'], t.dataDir);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/1 closed case\(s\) purged/);
    expect(caseRow(t, due.caseId).status).toBe('purged');
    const bytes = dataFolderBytes(t.dataDir);
    for (const secret of due.secrets) for (const piece of pieces(secret)) expect(bytes).not.toContain(piece);
  });
});
