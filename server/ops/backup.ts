// `backup DIR`: a consistent online copy while the server keeps serving. The database is
// snapshotted in one read transaction (VACUUM INTO), then DATA_DIR/attachments is copied; every
// file is encrypted to the recovery key unless asked not to; manifest.json is written last, so a
// folder without one is an interrupted backup.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync, copyFileSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import Database from 'better-sqlite3';
import { appliedMigrations, DATABASE_FILE } from '../../db/index.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { keyId } from '../../protocol/envelope.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import {
  BACKUP_FORMAT, BACKUP_VERSION, CHUNK_BYTES, ENCRYPTION_SCHEME, MANIFEST, encryptFile, readChunks, type BackupFile, type Manifest,
} from './backup-format.ts';

export class OpsError extends Error {}

export interface BackupOptions { dataDir: string; target: string; encrypt: boolean; version: string }
export interface BackupResult { manifest: Manifest; manifestSha256: string; target: string }

function fsyncPath(path: string) {
  const fd = openSync(path, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** Files under DATA_DIR/attachments, relative to DATA_DIR, with "/" separators. Links are refused, not followed. */
function attachmentFiles(dataDir: string): string[] {
  const root = join(dataDir, 'attachments');
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) found.push(relative(dataDir, path).split(sep).join('/'));
      else throw new OpsError(`${path} is not a regular file or folder; a backup copies only those.`);
    }
  };
  walk(root);
  return found;
}

/** The backup folder: created, or an existing empty folder; never one with anything in it. */
function prepareTarget(target: string, dataDir: string): void {
  const rel = relative(dataDir, target);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new OpsError(`The backup folder ${target} is inside DATA_DIR (${dataDir}); choose a folder outside it.`);
  }
  try {
    if (existsSync(target)) {
      if (!statSync(target).isDirectory()) throw new OpsError(`${target} exists and is not a folder.`);
      const entries = readdirSync(target);
      if (entries.length) throw new OpsError(`The backup folder ${target} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); give a new or empty folder, so no earlier backup is overwritten.`);
    } else {
      mkdirSync(target, { recursive: true, mode: 0o700 });
    }
    // A write test now, rather than a failure after minutes of copying.
    const probe = join(target, `.write-test-${randomBytes(4).toString('hex')}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    if (err instanceof OpsError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new OpsError(`Cannot write the backup to ${target} (${e.code ?? e.message}). Choose a folder this user can write.`);
  }
}

export async function makeBackup(options: BackupOptions): Promise<BackupResult> {
  const dataDir = resolve(options.dataDir);
  const target = resolve(options.target);
  const dbPath = join(dataDir, DATABASE_FILE);
  if (!existsSync(dbPath)) throw new OpsError(`There is no database at ${dbPath}: check DATA_DIR.`);
  prepareTarget(target, dataDir);

  const source = new Database(dbPath, { fileMustExist: true });
  source.pragma('busy_timeout = 10000');
  const created: string[] = [];
  // Encrypted backups are snapshotted inside DATA_DIR first, so no plaintext copy ever reaches the backup's storage.
  const snapshot = options.encrypt ? join(dataDir, `.backup-${randomBytes(6).toString('hex')}.sqlite`) : join(target, `${DATABASE_FILE}.partial`);
  try {
    const org = source.prepare('select recovery_public_key as publicKey, recovery_kid as kid from organisation limit 1').get() as
      { publicKey: string; kid: string } | undefined;
    if (options.encrypt && !org) throw new OpsError('This instance is not set up, so there is no recovery key to encrypt to. Use --unencrypted (an instance without setup holds no cases).');
    const migrations = appliedMigrations(source);
    // One read transaction: the copy is the database as of one instant, whatever the server writes meanwhile.
    source.prepare('VACUUM INTO ?').run(snapshot);
    if (!options.encrypt) created.push(snapshot);
    fsyncPath(snapshot);
    const check = new Database(snapshot, { readonly: true });
    const integrity = check.pragma('integrity_check', { simple: true });
    check.close();
    if (integrity !== 'ok') throw new OpsError(`The snapshot failed its integrity check (${String(integrity)}); the live database may be damaged.`);

    const files: BackupFile[] = [];
    let encryption: Manifest['encryption'] = null;
    let key: Uint8Array | null = null;
    if (options.encrypt && org) {
      const sodium = await sodiumReady();
      const recoveryPublicKey = fromBase64Url(org.publicKey);
      if (!recoveryPublicKey || (await keyId(recoveryPublicKey)) !== org.kid) throw new OpsError('The stored recovery public key does not match its key id; not encrypting to it.');
      key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
      encryption = { scheme: ENCRYPTION_SCHEME, recoveryKid: org.kid, sealedKey: toBase64Url(sodium.crypto_box_seal(key, recoveryPublicKey)), chunkBytes: CHUNK_BYTES };
    }
    const store = async (path: string, from: string) => {
      const stored = key ? `${path}.enc` : path;
      const to = join(target, stored);
      mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
      created.push(to);
      let sums: { bytes: number; sha256: string };
      if (key) {
        sums = await encryptFile(from, to, path, key);
      } else {
        if (from !== to) copyFileSync(from, to);
        fsyncPath(to);
        sums = readChunks(to, CHUNK_BYTES);
      }
      files.push({ path, stored, ...sums });
    };
    if (key) {
      await store(DATABASE_FILE, snapshot);
    } else {
      renameSync(snapshot, join(target, DATABASE_FILE));
      created.push(join(target, DATABASE_FILE));
      await store(DATABASE_FILE, join(target, DATABASE_FILE));
    }
    // After the snapshot: every attachment it refers to was written before it, so it is here.
    for (const path of attachmentFiles(dataDir)) await store(path, join(dataDir, path));
    if (key) key.fill(0);

    const manifest: Manifest = {
      format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString(), redress: options.version,
      migrations, encryption, files,
    };
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    const partial = join(target, `${MANIFEST}.partial`);
    created.push(partial);
    writeFileSync(partial, text, { mode: 0o600 });
    fsyncPath(partial);
    renameSync(partial, join(target, MANIFEST));
    fsyncPath(target);
    return { manifest, manifestSha256: createHash('sha256').update(readFileSync(join(target, MANIFEST))).digest('hex'), target };
  } catch (err) {
    // Leave no half backup that could pass for a whole one (it has no manifest either way).
    for (const path of created.reverse()) rmSync(path, { force: true });
    if (err instanceof OpsError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new OpsError(`The backup failed (${e.code ? `${e.code}: ` : ''}${e.message}); nothing usable was left in ${target}.`);
  } finally {
    source.close();
    if (options.encrypt) rmSync(snapshot, { force: true });
  }
}
