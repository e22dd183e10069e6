// `npm run build`: the browser apps (Vite) into dist/client, the server and CLI (tsc) into
// dist/node with the migrations and locales they read at run time, then a stamp that says the
// build finished. Plain JavaScript, so it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const STAMP = join(ROOT, 'dist', 'BUILD');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build failed: ${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
    process.exit(1);
  }
}

export function build() {
  // No stamp while building: an interrupted build is a missing build, never a stale one.
  rmSync(STAMP, { force: true });
  run(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build']);
  rmSync(join(ROOT, 'dist', 'node'), { recursive: true, force: true });
  run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')]);
  // db/index.ts and server/i18n.ts find these next to their own module.
  mkdirSync(join(ROOT, 'dist', 'node', 'db'), { recursive: true });
  cpSync(join(ROOT, 'db', 'migrations'), join(ROOT, 'dist', 'node', 'db', 'migrations'), { recursive: true });
  cpSync(join(ROOT, 'locales'), join(ROOT, 'dist', 'node', 'locales'), { recursive: true, filter: (src) => !src.endsWith('.md') });
  writeFileSync(STAMP, `${JSON.stringify({ builtAt: new Date().toISOString(), node: process.version })}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) build();
