// The operator's export-stats and import-deployments, run as real processes: the same numbers as
// the desk to stdout or a file, --as-of past and future, each export audited; an unknown format is
// a one-line error naming it (and audited), and writes nothing.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/index.ts';
import type { Publication } from '../../protocol/stats-api.ts';
import { seedRegisterOnce } from '../../server/services/register.ts';
import { setupOrganisation } from '../../server/services/setup.ts';
import { ADMIN_PASSWORD } from '../helpers/app.ts';
import { insertCases, times } from '../helpers/cases.ts';

const run = promisify(execFile);
let dir: string;
const cli = (args: string[]) => run('node', ['--import', 'tsx', 'server/cli.ts', ...args], { env: { ...process.env, DATA_DIR: dir }, maxBuffer: 10_000_000 })
  .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
const audit = () => {
  const db = openDatabase(dir);
  try { return db.$client.prepare('SELECT actor, action, detail FROM audit_log ORDER BY seq').all() as { actor: string; action: string; detail: string }[]; } finally { db.$client.close(); }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'redress-cli-stats-'));
  const db = openDatabase(dir);
  await setupOrganisation(db, { organisationName: 'Border Watch', adminEmail: 'admin@example.org', password: ADMIN_PASSWORD });
  seedRegisterOnce(db);
  insertCases(db, [
    ...times(10, { receivedOn: '2025-02-03', country: 'GR', category: 'pushback' }),
    ...times(5, { receivedOn: new Date().toISOString().slice(0, 10), country: 'GR', category: 'pushback' }),
  ]);
  db.$client.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run cli -- export-stats', () => {
  it('writes JSON to stdout: one object with a tables array, the same as the desk publishes', async () => {
    const res = await cli(['export-stats', '--format', 'json', '--as-of', '2025-06-01']);
    expect(res.code, res.stderr).toBe(0);
    const p = JSON.parse(res.stdout) as Publication;
    expect(p).toMatchObject({ organisation: 'Border Watch', asOf: '2025-06-01', quarters: ['2025-Q1'], k: 5 });
    const reports = p.tables.find((x) => x.id === 'reports_by_country_quarter')!;
    expect(reports).toEqual({ id: 'reports_by_country_quarter', dimensions: ['country', 'quarter'], rows: [{ country: 'GR', quarter: '2025-Q1', count: 10 }], withheld: [] });
    expect(audit().at(-1)).toMatchObject({ actor: 'cli', action: 'stats.exported', detail: expect.stringContaining('"format":"json"') });
  });

  it('writes CSV with a BOM, or HXL, to a file; --as-of in the future shows the quarter of today', async () => {
    const out = join(dir, 'stats.csv');
    const res = await cli(['export-stats', '--format', 'hxl', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\r\n')[1]).toMatch(/^#meta\+table,#country\+code,#date\+quarter/);
    const ahead = await cli(['export-stats', '--format', 'json', '--as-of', '2099-01-01']);
    const p = JSON.parse(ahead.stdout) as Publication;
    expect(p.tables.find((x) => x.id === 'reports_by_country_quarter')!.rows).toHaveLength(2);
    // Looking ahead froze nothing: today's quarter is still open to late coding until it is released.
    const db = openDatabase(dir);
    const frozen = db.$client.prepare('SELECT quarter FROM stat_releases').pluck().all() as string[];
    db.$client.close();
    expect(frozen).not.toContain(p.quarters.at(-1));
  });

  it('names an unknown format, writes nothing, and audits the refusal', async () => {
    const out = join(dir, 'never.xml');
    const res = await cli(['export-stats', '--format', 'xml', '--out', out]);
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe('Unknown format: use csv, json, hxl.');
    expect(existsSync(out)).toBe(false);
    expect(audit().at(-1)).toMatchObject({ actor: 'cli', action: 'stats.refused', detail: '{"code":"unknown_export_format","field":"format"}' });
  });
});

describe('npm run cli -- import-deployments', () => {
  it('adds new entries, keeps existing ones, and refuses a file with an entry without a source', async () => {
    const file = join(dir, 'register.json');
    const seed = JSON.parse(readFileSync('db/seed/deployments.json', 'utf8'));
    writeFileSync(file, JSON.stringify([seed[0], { ...seed[1], id: 'another-system' }]));
    const ok = await cli(['import-deployments', '--file', file]);
    expect(ok.stdout).toMatch(/1 added, 0 replaced, 1 kept/);
    writeFileSync(file, JSON.stringify([{ ...seed[1], id: 'no-sources', sources: [] }]));
    const bad = await cli(['import-deployments', '--file', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Nothing imported: entry 1 \(no-sources\): sources/);
  });
});
