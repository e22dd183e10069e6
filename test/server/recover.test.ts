// `npm run cli -- recover`, run as a real process: the kit gives a new admin every team key, current
// and retired, so cases sealed before a rotation open too; a kit of another organisation, an email
// already in use and a short password are refused and change nothing.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/index.ts';
import { auditLog, cases, grants, teamKeys, teamMembers, users } from '../../db/schema.ts';
import { AD_LABEL, openEnvelope } from '../../protocol/envelope.ts';
import { WRAP_LABEL, derivePasswordKeys, generateKeyPair, openGrant, recoveryKeyPairFromKit, sealGrant, unwrapSecret } from '../../protocol/keys.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import { formatRecoveryKit } from '../../protocol/setup.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { keyId } from '../../protocol/envelope.ts';
import { teamVerifyKey } from '../../protocol/signing.ts';
import { acceptReport } from '../../server/services/reports.ts';
import { caseBinding } from '../../server/services/cases.ts';
import { buildIntake, invalidateOrganisation } from '../../server/services/organisation.ts';
import { setupOrganisation } from '../../server/services/setup.ts';
import { validForm, MARKER } from '../fixtures/report.ts';

const run = promisify(execFile);
const cli = (args: string[], dataDir: string) =>
  run('node', ['--import', 'tsx', 'server/cli.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir } })
    .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);

let dir: string;
let data: string;
let kitPath: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'redress-recover-'));
  data = join(dir, 'data');
  kitPath = join(dir, 'kit.txt');
  const db = openDatabase(data);
  writeFileSync(kitPath, await setupOrganisation(db, { organisationName: 'Border Watch', adminEmail: 'lost@example.org', password: 'a password nobody remembers' }));
  // One case on the first key, then a rotation (sealed to the recovery key only), then a case on the new key.
  await fileReport(db);
  const old = db.select().from(teamKeys).get()!;
  const next = await generateKeyPair();
  const recovery = (await recoveryKeyPairFromKit(readFileSync(kitPath, 'utf8')))!;
  const recoveryGrant = await sealGrant(next.privateKey, recovery.publicKey);
  db.update(teamKeys).set({ retiredAt: new Date().toISOString() }).where(eq(teamKeys.id, old.id)).run();
  db.insert(teamKeys).values({ id: 'rotated-key', teamId: old.teamId, publicKey: toBase64Url(next.publicKey), kid: await keyId(next.publicKey), verifyKey: null, createdAt: new Date().toISOString() }).run();
  db.insert(grants).values({ id: 'rotated-recovery', teamKeyId: 'rotated-key', userId: null, sealedPrivateKey: recoveryGrant, grantedBy: null, createdAt: new Date().toISOString() }).run();
  invalidateOrganisation(db);
  await fileReport(db);
  db.$client.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function fileReport(db: Db) {
  const sealed = await sealSubmission(validForm(), 'en', buildIntake(db)!);
  await acceptReport(db, sealed.body, 'browser');
}

describe('recover', () => {
  it('refuses a kit of another organisation, an email in use and a short password, changing nothing', async () => {
    const stranger = await generateKeyPair();
    writeFileSync(join(dir, 'other-kit'), formatRecoveryKit('Other', await keyId(stranger.publicKey), toBase64Url(stranger.privateKey), new Date().toISOString()));
    writeFileSync(join(dir, 'pw'), 'a brand new long password\n');
    writeFileSync(join(dir, 'short'), 'short\n');
    const other = await cli(['recover', '--recovery-kit', join(dir, 'other-kit'), '--admin', 'new@example.org', '--password-file', join(dir, 'pw')], data);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/another organisation/);
    const taken = await cli(['recover', '--recovery-kit', kitPath, '--admin', 'Lost@Example.org', '--password-file', join(dir, 'pw')], data);
    expect(taken.stderr).toMatch(/already exists/);
    const short = await cli(['recover', '--recovery-kit', kitPath, '--admin', 'new@example.org', '--password-file', join(dir, 'short')], data);
    expect(short.stderr).toMatch(/12 characters/);
    const db = openDatabase(data);
    expect(db.select().from(users).all()).toHaveLength(1);
    db.$client.close();
  });

  it('gives a new admin every team key, current and retired, so every case opens', async () => {
    const res = await cli(['recover', '--recovery-kit', kitPath, '--admin', 'new@example.org', '--password-file', join(dir, 'pw')], data);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/member of 1 team\(s\), holding 2 team key\(s\)/);
    const db = openDatabase(data);
    try {
      const admin = db.select().from(users).where(eq(users.email, 'new@example.org')).get()!;
      expect(admin.role).toBe('admin');
      expect(admin.totpSecret).toBeNull(); // enrolled at the first sign-in
      expect(db.select().from(teamMembers).where(eq(teamMembers.userId, admin.id)).all()).toHaveLength(1);
      const { wrapKey } = await derivePasswordKeys('a brand new long password', { salt: admin.kdfSalt, opslimit: admin.kdfOpslimit, memlimit: admin.kdfMemlimit });
      const account = { privateKey: (await unwrapSecret(admin.wrappedPrivateKey, wrapKey, WRAP_LABEL.userPrivateKey))!, publicKey: fromBase64Url(admin.publicKey)! };
      for (const row of db.select().from(cases).all()) {
        const grant = db.select().from(grants).where(and(eq(grants.teamKeyId, row.teamKeyId), eq(grants.userId, admin.id))).get()!;
        const team = (await openGrant(grant.sealedPrivateKey, account))!;
        const content = await openEnvelope<{ narrative: string }>(AD_LABEL.report, caseBinding(row), row.envelope, team);
        expect(content?.narrative).toContain(MARKER);
      }
      // The rotated key had no verify key: the kit gave it one, derived from the key itself.
      const rotated = db.select().from(teamKeys).where(isNull(teamKeys.retiredAt)).get()!;
      const opened = (await openGrant(db.select().from(grants).where(and(eq(grants.teamKeyId, rotated.id), eq(grants.userId, admin.id))).get()!.sealedPrivateKey, account))!;
      expect(rotated.verifyKey).toBe(await teamVerifyKey(opened.privateKey));
      expect(db.select().from(auditLog).all().at(-1)).toMatchObject({ action: 'account.recovered', actor: admin.id });
    } finally {
      db.$client.close();
    }
    expect((await cli(['verify-audit'], data)).code).toBe(0);
  });
});
