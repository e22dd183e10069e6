// The desk's statistics API: what may be asked (anything else refused with a stable code, and the
// refusal audited), the exports (CSV with BOM read by a standard parser, a valid HXL row, the same
// numbers as the JSON, each export audited), a stricter k, and the public page's switch.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Publication } from '../../protocol/stats-api.ts';
import { CSV_COLUMNS, HXL_TAGS } from '../../server/stats/formats.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { insertCases, insertPathways, times } from '../helpers/cases.ts';
import { createDeskUser, setupAdmin, signIn, type SignedIn } from '../helpers/desk.ts';
import { stepOf } from '../../server/services/totp.ts';

let t: TestApp;
let admin: SignedIn;
let analyst: SignedIn;

beforeAll(async () => {
  t = await makeTestApp();
  insertPathways(t.db);
  admin = await signIn(t.app, await setupAdmin(t.db));
  analyst = await signIn(t.app, await createDeskUser(t.db, { email: 'analyst@example.org', role: 'analyst' }), stepOf(Date.now()) + 1);
  insertCases(t.db, [
    ...times(12, { receivedOn: '2025-01-10', country: 'GR', category: 'pushback', systemType: 'drone_or_sensor_surveillance' }),
    ...times(7, { receivedOn: '2025-02-10', country: 'GR', category: 'biometric_lockout', coded: { systemType: 'fingerprint', deployerClass: 'eu_agency' } }),
    ...times(9, { receivedOn: '2025-05-10', country: 'JO', category: 'assistance_cut', closedOn: '2025-06-01', outcome: 'resolved', deploymentId: 'unhcr-iris-cash-assistance-jordan' }),
    ...times(3, { receivedOn: '2025-05-11', country: 'LB', category: 'assistance_cut' }),
  ]);
});
afterAll(async () => { await t.close(); });

const get = (who: SignedIn, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
const audit = () => t.db.$client.prepare('SELECT action, actor, detail FROM audit_log ORDER BY seq').all() as { action: string; actor: string; detail: string }[];

describe('asking for statistics', () => {
  it.each([
    ['/api/stats?tables=harm_by_country_quarter,reports_by_language', 'unknown_table', 'tables'],
    ['/api/stats?k=3', 'k_below_minimum', 'k'],
    ['/api/stats?k=7', 'invalid_k', 'k'],
    ['/api/stats?from=2025-03-01', 'range_not_allowed', 'from'],
    ['/api/stats?from=2025-Q2&to=2025-Q1', 'range_not_allowed', 'from'],
    ['/api/stats?to=2099-Q1', 'quarter_embargoed', 'to'],
    ['/api/stats?asOf=2099-01-01', 'as_of_in_future', 'asOf'],
    ['/api/stats?asOf=2025-02-30', 'invalid_date', 'asOf'],
    ['/api/stats/export?format=xlsx', 'unknown_export_format', 'format'],
    ['/api/stats?language=ar', 'unknown_field', 'language'],
  ])('refuses %s with %s, audited, publishing nothing', async (url, code, field) => {
    const before = audit().length;
    const res = await get(analyst, url);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code, field });
    expect(res.json().message).toBeTruthy();
    const added = audit().slice(before);
    expect(added.map((e) => e.action)).toEqual(['stats.refused']);
    expect(JSON.parse(added[0]!.detail)).toEqual({ code, field });
  });

  it('publishes the fixed tables over released quarters and audits the view', async () => {
    const res = await get(analyst, '/api/stats?asOf=2025-09-01');
    expect(res.statusCode).toBe(200);
    const p = res.json<Publication>();
    expect(p.quarters).toEqual(['2025-Q1', '2025-Q2']);
    expect(p.tables.find((x) => x.id === 'reports_by_country_quarter')!.rows.map((r) => r.country)).toEqual(['GR', 'JO']);
    expect(audit().at(-1)).toMatchObject({ action: 'stats.exported', detail: expect.stringContaining('"format":"view"') });
    // A stricter k hides more, from the same roundings.
    const strict = (await get(analyst, '/api/stats?asOf=2025-09-01&k=10')).json<Publication>();
    expect(strict.k).toBe(10);
    expect(strict.tables.find((x) => x.id === 'reports_by_country_quarter')!.rows.map((r) => r.country)).toEqual(['GR']);
  });
});

