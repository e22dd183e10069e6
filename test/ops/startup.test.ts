// Starting the compiled server as an operator would: from a production install with no dev
// dependencies, and the starts that must refuse with one clear line (a newer database, a data
// folder it cannot write, a stale build it cannot rebuild). Also: an interrupted migration.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/index.ts';
// @ts-expect-error a plain-JavaScript ops script (it runs before anything is built), without types
import { SOURCES } from '../../server/ops/build.mjs';

const ROOT = resolve('.');
let dir: string;

beforeAll(() => {
  expect(existsSync('dist/BUILD'), 'run `npm run build` before the tests (npm test does)').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'redress-startup-'));
  chmodSync(dir, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Started { code: number | null; stdout: string; stderr: string; health?: unknown }

/** Runs `node <script>` in cwd; if it answers /healthz, fetch it and stop the server with SIGTERM. */
function start(cwd: string, script: string, env: Record<string, string>, options: { uid?: number; gid?: number } = {}): Promise<Started> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script], { cwd, env: { PATH: process.env.PATH!, PORT: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    let health: unknown;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', async (chunk: Buffer) => {
      stdout += chunk.toString();
      const port = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1];
      if (port && health === undefined) {
        health = null;
        health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json());
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); done({ code, stdout, stderr, health }); });
  });
}

/** A copy of node_modules with only the production dependencies (hard links: quick, no space). */
function productionModules(to: string): number {
  // npm's own rule for --omit=dev: leave out what is dev only (devOptional stays: it is an optional peer of a production package).
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const copy = (from: string, target: string) => {
    const stat = lstatSync(from);
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), target);
    else if (stat.isDirectory()) {
      mkdirSync(target, { recursive: true });
      for (const name of readdirSync(from)) copy(join(from, name), join(target, name));
    } else linkSync(from, target);
  };
  let count = 0;
  for (const [path, meta] of Object.entries(lock.packages)) {
    if (!path || meta.dev || !existsSync(path)) continue;
    if (path.split('node_modules/').length > 2) continue; // nested copies come with their parent
    copy(path, join(to, path));
    count++;
  }
  return count;
}

describe('a production install (npm ci --omit=dev) of a built tree', () => {
  let install: string;
  beforeAll(() => {
    install = join(dir, 'install');
    mkdirSync(install);
    for (const f of ['dist', ...(SOURCES as string[])]) {
      cpSync(f, join(install, f), { recursive: true, preserveTimestamps: true });
    }
    // The build is newer than every source, as after `npm run build`.
    const now = new Date();
    utimesSync(join(install, 'dist', 'BUILD'), now, now);
    expect(productionModules(install)).toBeGreaterThan(20);
    for (const dev of ['vite', 'tsx', 'vitest', 'esbuild', 'fast-check']) expect(existsSync(join(install, 'node_modules', dev))).toBe(false);
  });

  it('starts with plain node and answers /healthz', async () => {
    const res = await start(install, 'server/ops/start.mjs', { DATA_DIR: join(dir, 'prod-data') });
    expect(res.stderr).toBe('');
    expect(res.health).toEqual({ status: 'ok', open: false });
    // Not a terminal: the one-time link goes to a 0600 file in DATA_DIR, and stdout says where (PROTOCOL.md §34).
    expect(res.stdout).toContain('setup-link.txt');
    expect(readFileSync(join(dir, 'prod-data', 'setup-link.txt'), 'utf8')).toContain('/desk/setup#token=');
    expect(res.code).toBe(0);
  });

  it('runs the CLI from the build', () => {
    const res = spawnSync(process.execPath, ['server/ops/start.mjs', 'cli', 'verify-audit'], { cwd: install, env: { PATH: process.env.PATH!, DATA_DIR: join(dir, 'prod-data') }, encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/Audit log intact: \d+ entries/);
  });

  it('refuses to start a build older than its sources when it cannot rebuild', async () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(install, 'server', 'app.ts'), later, later);
    const res = await start(install, 'server/ops/start.mjs', { DATA_DIR: join(dir, 'prod-data') });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Cannot start: server\/app\.ts is newer than the build, and the build tools are not installed/);
  });
});

