// The remedy-pathway directory: the shipped data file passes its schema (every entry has every
// field, URLs parse, countries are ISO codes, each has a source and a checked day, at least the
// bodies the issue names); the import names the line of a bad entry and stores nothing; seeding is
// idempotent and keeps admins' edits; the CLI imports and lists; admins edit through the API.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { pathways } from '../../db/schema.ts';
import { COUNTRIES, PATHWAY_KINDS } from '../../protocol/taxonomy.ts';
import { readPathwayFile, isHttpUrl } from '../../server/services/pathway-file.ts';
import { SEED_FILE, importPathways, seedPathways } from '../../server/services/pathways.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { setupAdmin, signIn, type SignedIn } from '../helpers/desk.ts';

const SHIPPED = readFileSync(SEED_FILE, 'utf8');
const entries = JSON.parse(SHIPPED) as Record<string, unknown>[];
const FIELDS = [
  'id', 'name', 'kind', 'whoMayComplain', 'about', 'countries', 'deployers', 'harmCategories', 'urgent', 'deadline', 'languages', 'how',
  'cost', 'lawyerNeeded', 'canAchieve', 'typicalTime', 'sources', 'checked', 'unverified',
];
const run = promisify(execFile);
const cli = (args: string[], dataDir: string) =>
  run('node', ['--import', 'tsx', 'server/cli.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir }, maxBuffer: 1 << 24 })
    .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);

/** The shipped file with one entry changed, as text (pretty-printed like the original). */
const altered = (index: number, change: (e: Record<string, unknown>) => void, list = structuredClone(entries)) => {
  change(list[index]!);
  return JSON.stringify(list, null, 2);
};
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('the shipped directory file', () => {
  it('passes the schema, entry by entry', () => {
    const result = readPathwayFile(SHIPPED);
    expect(result.ok ? 'ok' : result).toBe('ok');
    expect(entries.length).toBeGreaterThanOrEqual(40);
    for (const e of entries) {
      expect(Object.keys(e).sort(), String(e.id)).toEqual([...FIELDS].sort());
      const entry = e as { id: string; countries: string[]; sources: { url: string }[]; checked: string; how: Record<string, string | null>; kind: string };
      for (const c of entry.countries) expect(COUNTRIES, entry.id).toContain(c);
      expect(entry.sources.length, entry.id).toBeGreaterThan(0);
      for (const s of entry.sources) expect(isHttpUrl(s.url), `${entry.id}: ${s.url}`).toBe(true);
      if (entry.how.web) expect(isHttpUrl(entry.how.web), entry.id).toBe(true);
      expect(entry.checked, entry.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(PATHWAY_KINDS, entry.id).toContain(entry.kind);
    }
  });

  it('holds the bodies the issue asks for', () => {
    const ids = new Set(entries.map((e) => e.id as string));
    for (const id of ['frontex-complaints', 'frontex-fro', 'european-ombudsman', 'edps', 'echr-rule39', 'un-sr-migrants', 'un-cat', 'un-ccpr', 'un-crc',
      'un-cerd', 'unhcr-igo', 'iom-misconduct', 'wfp-hotline', 'ai-act-art86-deployer-letter', 'ai-act-art85-market-surveillance']) {
      expect(ids, id).toContain(id);
    }
    // A data protection authority for every EU/EEA state, the UK and Switzerland.
    const eea = 'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO GB CH'.split(' ');
    const dpaCountries = entries.filter((e) => e.kind === 'dpa').flatMap((e) => e.countries as string[]);
    for (const c of eea) expect(dpaCountries, c).toContain(c);
    // An ombudsperson or human rights institution in each of the main border states.
    const national = entries.filter((e) => e.kind === 'ombudsman' || e.kind === 'nhri').flatMap((e) => e.countries as string[]);
    for (const c of ['GR', 'IT', 'ES', 'MT', 'PL', 'HU', 'HR', 'BG', 'LT', 'LV', 'CY']) expect(national, c).toContain(c);
  });
});

describe('importing a file', () => {
  it('names the line of a missing field, a bad URL or a duplicate id', () => {
    const missing = altered(3, (e) => { delete e.about; });
    expect(readPathwayFile(missing)).toEqual({ ok: false, line: lineOf(missing, `"id": "${entries[3]!.id}"`) - 1, id: entries[3]!.id, field: 'about', problem: 'is missing' });
    const badUrl = altered(10, (e) => { (e.how as Record<string, string>).web = 'www.example.org/complaints'; });
    expect(readPathwayFile(badUrl)).toMatchObject({ ok: false, line: lineOf(badUrl, `"id": "${entries[10]!.id}"`) - 1, field: 'how.web', problem: 'is not an http(s) URL' });
    const badSource = altered(2, (e) => { (e.sources as { url: string }[])[0]!.url = 'ftp://example.org/x'; });
    expect(readPathwayFile(badSource)).toMatchObject({ ok: false, field: 'sources.0.url' });
    const duplicate = altered(20, (e) => { e.id = entries[5]!.id; });
    const firstLine = lineOf(duplicate, `"id": "${entries[5]!.id}"`) - 1;
    expect(readPathwayFile(duplicate)).toMatchObject({ ok: false, id: entries[5]!.id, field: 'id', problem: `is a duplicate of the entry on line ${firstLine}` });
    expect(readPathwayFile(altered(0, (e) => { e.countries = ['XX']; }))).toMatchObject({ ok: false, field: 'countries.0' });
    expect(readPathwayFile(altered(0, (e) => { e.checked = '2999-01-01'; }))).toMatchObject({ ok: false, field: 'checked', problem: 'is in the future' });
    expect(readPathwayFile(altered(0, (e) => { e.colour = 'blue'; }))).toMatchObject({ ok: false, field: 'colour', problem: 'is not a known field' });
    expect(readPathwayFile('[{"id": "x",\n}]')).toMatchObject({ ok: false, line: 2, problem: 'is not valid JSON' });
    expect(readPathwayFile('{}')).toMatchObject({ ok: false, problem: 'must be a JSON array of entries' });
  });
});

describe('in the database', () => {
  let t: TestApp;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await makeTestApp();
    admin = await signIn(t.app, await setupAdmin(t.db));
  });
  afterAll(async () => { await t.close(); });
  const stored = () => t.db.select({ n: count() }).from(pathways).get()!.n;
  const name = (id: string) => t.db.select().from(pathways).where(eq(pathways.id, id)).get()!.name;

  it('is seeded on start, once, and keeps edits on the next start', () => {
    expect(stored()).toBe(entries.length);
    t.db.update(pathways).set({ name: 'Edited by an admin' }).where(eq(pathways.id, 'edps')).run();
    expect(seedPathways(t.db)).toBe(0);
    expect(stored()).toBe(entries.length);
    expect(name('edps')).toBe('Edited by an admin');
  });

  it('stores nothing from a file with one bad entry, and everything from a good one', () => {
    const before = t.db.select().from(pathways).all();
    const bad = altered(30, (e) => { (e.how as Record<string, string>).web = 'not a url'; }, structuredClone(entries).map((e) => ({ ...e, name: `${e.name} (new)` })));
    expect(() => importPathways(t.db, bad, 'test')).toThrow(/line \d+, entry ".+": how\.web is not an http\(s\) URL/);
    expect(t.db.select().from(pathways).all()).toEqual(before);
    expect(importPathways(t.db, SHIPPED, 'test')).toEqual({ added: 0, updated: entries.length });
    expect(name('edps')).toBe(entries.find((e) => e.id === 'edps')!.name);
  });

  it('is imported and listed by the CLI', async () => {
    const file = join(t.dataDir, 'directory.json');
    writeFileSync(file, altered(0, (e) => { delete e.kind; }));
    const refused = await cli(['pathways', 'import', file], t.dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/line 2, entry "frontex-complaints": kind is missing\. Nothing was imported\./);
    writeFileSync(file, altered(0, (e) => { e.name = 'Frontex complaints mechanism (imported)'; }));
    const imported = await cli(['pathways', 'import', file], t.dataDir);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(new RegExp(`Imported ${entries.length} pathway\\(s\\)`));
    const listed = await cli(['pathways', 'list', '--json'], t.dataDir);
    const list = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(list).toHaveLength(entries.length);
    expect(Object.keys(list[0]!).sort()).toEqual([...FIELDS, 'retiredAt'].sort());
    expect(list.find((e) => e.id === 'frontex-complaints')!.name).toBe('Frontex complaints mechanism (imported)');
  });

  it('is edited by admins through the desk API, checked like an import', async () => {
    const put = (id: string, payload: object) => t.app.inject({ method: 'PUT', url: `/api/pathways/${id}`, payload, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    const entry = t.db.select().from(pathways).where(eq(pathways.id, 'dpa-gr')).get()!.entry as Record<string, unknown>;
    const badUrl = await put('dpa-gr', { entry: { ...entry, how: { ...(entry.how as object), web: 'dpa.gr' } }, retired: false });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json()).toMatchObject({ code: 'invalid_pathway', field: 'entry.how.web' });
    expect((await put('dpa-gr', { entry: { ...entry, id: 'dpa-xx' }, retired: false })).statusCode).toBe(400);
    const retired = await put('dpa-gr', { entry, retired: true });
    expect(retired.statusCode).toBe(200);
    expect(retired.json().retiredAt).toBeTruthy();
    const back = await put('dpa-gr', { entry, retired: false });
    expect(back.json().retiredAt).toBeNull();
    const created = await t.app.inject({
      method: 'POST', url: '/api/pathways', payload: { ...entry, id: 'dpa-gr' }, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(created.statusCode).toBe(409);
    expect(created.json().code).toBe('pathway_exists');
  });
});
