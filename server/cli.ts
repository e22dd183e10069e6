// The operator's commands: `npm run cli -- <command>`. setup opens an instance without a
// browser; verify-audit checks the audit log's hash chain and names the first broken entry;
// backup and restore live in ops/ (consistent online copies, encrypted to the recovery key).
// purge applies the retention periods; pathways imports and lists the remedy directory.
// export-stats and import-deployments are in stats/cli-commands.ts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DatabaseError, openDatabase } from '../db/index.ts';
import { loadConfig } from './config.ts';
import { AppError } from './errors.ts';
import { verifyAuditChain } from './services/audit.ts';
import { getOrganisation } from './services/organisation.ts';
import { PathwayFileError, importPathways, listPathways, seedPathways } from './services/pathways.ts';
import { purgeCandidates, purgeExpiredCases } from './services/retention.ts';
import { setupOrganisation } from './services/setup.ts';
import { RECOVER_HELP, recover } from './cli/recover.ts';
import { ask } from './cli/prompt.ts';
import { OpsError, makeBackup } from './ops/backup.ts';
import { restoreBackup } from './ops/restore.ts';
import { redressVersion } from './ops/version.ts';
import { STATS_HELP, exportStatsCommand, importDeploymentsCommand } from './stats/cli-commands.ts';

const HELP = `Redress operator commands

Usage: npm run cli -- <command> [options]

Commands:
  setup          Create the organisation, the first admin and a default team.
                   --org NAME              organisation name
                   --admin EMAIL           the first admin's email address
                   --password-file FILE    a file holding the admin's password (first line)
                   --recovery-kit FILE     where to write the recovery kit (must not exist; mode 0600)
                 Missing options are asked for interactively. Refuses to run twice.
  verify-audit   Check the audit log's hash chain; names the first broken entry (exit 1).
  backup DIR     A consistent copy of DATA_DIR (database and attachments) into DIR, which must be
                 new or empty, while the server keeps running. Encrypted to the recovery key once
                 the instance is set up; prints the manifest's SHA-256 to keep elsewhere.
                   --unencrypted           do not encrypt (then guard the copy like the server's disk)
  restore DIR    Restore the backup in DIR into DATA_DIR, which must be missing or empty. Checks
                 every checksum, the database's integrity and schema first; refuses on any fault.
                   --recovery-kit FILE     the recovery kit, to open an encrypted backup
                   --manifest-sha256 HEX   refuse unless the manifest is the one backup printed
  purge          Purge closed cases past their team's retention period (content goes; coded
                 statistics fields and a content-free audit entry stay).
                   --dry-run               list what would be purged, change nothing
  pathways import FILE
                 Import a remedy-pathway directory file (a JSON array like db/seed/pathways.json).
                 Every entry is checked first; one problem (named with its line) stores nothing.
                 Entries with a known id are replaced; none is removed.
  pathways list [--json]
                 List the directory (--json: one JSON array with every field).
${STATS_HELP}
${RECOVER_HELP}  help           Show this help.

Environment: DATA_DIR (default ./data) selects the instance.
`;

async function setup(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { org: { type: 'string' }, admin: { type: 'string' }, 'password-file': { type: 'string' }, 'recovery-kit': { type: 'string' } },
  });
  const config = loadConfig();
  const db = openDatabase(config.dataDir);
  try {
    if (getOrganisation(db)) {
      console.error('This instance is already set up. Setup runs only once.');
      return 1;
    }
    const organisationName = values.org ?? (await ask('Organisation name: '));
    const adminEmail = values.admin ?? (await ask('First admin email: '));
    let password: string;
    if (values['password-file']) {
      password = readFileSync(values['password-file'], 'utf8').split(/\r?\n/)[0] ?? '';
    } else {
      password = await ask('Admin password (min. 12 characters): ', true);
      if ((await ask('Repeat the password: ', true)) !== password) {
        console.error('The passwords differ.');
        return 1;
      }
    }
    const kitPath = values['recovery-kit'] ?? (await ask('Write the recovery kit to (file path): '));
    if (!kitPath) {
      console.error('A path for the recovery kit is required.');
      return 1;
    }
    if (existsSync(kitPath)) {
      console.error(`${kitPath} already exists; choose a new file so no older kit is overwritten.`);
      return 1;
    }
    const kit = await setupOrganisation(db, { organisationName, adminEmail, password });
    writeFileSync(kitPath, kit, { mode: 0o600, flag: 'wx' });
    console.log(`Redress is set up for ${organisationName}. Admin: ${adminEmail.trim().toLowerCase()}.`);
    console.log(`The recovery kit is in ${kitPath} (readable by you only).`);
    console.log('Print it or move it offline now, then delete the file: without it, losing every admin password means losing every case.');
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      const reasons: Record<string, string> = {
        already_set_up: 'This instance is already set up.',
        invalid_email: 'The admin email address is not valid.',
        invalid_organisation_name: 'The organisation name is empty or too long.',
        password_too_short: 'The password must be at least 12 characters.',
      };
      console.error(reasons[err.code] ?? err.code);
      return 1;
    }
    throw err;
  } finally {
    db.$client.close();
  }
}

