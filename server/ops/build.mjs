// `npm run build`: the browser apps (Vite) into dist/client; the server and the CLI, each bundled
// with its dependencies into one file (esbuild) in dist/node/server, with the migrations and
// locales they read at run time; then dist/BUILD, which says the build finished. One file per
// entry point, because loading hundreds of modules was most of the start-up time.
// Plain JavaScript, so it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const STAMP = join(ROOT, 'dist', 'BUILD');
/** What goes into the build: when any of it is newer than the stamp, the build is stale. */
export const SOURCES = ['server', 'db', 'protocol', 'client', 'ui', 'locales', 'package.json', 'package-lock.json',
  'vite.config.ts', 'tsconfig.json'];
const OUT = join(ROOT, 'dist', 'node', 'server');

export async function build() {
  // No stamp while building: an interrupted build is a missing build, never a stale one.
  rmSync(STAMP, { force: true });
  const vite = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (vite.status !== 0) throw new Error(`vite build exited with ${vite.status ?? vite.signal}`);

  rmSync(join(ROOT, 'dist', 'node'), { recursive: true, force: true });
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'server/main.ts', cli: 'server/cli.ts' },
    outdir: OUT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The native SQLite binding cannot be bundled; node loads it from node_modules.
    external: ['better-sqlite3'],
    // Bundled CommonJS dependencies still call require().
    banner: { js: "import { createRequire as __redressRequire } from 'node:module'; const require = __redressRequire(import.meta.url);" },
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  // db/index.ts looks for migrations/ beside its module, server/i18n.ts for ../locales: in the
  // bundle both modules live in dist/node/server.
  cpSync(join(ROOT, 'db', 'migrations'), join(OUT, 'migrations'), { recursive: true });
  // The seed data (pathway directory, deployment register) is read at start from ../../db/seed.
  cpSync(join(ROOT, 'db', 'seed'), join(ROOT, 'dist', 'db', 'seed'), { recursive: true });
  mkdirSync(join(ROOT, 'dist', 'node', 'locales'), { recursive: true });
  cpSync(join(ROOT, 'locales'), join(ROOT, 'dist', 'node', 'locales'), { recursive: true, filter: (src) => !src.endsWith('.md') });
  writeFileSync(STAMP, `${JSON.stringify({ builtAt: new Date().toISOString(), node: process.version })}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  build().catch((err) => {
    console.error(`build failed: ${err.message}`);
    process.exit(1);
  });
}
