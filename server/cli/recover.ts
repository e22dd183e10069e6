// `npm run cli -- recover --recovery-kit FILE --admin EMAIL [--password-file FILE]`: restores admin
// access with the recovery kit when every admin password is lost (PROTOCOL.md §33).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../db/index.ts';
import { loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { recoverAdmin } from '../services/recovery.ts';
import { ask } from './prompt.ts';

export const RECOVER_HELP = `  recover        Restore admin access with the recovery kit, when every admin password is lost:
                 a new admin account receives every team key, current and retired.
                   --recovery-kit FILE     the kit printed at setup
                   --admin EMAIL           the new admin's email (not an existing account)
                   --password-file FILE    a file holding the new admin's password (first line)
                 Missing options are asked for interactively.
`;

const REASONS: Record<string, string> = {
  not_set_up: 'This instance is not set up yet: there is nothing to recover.',
  kit_unreadable: 'No recovery key was found in that file (a line starting with redress-recovery-v1:).',
  kit_not_ours: "That kit belongs to another organisation: its key is not this instance's recovery key.",
  invalid_email: 'The email address is not valid.',
  email_taken: 'An account with this email already exists. Choose a new address; disable the old account at the desk afterwards.',
  password_too_short: 'The password must be at least 12 characters.',
};

export async function recover(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'recovery-kit': { type: 'string' }, admin: { type: 'string' }, 'password-file': { type: 'string' } } });
  const kitPath = values['recovery-kit'] ?? (await ask('Recovery kit file: '));
  let kit: string;
  try {
    kit = readFileSync(kitPath, 'utf8');
  } catch {
    console.error(`Cannot read ${kitPath}.`);
    return 1;
  }
  const email = values.admin ?? (await ask('New admin email: '));
  let password: string;
  if (values['password-file']) {
    password = readFileSync(values['password-file'], 'utf8').split(/\r?\n/)[0] ?? '';
  } else {
    password = await ask('New admin password (min. 12 characters): ', true);
    if ((await ask('Repeat the password: ', true)) !== password) {
      console.error('The passwords differ.');
      return 1;
    }
  }
  const db = openDatabase(loadConfig().dataDir);
  try {
    const done = await recoverAdmin(db, kit, { email, password });
    console.log(`Admin access restored for ${done.email}: member of ${done.teams} team(s), holding ${done.keys} team key(s).`);
    for (const kid of done.skipped) console.error(`Warning: the recovery grant of team key ${kid} did not open; that key was not restored.`);
    console.log('Sign in at /desk to set up the second factor. Then disable the admin accounts whose passwords were lost,');
    console.log('and put the recovery kit back offline.');
    return done.skipped.length ? 2 : 0;
  } catch (err) {
    if (err instanceof AppError) {
      console.error(REASONS[err.code] ?? err.code);
      return 1;
    }
    throw err;
  } finally {
    db.$client.close();
  }
}