describe('exports', () => {
  it('round-trip: the CSV (with BOM) and the HXL parse, and hold the JSON\'s rows and numbers', async () => {
    const json = await get(analyst, '/api/stats/export?format=json&asOf=2025-09-01');
    expect(json.headers['content-disposition']).toBe('attachment; filename="redress-statistics-2025-09-01.json"');
    const p = JSON.parse(json.body) as Publication;
    for (const table of p.tables) {
      expect(table).toMatchObject({ id: expect.any(String), dimensions: expect.any(Array), rows: expect.any(Array) });
      for (const row of table.rows) expect(typeof row.count === 'number' || row.count === '<5').toBe(true);
    }
    const jsonRows = p.tables.flatMap((table) => table.rows.map((row) => ({ table: table.id, ...row })));

    const csv = await get(analyst, '/api/stats/export?format=csv&asOf=2025-09-01');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const records = parse(csv.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual([...CSV_COLUMNS]);
    expect(records).toHaveLength(jsonRows.length);
    records.forEach((record, i) => {
      const row = jsonRows[i]! as Record<string, unknown>;
      expect(record.table).toBe(row.table);
      expect(record.count).toBe(String(row.count));
      for (const column of CSV_COLUMNS) if (row[column] !== undefined) expect(record[column]).toBe(String(row[column]));
    });
    // Totals match: every country's reports, summed from either file.
    const sum = (values: unknown[]) => values.reduce<number>((a, v) => a + (typeof v === 'number' ? v : Number(v) || 0), 0);
    expect(sum(records.filter((r) => r.table === 'reports_by_country_quarter').map((r) => r.count)))
      .toBe(sum(p.tables.find((x) => x.id === 'reports_by_country_quarter')!.rows.map((r) => r.count)));

    const hxl = await get(analyst, '/api/stats/export?format=hxl&asOf=2025-09-01');
    const [header, tags, ...data] = parse(hxl.rawPayload, { bom: true }) as string[][];
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(tags).toEqual(CSV_COLUMNS.map((c) => HXL_TAGS[c]));
    const CORE = ['#meta', '#country', '#date', '#org', '#status', '#indicator'];
    for (const tag of tags!) {
      expect(tag).toMatch(/^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$/);
      expect(CORE).toContain(tag.split('+')[0]);
    }
    expect(data).toHaveLength(jsonRows.length);

    const exported = audit().filter((e) => e.action === 'stats.exported').map((e) => JSON.parse(e.detail).format);
    expect(exported.slice(-3)).toEqual(['json', 'csv', 'hxl']);
  });
});

describe('the public page switch', () => {
  it('is off by default, turned on by an admin (audited), and the page follows it', async () => {
    expect((await get(analyst, '/api/stats/settings')).json()).toMatchObject({ publicPage: false, k: 5, embargoDays: 30 });
    expect((await t.app.inject({ url: '/accountability' })).statusCode).toBe(404);
    const on = await t.app.inject({ method: 'PUT', url: '/api/stats/settings', payload: { publicPage: true }, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    expect(on.json()).toMatchObject({ publicPage: true });
    expect(audit().at(-1)).toMatchObject({ action: 'stats.public_page_changed', detail: '{"on":true}' });
    expect((await t.app.inject({ url: '/accountability' })).statusCode).toBe(200);
    await t.app.inject({ method: 'PUT', url: '/api/stats/settings', payload: { publicPage: false }, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    expect((await t.app.inject({ url: '/accountability' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/accountability/statistics.csv' })).statusCode).toBe(404);
  });
});
