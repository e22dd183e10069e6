// backup and restore as an operator runs them (the CLI as a process, while the app keeps taking
// reports): a round trip whose case opens with the kit afterwards, and every refusal of the issue
// (a non-empty DATA_DIR, a truncated, altered or newer backup, the wrong kit, an unwritable folder).
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { MARKER } from '../fixtures/report.ts';
import { cli, openEveryCase, quickSubmission } from './helpers.ts';
import { recoveryKeyPairFromKit } from '../../protocol/keys.ts';

let t: TestApp;
let dir: string;
let kitFile: string;
let encrypted: string;
let plain: string;
const ATTACHMENT = 'attachments/2026/ab12.bin';

const submit = async (narrative: string) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: await quickSubmission(t.intake(), narrative) });
  expect(res.statusCode).toBe(201);
};
const copyOf = (from: string, name: string) => {
  cpSync(from, join(dir, name), { recursive: true });
  return join(dir, name);
};
const manifestOf = (backup: string) => JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8'));
const rewriteChecksum = (backup: string, stored: string) => {
  const manifest = manifestOf(backup);
  const file = manifest.files.find((f: { stored: string }) => f.stored === stored);
  const bytes = readFileSync(join(backup, stored));
  Object.assign(file, { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  writeFileSync(join(backup, 'manifest.json'), JSON.stringify(manifest));
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'redress-backup-'));
  t = await makeTestApp({ config: { submitRateLimit: 10_000 } });
  kitFile = join(dir, 'kit.txt');
  writeFileSync(kitFile, t.kit!);
  for (let i = 0; i < 5; i++) await submit(`report ${i} ${MARKER}`);
  mkdirSync(join(t.dataDir, 'attachments', '2026'), { recursive: true });
  writeFileSync(join(t.dataDir, ATTACHMENT), Buffer.concat([Buffer.from(MARKER), randomish(200_000)]));

  // The backup runs while the server keeps accepting reports.
  encrypted = join(dir, 'enc');
  const during = (async () => { for (let i = 0; i < 20; i++) await submit(`during ${i}`); })();
  const res = await cli(['backup', encrypted], t.dataDir);
  await during;
  expect(res.code, res.stderr).toBe(0);
  expect(res.stdout).toMatch(/encrypted to the recovery key/);
  expect(res.stdout).toMatch(/Manifest SHA-256: [0-9a-f]{64}/);
  plain = join(dir, 'plain');
  const res2 = await cli(['backup', plain, '--unencrypted'], t.dataDir);
  expect(res2.code, res2.stderr).toBe(0);
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

function randomish(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7919) % 251;
  return b;
}

describe('backup', () => {
  it('writes a manifest with checksums, and nothing readable without the kit', () => {
    const manifest = manifestOf(encrypted);
    expect(manifest).toMatchObject({ format: 'redress-backup', version: 1, encryption: { recoveryKid: t.intake().recovery.kid } });
    expect(manifest.files.map((f: { path: string }) => f.path).sort()).toEqual([ATTACHMENT, 'redress.sqlite']);
    expect(manifest.migrations.length).toBeGreaterThan(0);
    for (const f of manifest.files) {
      const bytes = readFileSync(join(encrypted, f.stored));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      expect(bytes.toString('latin1')).not.toContain('SQLite format 3');
      expect(bytes.toString('latin1')).not.toContain(MARKER);
      expect(bytes.toString('latin1')).not.toContain('admin@example.org');
    }
    expect(existsSync(join(t.dataDir, 'redress.sqlite'))).toBe(true);
    expect(readdirSync(t.dataDir).filter((f) => f.startsWith('.backup-'))).toEqual([]);
  });

  it('refuses a folder that is not empty, or one it cannot write', async () => {
    const res = await cli(['backup', plain], t.dataDir);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/is not empty/);
    writeFileSync(join(dir, 'a-file'), '');
    const notDir = await cli(['backup', join(dir, 'a-file', 'sub')], t.dataDir);
    expect(notDir.code).toBe(1);
    expect(notDir.stderr).toMatch(/Cannot write the backup to .*a-file\/sub \(ENOTDIR\)/);
    if (process.getuid?.() === 0) {
      // Root writes anywhere: run the CLI as nobody against a folder only root may write.
      const locked = join(dir, 'locked');
      mkdirSync(locked, { mode: 0o755 });
      chmodSync(dir, 0o755);
      chmodSync(t.dataDir, 0o755);
      const res3 = await cli(['backup', join(locked, 'b'), '--unencrypted'], t.dataDir, { uid: 65534, gid: 65534 });
      chmodSync(t.dataDir, 0o700);
      expect(res3.code).toBe(1);
      expect(res3.stderr).toMatch(/Cannot write the backup to .*locked\/b \(EACCES\)/);
    }
  });
});