describe('a checkout with the dev dependencies', () => {
  it('rebuilds a build older than its sources before starting, and not again after', { timeout: 300_000 }, async () => {
    const checkout = join(dir, 'checkout');
    mkdirSync(checkout);
    for (const f of ['dist', ...(SOURCES as string[])]) {
      cpSync(f, join(checkout, f), { recursive: true, preserveTimestamps: true });
    }
    symlinkSync(resolve('node_modules'), join(checkout, 'node_modules'));
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(checkout, 'dist', 'BUILD'), old, old);
    const first = await start(checkout, 'server/ops/start.mjs', { DATA_DIR: join(dir, 'checkout-data') });
    expect(first.stderr).toMatch(/^Building first: .* is newer than the build\./);
    expect(first.health).toEqual({ status: 'ok', open: false });
    const second = await start(checkout, 'server/ops/start.mjs', { DATA_DIR: join(dir, 'checkout-data') });
    expect(second.stderr).toBe('');
    expect(second.health).toEqual({ status: 'ok', open: false });
  });
});

describe('starts that must refuse', () => {
  it('a database written by a newer release: a clear line, exit 1, the database untouched', async () => {
    const data = join(dir, 'newer');
    openDatabase(data).$client.close();
    const raw = new Database(join(data, 'redress.sqlite'));
    raw.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('e'.repeat(64), Date.UTC(2030, 5, 1));
    raw.close();
    const before = readFileSync(join(data, 'redress.sqlite'));
    const res = await start(ROOT, 'dist/node/server/main.js', { DATA_DIR: data });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^Redress cannot start: The database .*redress\.sqlite was written by a newer release of Redress: it has 1 migration\(s\), from 2030-06-01 on/);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(data, 'redress.sqlite'))).toEqual(before);
  });

  it('a bad setting: one sentence, not a stack trace', async () => {
    const res = await start(ROOT, 'dist/node/server/main.js', { DATA_DIR: join(dir, 'bad-setting'), LOG_LEVEL: 'loud' });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('Redress cannot start: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"\n');
  });

  it('a DATA_DIR that is a file, or that this user cannot write', async () => {
    writeFileSync(join(dir, 'a-file'), '');
    const res = await start(ROOT, 'dist/node/server/main.js', { DATA_DIR: join(dir, 'a-file') });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^Redress cannot start: DATA_DIR .*a-file is not a folder this process can write \((ENOTDIR|EEXIST)/);
    if (process.getuid?.() !== 0) return;
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o755 });
    const res2 = await start(ROOT, 'dist/node/server/main.js', { DATA_DIR: locked }, { uid: 65534, gid: 65534 });
    expect(res2.code).toBe(1);
    expect(res2.stderr).toMatch(/^Redress cannot start: DATA_DIR .*locked is not a folder this process can write \(EACCES/);
    expect(readdirSync(locked)).toEqual([]);
  });
});

describe('migrations', () => {
  it('a crash in the middle of a migration leaves the earlier ones applied and none of the interrupted one', () => {
    const folder = join(dir, 'migrations');
    mkdirSync(join(folder, 'meta'), { recursive: true });
    writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'sqlite', entries: [
      { idx: 0, version: '6', when: 1000, tag: '0000_a', breakpoints: true },
      { idx: 1, version: '6', when: 2000, tag: '0001_b', breakpoints: true },
    ] }));
    writeFileSync(join(folder, '0000_a.sql'), 'CREATE TABLE a (x integer);');
    writeFileSync(join(folder, '0001_b.sql'), 'CREATE TABLE b (x integer);\n--> statement-breakpoint\nINSERT INTO b VALUES (1);\n--> statement-breakpoint\nSELECT crash();');
    const db = join(dir, 'migrating.sqlite');
    // crash() kills the process from inside the second migration's transaction: a power cut, as far as SQLite knows.
    const migrate = (crash: boolean) => spawnSync(process.execPath, ['--import', 'tsx', '-e', `
      import Database from 'better-sqlite3';
      import { runMigrations } from ${JSON.stringify(join(ROOT, 'db', 'index.ts'))};
      const sqlite = new Database(${JSON.stringify(db)});
      sqlite.pragma('journal_mode = WAL');
      sqlite.function('crash', () => { if (${crash}) process.kill(process.pid, 'SIGKILL'); return 0; });
      runMigrations(sqlite, ${JSON.stringify(folder)});
    `], { encoding: 'utf8' });
    expect(migrate(true).signal).toBe('SIGKILL');
    const after = new Database(db, { readonly: true });
    const tables = (after.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(['__drizzle_migrations', 'a']);
    expect(after.prepare('select created_at from __drizzle_migrations').all()).toEqual([{ created_at: 1000 }]);
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    after.close();
    const second = migrate(false);
    expect(second.status, second.stderr).toBe(0);
    const done = new Database(db, { readonly: true });
    expect(done.prepare('select x from b').all()).toEqual([{ x: 1 }]);
    expect(done.prepare('select count(*) n from __drizzle_migrations').get()).toEqual({ n: 2 });
    done.close();
  });
});
