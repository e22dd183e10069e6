// Differencing two publications: a quarter is published, then one more case comes (today, or
// written into the published quarter, or a case is recoded), or a new quarter is released, and
// it is published again. Published quarters are frozen, so their figures are the same byte for
// byte and nothing can be subtracted; the attacker of test/helpers/attacker.ts, given every
// publication, recovers no count below k. Without the freeze it would (shown on purpose).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Publication } from '../../protocol/stats-api.ts';
import { QUARTERLY_HARM_CATEGORIES } from '../../protocol/stats-api.ts';
import { DEPLOYER_CLASSES, SYSTEM_TYPES } from '../../protocol/taxonomy.ts';
import { buildPublication } from '../../server/stats/publication.ts';
import { today } from '../../server/stats/calendar.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { recovered, recoveredAfterOneMore, type PublishedGroup } from '../helpers/attacker.ts';
import { clearCases, insertCases, times, type SeedCase } from '../helpers/cases.ts';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterEach(() => clearCases(t.db));
afterAll(async () => { await t.close(); });

const publish = (asOf: string) => buildPublication(t.db, { organisation: 'Test Org', asOf, today: today(), baseK: 5, k: 5, embargoDays: 30 });
const quarterRows = (p: Publication, quarter: string) =>
  p.tables.map((table) => ({ id: table.id, rows: table.rows.filter((r) => r.quarter === quarter), withheld: table.withheld.filter((w) => w.quarter === quarter) }));

/** A group (country, quarter) of a publication, as the attacker reads it. */
function groupOf(p: Publication, country: string, quarter: string): PublishedGroup {
  const rows = (id: string) => p.tables.find((x) => x.id === id)!;
  const line = (id: string, dimension: string, ids: readonly string[]) => {
    const table = rows(id);
    if (table.withheld.some((w) => w.country === country && w.quarter === quarter)) return null;
    return ids.map((v) => table.rows.find((r) => r.country === country && r.quarter === quarter && r[dimension as 'harm_category'] === v)!.count);
  };
  return {
    total: rows('reports_by_country_quarter').rows.find((r) => r.country === country && r.quarter === quarter)!.count,
    lines: [
      line('harm_by_country_quarter', 'harm_category', QUARTERLY_HARM_CATEGORIES),
      line('system_by_country_quarter', 'system_type', SYSTEM_TYPES),
      line('deployer_by_country_quarter', 'deployer_class', DEPLOYER_CLASSES),
    ],
  };
}

/** The true lines of a set of cases (all of one country and quarter). */
function truthOf(seeds: SeedCase[]) {
  const count = <T,>(ids: readonly T[], of: (s: SeedCase) => T) => ids.map((id) => seeds.filter((s) => of(s) === id).length);
  return {
    total: seeds.length,
    lines: [
      count(QUARTERLY_HARM_CATEGORIES, (s) => s.coded?.category ?? s.category ?? 'other'),
      count(SYSTEM_TYPES, (s) => s.coded?.systemType ?? s.systemType ?? 'unknown'),
      count(DEPLOYER_CLASSES, (s) => s.coded?.deployerClass ?? 'unknown'),
    ],
  };
}

// Greece, first quarter of 2025: four pushbacks (hidden) next to nine biometric lockouts.
const first: SeedCase[] = [
  ...times(9, { receivedOn: '2025-02-03', category: 'biometric_lockout', systemType: 'fingerprint', coded: { deployerClass: 'un_agency' } }),
  ...times(4, { receivedOn: '2025-02-10', category: 'pushback', systemType: 'drone_or_sensor_surveillance', coded: { deployerClass: 'coast_guard' } }),
];

describe('two publications', () => {
  it('publish a quarter, add one more case (today, or into that quarter), recode one, release a new quarter: nothing published changes', () => {
    insertCases(t.db, first);
    const a = publish('2025-06-01');
    expect(recovered([{ group: groupOf(a, 'GR', '2025-Q1'), k: 5 }], truthOf(first))).toEqual([]);

    insertCases(t.db, [{ receivedOn: today(), category: 'pushback' }]);
    expect(publish('2025-06-01')).toEqual(a);
    insertCases(t.db, [{ receivedOn: '2025-03-01', category: 'pushback', systemType: 'drone_or_sensor_surveillance', coded: { deployerClass: 'coast_guard' } }]);
    expect(publish('2025-06-01')).toEqual(a);
    t.db.$client.prepare("UPDATE cases SET coded_category = 'pushback' WHERE category = 'biometric_lockout' AND rowid = (SELECT min(rowid) FROM cases)").run();
    expect(publish('2025-06-01')).toEqual(a);

    const second: SeedCase[] = times(7, { receivedOn: '2025-05-05', category: 'pushback' });
    insertCases(t.db, second);
    const b = publish('2025-09-01');
    expect(b.quarters).toEqual(['2025-Q1', '2025-Q2']);
    expect(quarterRows(b, '2025-Q1')).toEqual(quarterRows(a, '2025-Q1'));
    // Everything published about either quarter, read together, pins nothing.
    expect(recovered([{ group: groupOf(a, 'GR', '2025-Q1'), k: 5 }, { group: groupOf(b, 'GR', '2025-Q1'), k: 5 }], truthOf(first))).toEqual([]);
    expect(recovered([{ group: groupOf(b, 'GR', '2025-Q2'), k: 5 }], truthOf(second))).toEqual([]);
  });

  it('would give a count away without the freeze: the attacker has teeth', () => {
    insertCases(t.db, first);
    const a = publish('2025-06-01');
    const late: SeedCase = { receivedOn: '2025-03-01', category: 'pushback', systemType: 'drone_or_sensor_surveillance', coded: { deployerClass: 'coast_guard' } };
    insertCases(t.db, [late]);
    t.db.$client.exec('DELETE FROM stat_releases'); // the freeze undone on purpose
    const b = publish('2025-06-01');
    expect(groupOf(b, 'GR', '2025-Q1').lines[0]![QUARTERLY_HARM_CATEGORIES.indexOf('pushback')]).toBe(5);
    expect(recoveredAfterOneMore({ group: groupOf(a, 'GR', '2025-Q1'), k: 5 }, { group: groupOf(b, 'GR', '2025-Q1'), k: 5 }, truthOf(first)))
      .toContain(`0:${QUARTERLY_HARM_CATEGORIES.indexOf('pushback')}=4`);
  });

  it('records each frozen quarter in the audit log, once', () => {
    const frozen = () => t.db.$client.prepare("SELECT subject FROM audit_log WHERE action = 'stats.quarter_frozen'").pluck().all();
    const before = frozen().length;
    insertCases(t.db, first);
    publish('2025-06-01');
    publish('2025-07-01');
    expect(frozen().slice(before)).toEqual(['2025-Q1']);
  });
});
