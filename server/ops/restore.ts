// `restore DIR`: checks a backup completely (manifest, every checksum, decryption with the kit,
// the database's integrity and schema) in a staging folder beside DATA_DIR, and only then moves it
// into an empty DATA_DIR. Anything wrong: a clear reason, and nothing in DATA_DIR touched.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import Database from 'better-sqlite3';
import { appliedMigrations, DATABASE_FILE, knownMigrations, newerMigrations, tooNewMessage } from '../../db/index.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import { keyId } from '../../protocol/envelope.ts';
import { recoveryKeyPairFromKit } from '../../protocol/keys.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import { CHUNK_BYTES, MANIFEST, decryptFile, manifestProblem, readChunks, type Manifest } from './backup-format.ts';
import { OpsError } from './backup.ts';

export interface RestoreOptions { source: string; dataDir: string; kitText?: string; manifestSha256?: string }
export interface RestoreResult { cases: number; pendingMigrations: number; encrypted: boolean }

function listFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else found.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return found;
}

/** The manifest, and every stored file checked against it, before anything is written. */
function checkBackup(source: string, expectedSha256?: string): Manifest {
  if (!existsSync(source) || !statSync(source).isDirectory()) throw new OpsError(`${source} is not a folder.`);
  const manifestPath = join(source, MANIFEST);
  if (!existsSync(manifestPath)) throw new OpsError(`${source} has no ${MANIFEST}: it is not a Redress backup, or the backup did not finish.`);
  const raw = readFileSync(manifestPath);
  const digest = createHash('sha256').update(raw).digest('hex');
  if (expectedSha256 && digest !== expectedSha256.trim().toLowerCase()) {
    throw new OpsError(`The manifest's SHA-256 is ${digest}, not the ${expectedSha256} you expected: this is not the backup you recorded.`);
  }
  let manifest: unknown;
  try { manifest = JSON.parse(raw.toString('utf8')); } catch { throw new OpsError(`${MANIFEST} is not valid JSON: the backup is damaged.`); }
  const problem = manifestProblem(manifest);
  if (problem) throw new OpsError(`Refusing the backup: ${problem}.`);
  const m = manifest as Manifest;
  const listed = new Set([MANIFEST, ...m.files.map((f) => f.stored)]);
  const extra = listFiles(source).filter((f) => !listed.has(f));
  if (extra.length) throw new OpsError(`Refusing the backup: it holds files its manifest does not list (${extra.slice(0, 3).join(', ')}).`);
  for (const file of m.files) {
    const path = join(source, file.stored);
    if (!existsSync(path) || !lstatSync(path).isFile()) throw new OpsError(`Refusing the backup: ${file.stored} is missing.`);
    const sums = readChunks(path, CHUNK_BYTES);
    if (sums.bytes !== file.bytes) throw new OpsError(`Refusing the backup: ${file.stored} has ${sums.bytes} bytes, the manifest says ${file.bytes} (truncated or damaged).`);
    if (sums.sha256 !== file.sha256) throw new OpsError(`Refusing the backup: the checksum of ${file.stored} does not match the manifest (damaged or altered).`);
  }
  return m;
}

/** DATA_DIR must be missing or an empty folder; returns whether it exists. */
function checkTargetEmpty(dataDir: string): boolean {
  if (!existsSync(dataDir)) return false;
  if (!statSync(dataDir).isDirectory()) throw new OpsError(`DATA_DIR ${dataDir} exists and is not a folder.`);
  const entries = readdirSync(dataDir);
  if (entries.length) {
    throw new OpsError(`DATA_DIR ${dataDir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}). ` +
      'Restore only into an empty or new folder, so nothing is overwritten: point DATA_DIR elsewhere, or move the old data away first.');
  }
  return true;
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const source = resolve(options.source);
  const dataDir = resolve(options.dataDir);
  checkTargetEmpty(dataDir);
  const manifest = checkBackup(source, options.manifestSha256);

  let key: Uint8Array | null = null;
  if (manifest.encryption) {
    if (!options.kitText) throw new OpsError('This backup is encrypted to the recovery key: give the recovery kit with --recovery-kit FILE.');
    const recovery = await recoveryKeyPairFromKit(options.kitText);
    if (!recovery) throw new OpsError('The recovery kit file holds no recovery key line (redress-recovery-v1:…).');
    if ((await keyId(recovery.publicKey)) !== manifest.encryption.recoveryKid) {
      throw new OpsError(`This recovery kit is not the one the backup was encrypted to (key id ${manifest.encryption.recoveryKid}).`);
    }
    const sodium = await sodiumReady();
    const sealed = fromBase64Url(manifest.encryption.sealedKey);
    try {
      key = sealed ? sodium.crypto_box_seal_open(sealed, recovery.publicKey, recovery.privateKey) : null;
    } catch { key = null; }
    recovery.privateKey.fill(0);
    if (!key) throw new OpsError('The backup key does not open with this recovery kit: the manifest was altered.');
  }

  // Staged beside DATA_DIR (same file system, so the final move is a rename), never inside it.
  const parent = dirname(dataDir);
  try { mkdirSync(parent, { recursive: true }); } catch { /* reported by the next step */ }
  const staging = join(parent, `.${basename(dataDir)}.restore-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(staging, { mode: 0o700 });
  } catch (err) {
    throw new OpsError(`Cannot write next to DATA_DIR, in ${parent} (${(err as NodeJS.ErrnoException).code}).`);
  }
  try {
    for (const file of manifest.files) {
      const to = join(staging, ...file.path.split('/'));
      mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
      if (key) {
        if (!(await decryptFile(join(source, file.stored), to, file.path, key))) {
          throw new OpsError(`Refusing the backup: ${file.stored} does not decrypt (altered, truncated or mixed up with another file).`);
        }
      } else {
        copyFileSync(join(source, file.stored), to);
      }
    }
    key?.fill(0);
    const db = new Database(join(staging, DATABASE_FILE), { readonly: true });
    let cases = 0;
    let pendingMigrations = 0;
    try {
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new OpsError(`Refusing the backup: its database fails the integrity check (${String(integrity)}).`);
      const applied = appliedMigrations(db);
      const known = knownMigrations();
      const newer = newerMigrations(applied, known);
      if (newer.length) throw new OpsError(tooNewMessage('This backup', newer, known));
      const last = Math.max(0, ...applied.map((m) => m.createdAt));
      pendingMigrations = known.filter((m) => m.folderMillis > last).length;
      const hasCases = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'cases'").get();
      cases = hasCases ? (db.prepare('select count(*) as n from cases').get() as { n: number }).n : 0;
    } catch (err) {
      if (err instanceof OpsError) throw err;
      throw new OpsError(`Refusing the backup: its database cannot be read (${(err as Error).message}).`);
    } finally {
      db.close();
    }
    // Checked again just before moving: nothing may have arrived in DATA_DIR meanwhile.
    if (checkTargetEmpty(dataDir)) {
      for (const name of readdirSync(staging)) renameSync(join(staging, name), join(dataDir, name));
      rmdirSync(staging);
    } else {
      renameSync(staging, dataDir);
    }
    return { cases, pendingMigrations, encrypted: Boolean(manifest.encryption) };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (err instanceof OpsError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new OpsError(`The restore failed (${e.code ? `${e.code}: ` : ''}${e.message}); DATA_DIR was not changed.`);
  }
}
