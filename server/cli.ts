// The operator's commands: `npm run cli -- <command>`. setup opens an instance without a
// browser; verify-audit checks the audit log's hash chain and names the first broken entry.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/index.ts';
import { loadConfig } from './config.ts';
import { AppError } from './errors.ts';
import { verifyAuditChain } from './services/audit.ts';
import { getOrganisation } from './services/organisation.ts';
import { setupOrganisation } from './services/setup.ts';
import { RECOVER_HELP, recover } from './cli/recover.ts';

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
${RECOVER_HELP}  help           Show this help.

Environment: DATA_DIR (default ./data) selects the instance.
`;

async function ask(question: string, hidden = false): Promise<string> {
  if (!process.stdin.isTTY && hidden) throw new Error(`${question.trim()} is required (stdin is not a terminal)`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  if (hidden) {
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) process.stdout.write(question);
    };
  }
  const answer = await rl.question(question);
  rl.close();
  if (hidden) process.stdout.write('\n');
  return answer.trim();
}

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

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'setup': return setup(rest);
    case 'verify-audit': return verifyAudit();
    case 'recover': return recover(rest);
    case undefined: case 'help': case '--help': case '-h':
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

process.exitCode = await runCli(process.argv.slice(2));
