// Where the one-time setup link goes: to the operator's terminal when there is one; otherwise (a
// service manager, a container, output piped to a log) to a file in DATA_DIR readable by this user
// only, so the link never lands in a log that others read or ship. Removed once set up.
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SETUP_LINK_FILE = 'setup-link.txt';

export function announceSetupLink(dataDir: string, link: string, out: NodeJS.WriteStream = process.stdout): string | null {
  const how = 'Set it up in a browser with this one-time link (valid 24 hours, or until a restart):';
  if (out.isTTY) {
    out.write(`\nRedress is not set up yet; the public form says so until it is.\n${how}\n  ${link}\nor without a browser: npm run cli -- setup\n\n`);
    return null;
  }
  const file = join(dataDir, SETUP_LINK_FILE);
  writeFileSync(file, `${how}\n${link}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  out.write(`\nRedress is not set up yet. The one-time setup link is in ${file} (readable by this user only).\n` +
    'Or set it up without a browser: npm run cli -- setup\n\n');
  return file;
}

/** After setup, a stale link file is removed at the next start. */
export function forgetSetupLink(dataDir: string): void {
  const file = join(dataDir, SETUP_LINK_FILE);
  if (existsSync(file)) rmSync(file);
}
