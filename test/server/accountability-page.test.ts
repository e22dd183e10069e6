// The public accountability page: a 404 until an admin turns it on; then server-rendered, without
// script, in every public language, within the form's budget, with the register, the method in
// plain words, the tables of a chosen country and quarter, and downloads audited once a day.
import { brotliCompressSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGE_CODES } from '../../protocol/taxonomy.ts';
import { setPublicPage } from '../../server/services/stats.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { insertCases, times } from '../helpers/cases.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  insertCases(t.db, [
    ...times(15, { receivedOn: '2025-01-10', country: 'GR', category: 'pushback', systemType: 'drone_or_sensor_surveillance' }),
    ...times(10, { receivedOn: '2025-04-10', country: 'GR', category: 'biometric_lockout', closedOn: '2025-05-01', outcome: 'resolved' }),
    ...times(6, { receivedOn: '2025-04-10', country: 'JO', category: 'assistance_cut', deploymentId: 'unhcr-iris-cash-assistance-jordan' }),
  ]);
});
afterAll(async () => { await t.close(); });

const page = (query = '') => t.app.inject({ url: `/accountability${query}` });

describe('the public accountability page', () => {
  it('does not exist while it is off: the same 404 as any unknown address', async () => {
    for (const [url, lang] of [['/accountability', 'en'], ['/accountability?lang=ar', 'ar'], ['/accountability/statistics.csv', 'en'], ['/accountability/statistics.json', 'en']]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toBe((await t.app.inject({ url: `/no-such-page?lang=${lang}` })).body);
    }
  });

  it('publishes the register, the method and the tables once on, with no script', async () => {
    setPublicPage(t.db, t.config, 'test', true);
    const res = await page();
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Test Org publishes what the reports it receives show');
    expect(html).toContain('A number below 5 is shown as “&lt;5”');
    for (const entry of JSON.parse(readFileSync('db/seed/deployments.json', 'utf8')) as { systemName: string }[]) {
      expect(html).toContain(entry.systemName.replace(/&/g, '&amp;'));
    }
    // Six linked cases to the iris system in Jordan, randomly rounded to a multiple of 5 by the instance's own draw.
    expect(html).toMatch(/Reports linked: (5|10) · reached a remedy: &lt;5/);
    expect(html).toContain('href="/accountability/statistics.csv"');
    expect(html).toContain('Reports by country, 2025-Q2'); // the latest quarter with a country listed
    // Another country and quarter, chosen with the plain form; an unknown choice falls back.
    expect((await page('?country=GR&quarter=2025-Q1')).body).toContain('Harms, Greece, 2025-Q1');
    expect((await page('?country=ZZ&quarter=1999-Q1')).statusCode).toBe(200);
  });

  it('speaks every public language, right to left where the language is', async () => {
    for (const lang of LANGUAGE_CODES) {
      const res = await page(`?lang=${lang}`);
      expect(res.statusCode, lang).toBe(200);
      expect(res.body, lang).toContain(`<html lang="${lang}"`);
      expect(res.body, lang).not.toMatch(/accountability:|page\.|stats\.|labels\.|register\./);
    }
    expect((await page('?lang=ar')).body).toContain('dir="rtl"');
  });

  it('fits the form\'s budget: page and stylesheet within 30 KB compressed', async () => {
    const res = await page('?lang=en');
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(res.body)![1]!;
    const bytes = brotliCompressSync(res.body).length + readFileSync(join(t.config.clientDir, css) + '.br').length;
    expect(bytes).toBeLessThanOrEqual(30 * 1024);
  });

  it('offers the same tables as CSV (with BOM), HXL and JSON, each download audited once a day', async () => {
    const before = t.db.$client.prepare("SELECT count(*) FROM audit_log WHERE action = 'stats.exported'").pluck().get() as number;
    for (const [file, type] of [['statistics.csv', 'text/csv'], ['statistics-hxl.csv', 'text/csv'], ['statistics.json', 'application/json']] as const) {
      for (let i = 0; i < 2; i++) {
        const res = await t.app.inject({ url: `/accountability/${file}` });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain(type);
        expect(res.headers['content-disposition']).toMatch(/^attachment; filename="redress-statistics-\d{4}-\d{2}-\d{2}/);
      }
    }
    const after = t.db.$client.prepare("SELECT count(*) FROM audit_log WHERE action = 'stats.exported'").pluck().get() as number;
    expect(after - before).toBe(3);
    expect((await t.app.inject({ url: '/accountability/__proto__' })).statusCode).toBe(404);
  });
});