describe('restore', () => {
  it('round trip: an encrypted backup restores with the kit, every case opens, the audit chain holds', async () => {
    const target = join(dir, 'restored');
    expect((await cli(['restore', encrypted], target)).stderr).toMatch(/give the recovery kit/);
    const res = await cli(['restore', encrypted, '--recovery-kit', kitFile, '--manifest-sha256', createHash('sha256').update(readFileSync(join(encrypted, 'manifest.json'))).digest('hex')], target);
    expect(res.code, res.stderr).toBe(0);
    const narratives = await openEveryCase(join(target, 'redress.sqlite'), (await recoveryKeyPairFromKit(t.kit!))!);
    expect(narratives.length).toBeGreaterThanOrEqual(5);
    expect(narratives.filter((n) => n?.includes(MARKER))).toHaveLength(5);
    expect(narratives).not.toContain(null);
    expect(readFileSync(join(target, ATTACHMENT))).toEqual(readFileSync(join(t.dataDir, ATTACHMENT)));
    const db = new Database(join(target, 'redress.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect((await cli(['verify-audit'], target)).code).toBe(0);
  });

  it('an unencrypted backup restores without the kit', async () => {
    const target = join(dir, 'restored-plain');
    const res = await cli(['restore', plain], target);
    expect(res.code, res.stderr).toBe(0);
    expect((await openEveryCase(join(target, 'redress.sqlite'), (await recoveryKeyPairFromKit(t.kit!))!)).filter((n) => n?.includes(MARKER))).toHaveLength(5);
  });

  it('refuses a DATA_DIR that is not empty, and leaves it as it was', async () => {
    const target = join(dir, 'occupied');
    mkdirSync(target);
    writeFileSync(join(target, 'redress.sqlite'), 'the live data');
    const res = await cli(['restore', plain], target);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/DATA_DIR .*occupied is not empty \(redress\.sqlite\)/);
    expect(readFileSync(join(target, 'redress.sqlite'), 'utf8')).toBe('the live data');
  });

  it('refuses a damaged file whose checksum no longer matches (plain: only the checksum can tell)', async () => {
    const backup = copyOf(plain, 'flipped');
    const bytes = readFileSync(join(backup, 'redress.sqlite'));
    bytes[bytes.length - 100]! ^= 0x01;
    writeFileSync(join(backup, 'redress.sqlite'), bytes);
    const res = await cli(['restore', backup], join(dir, 'from-flipped'));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/checksum of redress\.sqlite does not match/);
    expect(existsSync(join(dir, 'from-flipped'))).toBe(false);
  });

  it('refuses a truncated backup', async () => {
    const backup = copyOf(encrypted, 'truncated');
    truncateSync(join(backup, 'redress.sqlite.enc'), 4096);
    const res = await cli(['restore', backup, '--recovery-kit', kitFile], join(dir, 'from-truncated'));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/redress\.sqlite\.enc has 4096 bytes.*truncated/);
    // Cut short and the manifest made to agree: the stream's missing FINAL chunk still tells.
    rewriteChecksum(backup, 'redress.sqlite.enc');
    const res2 = await cli(['restore', backup, '--recovery-kit', kitFile], join(dir, 'from-truncated'));
    expect(res2.code).toBe(1);
    expect(res2.stderr).toMatch(/does not decrypt/);
    expect(existsSync(join(dir, 'from-truncated'))).toBe(false);
  });

  it('refuses an encrypted file altered with a matching checksum, a swapped file, the wrong kit, a wrong manifest digest, a stray file', async () => {
    const altered = copyOf(encrypted, 'altered');
    const bytes = readFileSync(join(altered, 'redress.sqlite.enc'));
    bytes[5000]! ^= 0x80;
    writeFileSync(join(altered, 'redress.sqlite.enc'), bytes);
    rewriteChecksum(altered, 'redress.sqlite.enc');
    expect((await cli(['restore', altered, '--recovery-kit', kitFile], join(dir, 'x1'))).stderr).toMatch(/does not decrypt/);

    const swapped = copyOf(encrypted, 'swapped');
    writeFileSync(join(swapped, `${ATTACHMENT}.enc`), readFileSync(join(swapped, 'redress.sqlite.enc')));
    rewriteChecksum(swapped, `${ATTACHMENT}.enc`);
    expect((await cli(['restore', swapped, '--recovery-kit', kitFile], join(dir, 'x2'))).stderr).toMatch(/attachments\/2026\/ab12\.bin\.enc does not decrypt/);

    const other = await makeTestApp();
    writeFileSync(join(dir, 'other-kit.txt'), other.kit!);
    await other.close();
    expect((await cli(['restore', encrypted, '--recovery-kit', join(dir, 'other-kit.txt')], join(dir, 'x3'))).stderr).toMatch(/not the one the backup was encrypted to/);
    expect((await cli(['restore', plain, '--manifest-sha256', '0'.repeat(64)], join(dir, 'x4'))).stderr).toMatch(/not the backup you recorded/);

    const stray = copyOf(plain, 'stray');
    writeFileSync(join(stray, 'extra.sqlite'), 'x');
    expect((await cli(['restore', stray], join(dir, 'x5'))).stderr).toMatch(/files its manifest does not list \(extra\.sqlite\)/);
    for (const x of ['x1', 'x2', 'x3', 'x4', 'x5']) expect(existsSync(join(dir, x))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.restore-'))).toEqual([]);
  });

  it('refuses a manifest that names a path outside DATA_DIR', async () => {
    const evil = copyOf(plain, 'traversal');
    const manifest = manifestOf(evil);
    manifest.files.push({ path: 'attachments/../../escape', stored: 'attachments/../../escape', bytes: 0, sha256: '0'.repeat(64) });
    writeFileSync(join(evil, 'manifest.json'), JSON.stringify(manifest));
    const res = await cli(['restore', evil], join(dir, 'x6'));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/unsafe path/);
  });

  it('refuses a backup from a newer release, naming the problem', async () => {
    const newer = copyOf(plain, 'newer');
    const db = new Database(join(newer, 'redress.sqlite'));
    db.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('f'.repeat(64), Date.UTC(2031, 0, 1));
    db.close();
    rewriteChecksum(newer, 'redress.sqlite');
    const res = await cli(['restore', newer], join(dir, 'x7'));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/This backup was written by a newer release of Redress: it has 1 migration\(s\), from 2031-01-01/);
    expect(existsSync(join(dir, 'x7'))).toBe(false);
  });
});