function verifyAudit(): number {
  const db = openDatabase(loadConfig().dataDir);
  try {
    const result = verifyAuditChain(db);
    if (result.ok) {
      console.log(`Audit log intact: ${result.entries} entries.`);
      return 0;
    }
    console.error(`Audit log BROKEN at entry ${result.brokenAt} of ${result.entries}: ${result.reason}.`);
    return 1;
  } finally {
    db.$client.close();
  }
}

async function backup(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { unencrypted: { type: 'boolean' } } });
  if (positionals.length !== 1) {
    console.error('Usage: npm run cli -- backup DIR [--unencrypted]');
    return 2;
  }
  const config = loadConfig();
  const result = await makeBackup({ dataDir: config.dataDir, target: positionals[0]!, encrypt: !values.unencrypted, version: redressVersion() });
  const { manifest } = result;
  const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
  console.log(`Backup written to ${result.target}: ${manifest.files.length} file(s), ${bytes} bytes, ` +
    (manifest.encryption ? `encrypted to the recovery key ${manifest.encryption.recoveryKid} (restoring needs the recovery kit).` : 'NOT encrypted: keep it as safe as the server itself.'));
  console.log(`Manifest SHA-256: ${result.manifestSha256}`);
  console.log('Keep that line somewhere the backup storage cannot write; restore --manifest-sha256 checks it.');
  return 0;
}

async function restore(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, options: { 'recovery-kit': { type: 'string' }, 'manifest-sha256': { type: 'string' } },
  });
  if (positionals.length !== 1) {
    console.error('Usage: npm run cli -- restore DIR [--recovery-kit FILE] [--manifest-sha256 HEX]');
    return 2;
  }
  const config = loadConfig();
  const kitText = values['recovery-kit'] ? readFileSync(values['recovery-kit'], 'utf8') : undefined;
  const result = await restoreBackup({ source: positionals[0]!, dataDir: config.dataDir, kitText, manifestSha256: values['manifest-sha256'] });
  console.log(`Restored into ${config.dataDir}: ${result.cases} case(s)${result.encrypted ? ', decrypted with the recovery kit' : ''}.`);
  if (result.pendingMigrations) console.log(`${result.pendingMigrations} migration(s) from this release will run when Redress starts.`);
  console.log('Start Redress, then check it: npm run cli -- verify-audit');
  return 0;
}

/** Operator errors are one clear line, not a stack trace. */
async function explained(run: () => Promise<number> | number): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof OpsError || err instanceof DatabaseError) {
      console.error(err.message);
      return 1;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EACCES') {
      console.error((err as Error).message);
      return 1;
    }
    throw err;
  }
}

function purge(args: string[]): number {
  const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean' } } });
  const { dataDir } = loadConfig();
  const db = openDatabase(dataDir);
  try {
    const found = values['dry-run'] ? purgeCandidates(db) : purgeExpiredCases(db, 'cli', new Date(), join(dataDir, 'attachments'));
    for (const c of found) console.log(`${c.reference || c.id}  team "${c.teamName}"  closed ${c.closedOn}  retention ${c.retentionDays} days  due ${c.dueOn}`);
    console.log(values['dry-run']
      ? `${found.length} closed case(s) would be purged. Nothing was changed (--dry-run).`
      : `${found.length} closed case(s) purged.`);
    return 0;
  } finally {
    db.$client.close();
  }
}

function pathways(args: string[]): number {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, allowPositionals: true });
  const db = openDatabase(loadConfig().dataDir);
  try {
    if (sub === 'import') {
      const file = positionals[0];
      if (!file) {
        console.error('Usage: npm run cli -- pathways import FILE');
        return 2;
      }
      try {
        const { added, updated } = importPathways(db, readFileSync(file, 'utf8'), 'cli');
        console.log(`Imported ${added + updated} pathway(s) from ${file}: ${added} new, ${updated} replaced.`);
        return 0;
      } catch (err) {
        if (!(err instanceof PathwayFileError)) throw err;
        console.error(`${file}: ${err.message}. Nothing was imported.`);
        return 1;
      }
    }
    if (sub === 'list') {
      seedPathways(db); // a fresh instance lists the shipped directory, as the desk would show it
      const all = listPathways(db);
      if (values.json) console.log(JSON.stringify(all, null, 2));
      else for (const p of all) console.log(`${p.id.padEnd(36)} ${p.kind.padEnd(26)} ${p.retiredAt ? '(retired) ' : ''}${p.name}`);
      return 0;
    }
    console.error('Usage: npm run cli -- pathways import FILE | pathways list [--json]');
    return 2;
  } finally {
    db.$client.close();
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'setup': return explained(() => setup(rest));
    case 'verify-audit': return explained(verifyAudit);
    case 'backup': return explained(() => backup(rest));
    case 'restore': return explained(() => restore(rest));
    case 'purge': return explained(() => purge(rest));
    case 'pathways': return explained(() => pathways(rest));
    case 'export-stats': return explained(() => exportStatsCommand(rest));
    case 'import-deployments': return explained(() => importDeploymentsCommand(rest));
    case 'recover': return explained(() => recover(rest));
    case undefined: case 'help': case '--help': case '-h':
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

process.exitCode = await runCli(process.argv.slice(2));
