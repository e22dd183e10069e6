// The operator's CLI, run as a real process: setup once (kit written 0600), refuse twice,
// help, and verify-audit naming the first altered, deleted or reordered entry.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/index.ts';
import { appendAudit } from '../../server/services/audit.ts';

const run = promisify(execFile);
const cli = (args: string[], dataDir: string) =>
  run('node', ['--import', 'tsx', 'server/cli.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir } })
    .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'redress-cli-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cli', () => {
  it('lists its commands', async () => {
    const { stdout, code } = await cli(['--help'], dir);
    expect(code).toBe(0);
    for (const command of ['setup', 'verify-audit']) expect(stdout).toContain(command);
  });

  it('sets up once, writes the recovery kit readable by the owner only, and refuses a second run', async () => {
    const data = join(dir, 'data');
    writeFileSync(join(dir, 'pw'), 'correct horse battery staple\n');
    const args = ['setup', '--org', 'Border Watch', '--admin', 'Admin@Example.org', '--password-file', join(dir, 'pw'), '--recovery-kit', join(dir, 'kit.txt')];
    const first = await cli(args, data);
    expect(first.code, first.stderr).toBe(0);
    expect(statSync(join(dir, 'kit.txt')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'kit.txt'), 'utf8')).toMatch(/^redress-recovery-v1:[A-Za-z0-9_-]{43}$/m);
    const second = await cli([...args.slice(0, -1), join(dir, 'kit2.txt')], data);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already set up/);
    const db = new Database(join(data, 'redress.sqlite'), { readonly: true });
    expect(db.prepare('select email, role from users').all()).toEqual([{ email: 'admin@example.org', role: 'admin' }]);
    expect((db.prepare('select count(*) n from grants').get() as { n: number }).n).toBe(2);
    db.close();
  });

  it('refuses a short password and writes nothing', async () => {
    const data = join(dir, 'short');
    writeFileSync(join(dir, 'short-pw'), 'short\n');
    const res = await cli(['setup', '--org', 'X', '--admin', 'a@b.org', '--password-file', join(dir, 'short-pw'), '--recovery-kit', join(dir, 'short-kit')], data);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/12 characters/);
    expect(() => statSync(join(dir, 'short-kit'))).toThrow();
  });

  it('verify-audit names the first altered, deleted or reordered entry', async () => {
    for (const [name, tamper, broken] of [
      ['alter', "update audit_log set detail = '{\"x\":\"forged\"}' where seq = 3", 3],
      ['delete', 'delete from audit_log where seq = 2', 3],
      ['reorder', 'update audit_log set seq = seq + 100 where seq = 2; update audit_log set seq = 2 where seq = 3; update audit_log set seq = 3 where seq = 102', 2],
    ] as const) {
      const data = join(dir, `audit-${name}`);
      const db = openDatabase(data);
      for (let i = 0; i < 5; i++) appendAudit(db, { at: `2026-11-0${i + 1}T10:00:00Z`, actor: 'u1', action: 'case.opened', subject: `c${i}` });
      db.$client.close();
      expect((await cli(['verify-audit'], data)).stdout).toMatch(/intact: 5 entries/);
      const raw = new Database(join(data, 'redress.sqlite'));
      raw.exec(tamper);
      raw.close();
      const res = await cli(['verify-audit'], data);
      expect(res.code, name).toBe(1);
      expect(res.stderr, name).toContain(`BROKEN at entry ${broken}`);
    }
  });
});
