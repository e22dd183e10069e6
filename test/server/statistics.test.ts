// What the statistics count, from cases written straight into the database: coded fields over the
// reporter's, sensitive cases only yearly, each event in its own quarter, the embargo, referral
// outcomes by kind of body, medians only where k cases stand behind them; quarters frozen at first
// publication, so a late or recoded case changes nothing published and the attacker of
// test/helpers/attacker.ts recovers nothing from two publications.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Publication, StatRow, StatTableId } from '../../protocol/stats-api.ts';
import { QUARTERLY_HARM_CATEGORIES } from '../../protocol/stats-api.ts';
import { DEPLOYER_CLASSES, SYSTEM_TYPES } from '../../protocol/taxonomy.ts';
import { purgeExpiredCases } from '../../server/services/retention.ts';
import { buildPublication } from '../../server/stats/publication.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { clearCases, insertCases, insertPathways, times } from '../helpers/cases.ts';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); insertPathways(t.db); });
afterEach(() => clearCases(t.db));
afterAll(async () => { await t.close(); });

const publish = (asOf: string, k = 5, today = '2026-12-01') =>
  buildPublication(t.db, { organisation: 'Test Org', asOf, today, baseK: 5, k, embargoDays: 30 });
// Counts here are multiples of 5 wherever a value is asserted: those are published as they are (the
// rounding of the others depends on the instance's secret key).
const table = (p: Publication, id: StatTableId) => p.tables.find((x) => x.id === id)!;
const find = (p: Publication, id: StatTableId, match: Partial<StatRow>) =>
  table(p, id).rows.filter((r) => Object.entries(match).every(([key, value]) => r[key as keyof StatRow] === value));
const countOf = (p: Publication, id: StatTableId, match: Partial<StatRow>) => {
  const rows = find(p, id, match);
  expect(rows, JSON.stringify(match)).toHaveLength(1);
  return rows[0]!.count;
};

describe('what is counted', () => {
  it('counts coded fields where a caseworker set them, else the reporter\'s', () => {
    insertCases(t.db, [
      ...times(10, { receivedOn: '2025-02-03', category: 'biometric_lockout', systemType: 'iris_scan' }),
      // Reported as "other" with "I don't know", coded as biometric lockouts by an iris scan deployed by a UN agency.
      ...times(10, { receivedOn: '2025-02-10', category: 'other', coded: { category: 'biometric_lockout', systemType: 'iris_scan', deployerClass: 'un_agency' } }),
      ...times(5, { receivedOn: '2025-03-30', category: 'pushback', systemType: 'drone_or_sensor_surveillance' }),
    ]);
    const p = publish('2025-06-01');
    expect(p.quarters).toEqual(['2025-Q1']);
    expect(countOf(p, 'reports_by_country_quarter', { country: 'GR', quarter: '2025-Q1' })).toBe(25);
    expect(countOf(p, 'harm_by_country_quarter', { country: 'GR', harm_category: 'biometric_lockout' })).toBe(20);
    expect(countOf(p, 'harm_by_country_quarter', { country: 'GR', harm_category: 'pushback' })).toBe(5);
    expect(countOf(p, 'harm_by_country_quarter', { country: 'GR', harm_category: 'other' })).toBe('<5');
    expect(countOf(p, 'system_by_country_quarter', { country: 'GR', system_type: 'iris_scan' })).toBe(20);
    expect(countOf(p, 'deployer_by_country_quarter', { country: 'GR', deployer_class: 'un_agency' })).toBe(10);
    expect(countOf(p, 'deployer_by_country_quarter', { country: 'GR', deployer_class: 'unknown' })).toBe(15);
    // Every value of every line is listed, hidden or not, so an absent row never means zero.
    expect(find(p, 'harm_by_country_quarter', { country: 'GR' })).toHaveLength(QUARTERLY_HARM_CATEGORIES.length);
    expect(find(p, 'system_by_country_quarter', { country: 'GR' })).toHaveLength(SYSTEM_TYPES.length);
    expect(find(p, 'deployer_by_country_quarter', { country: 'GR' })).toHaveLength(DEPLOYER_CLASSES.length);
  });

  it('leaves out a country with fewer than k reports in a quarter, and counts sensitive cases only as yearly national totals', () => {
    insertCases(t.db, [
      ...times(10, { receivedOn: '2025-01-10', country: 'JO', category: 'assistance_cut' }),
      ...times(3, { receivedOn: '2025-01-10', country: 'LB', category: 'assistance_cut' }),
      ...times(3, { receivedOn: '2025-02-10', country: 'JO', category: 'sexual_exploitation' }),
      ...times(2, { receivedOn: '2025-08-10', country: 'JO', coded: { category: 'sexual_exploitation' } }),
      ...times(5, { receivedOn: '2025-11-10', country: 'JO', category: 'pushback', child: true }),
    ]);
    const quarterly = publish('2025-12-01');
    expect(quarterly.quarters).toEqual(['2025-Q1', '2025-Q2', '2025-Q3']);
    expect(find(quarterly, 'reports_by_country_quarter', {})).toEqual([{ country: 'JO', quarter: '2025-Q1', count: 10 }]);
    expect(find(quarterly, 'harm_by_country_quarter', { harm_category: 'sexual_exploitation' })).toEqual([]);
    expect(table(quarterly, 'sensitive_by_country_year').rows).toEqual([]); // 2025 is not complete yet
    const yearly = publish('2026-02-01');
    expect(yearly.years).toEqual(['2025']);
    expect(find(yearly, 'reports_by_country_quarter', {})).toHaveLength(1); // the child's pushback is not in Q4's tables
    expect(countOf(yearly, 'sensitive_by_country_year', { country: 'JO', year: '2025', sensitive_group: 'sexual_exploitation' })).toBe(5);
    expect(countOf(yearly, 'sensitive_by_country_year', { country: 'JO', year: '2025', sensitive_group: 'child' })).toBe(5);
  });

  it('puts each case in the quarter of its day, first and last days included', () => {
    insertCases(t.db, [
      ...times(5, { receivedOn: '2025-03-31', acknowledgedOn: '2025-03-31', closedOn: '2025-06-30', outcome: 'withdrawn' }),
      ...times(5, { receivedOn: '2025-04-01', acknowledgedOn: '2025-04-01', closedOn: '2025-07-01', outcome: 'withdrawn' }),
    ]);
    const p = publish('2025-12-01');
    expect(find(p, 'reports_by_country_quarter', {}).map((r) => [r.quarter, r.count])).toEqual([['2025-Q1', 5], ['2025-Q2', 5]]);
    expect(find(p, 'days_to_acknowledgement_by_country_quarter', {}).map((r) => [r.quarter, r.count, r.median_days])).toEqual([['2025-Q1', 5, 0], ['2025-Q2', 5, 0]]);
    expect(find(p, 'days_to_outcome_by_country_quarter', {}).map((r) => [r.quarter, r.count, r.median_days])).toEqual([['2025-Q2', 5, 91], ['2025-Q3', 5, 91]]);
  });

  it('withholds a quarter until it has ended and the embargo has passed', () => {
    insertCases(t.db, times(5, { receivedOn: '2025-12-20' }));
    expect(publish('2026-01-30').quarters).not.toContain('2025-Q4');
    expect(publish('2026-01-31').quarters).toContain('2025-Q4'); // 1 January + 30 days
  });

  it('counts outcomes and median days in the quarter they happened, only where k cases stand behind them', () => {
    insertCases(t.db, [
      ...times(5, { receivedOn: '2025-01-05', acknowledgedOn: '2025-01-08', closedOn: '2025-04-04', outcome: 'resolved' }),
      ...times(5, { receivedOn: '2025-01-06', acknowledgedOn: '2025-01-16', closedOn: '2025-04-06', outcome: 'referred_out' }),
      ...times(4, { receivedOn: '2025-01-07', acknowledgedOn: '2025-04-02' }),
    ]);
    const p = publish('2025-09-01');
    expect(countOf(p, 'outcomes_by_country_quarter', { quarter: '2025-Q2', outcome: 'resolved' })).toBe(5);
    expect(find(p, 'outcomes_by_country_quarter', { quarter: '2025-Q1' })).toEqual([]);
    expect(find(p, 'days_to_outcome_by_country_quarter', {})).toEqual([{ country: 'GR', quarter: '2025-Q2', count: 10, median_days: 90 }]);
    expect(find(p, 'days_to_acknowledgement_by_country_quarter', {})).toEqual([{ country: 'GR', quarter: '2025-Q1', count: 10, median_days: 7 }]);
  });

  it('counts a reopened case once, at its last closing with its outcome now, and keeps counting a purged case (remedy\'s lifecycle)', () => {
    const reopened = insertCases(t.db, times(5, { receivedOn: '2025-01-05', closedOn: '2025-02-01', outcome: 'resolved', deploymentId: 'eurodac' }));
    // Reopened (closed in error) and closed again as withdrawn: the timeline holds two closings.
    const sqlite = t.db.$client;
    for (const id of reopened) {
      sqlite.prepare("INSERT INTO case_events (id, case_id, \"on\", status, outcome) VALUES (?, ?, '2025-05-02', 'in_progress', NULL)").run(`${id}-r`, id);
      sqlite.prepare("INSERT INTO case_events (id, case_id, \"on\", status, outcome) VALUES (?, ?, '2025-05-10', 'closed', 'withdrawn')").run(`${id}-c`, id);
      sqlite.prepare("UPDATE cases SET status = 'closed', closed_on = '2025-05-10', outcome = 'withdrawn' WHERE id = ?").run(id);
    }
    // Closed, then purged once the team's retention period has passed: its timeline is deleted.
    insertCases(t.db, times(5, { receivedOn: '2025-01-06', acknowledgedOn: '2025-01-08', closedOn: '2025-02-03', outcome: 'out_of_scope' }));
    expect(purgeExpiredCases(t.db, 'test', new Date('2026-02-10T00:00:00Z'), t.app.files.dir)).toHaveLength(5); // 365 days after 3 February
    const p = publish('2025-09-01');
    expect(countOf(p, 'reports_by_country_quarter', { quarter: '2025-Q1' })).toBe(10);
    expect(find(p, 'outcomes_by_country_quarter', { quarter: '2025-Q1', outcome: 'resolved' }).map((r) => r.count)).not.toContain(5);
    expect(countOf(p, 'outcomes_by_country_quarter', { quarter: '2025-Q1', outcome: 'out_of_scope' })).toBe(5);
    expect(countOf(p, 'outcomes_by_country_quarter', { quarter: '2025-Q2', outcome: 'withdrawn' })).toBe(5);
    expect(countOf(p, 'complaints_by_deployment', { deployment: 'eurodac', measure: 'remedies' })).toBe('<5');
  });

  it('counts referral outcomes by kind of body, each case once per kind and event', () => {
    insertCases(t.db, [
      ...times(5, { receivedOn: '2025-01-05', referrals: [{ pathwayId: 'dpa-gr', sentOn: '2025-01-20', outcome: 'admissible', outcomeOn: '2025-02-20' }, { pathwayId: 'dpa-de', sentOn: '2025-01-21' }] }),
      ...times(5, { receivedOn: '2025-01-05', referrals: [{ pathwayId: 'frontex-complaints', sentOn: '2025-02-01', outcome: 'remedy_granted', outcomeOn: '2025-05-01' }] }),
      ...times(2, { receivedOn: '2025-01-05', child: true, referrals: [{ pathwayId: 'dpa-gr', sentOn: '2025-01-20' }] }),
    ]);
    const p = publish('2025-09-01');
    expect(countOf(p, 'referrals_by_pathway_kind_quarter', { quarter: '2025-Q1', pathway_kind: 'dpa', referral_event: 'sent' })).toBe(5);
    expect(countOf(p, 'referrals_by_pathway_kind_quarter', { quarter: '2025-Q1', pathway_kind: 'dpa', referral_event: 'admissible' })).toBe(5);
    expect(countOf(p, 'referrals_by_pathway_kind_quarter', { quarter: '2025-Q1', pathway_kind: 'eu_complaints_mechanism', referral_event: 'sent' })).toBe(5);
    expect(countOf(p, 'referrals_by_pathway_kind_quarter', { quarter: '2025-Q2', pathway_kind: 'eu_complaints_mechanism', referral_event: 'remedy_granted' })).toBe(5);
  });

  it('counts complaints linked to a register entry and those that reached a remedy, over every released quarter', () => {
    insertCases(t.db, [
      ...times(6, { receivedOn: '2025-01-05', deploymentId: 'eurodac', closedOn: '2025-02-01', outcome: 'resolved' }),
      ...times(4, { receivedOn: '2025-04-05', deploymentId: 'eurodac', referrals: [{ pathwayId: 'edps', sentOn: '2025-04-10', outcome: 'remedy_granted', outcomeOn: '2025-05-01' }] }),
    ]);
    const p = publish('2025-09-01');
    expect(countOf(p, 'complaints_by_deployment', { deployment: 'eurodac', measure: 'complaints' })).toBe(10);
    expect(countOf(p, 'complaints_by_deployment', { deployment: 'eurodac', measure: 'remedies' })).toBe(10);
    expect(countOf(p, 'complaints_by_deployment', { deployment: 'iborderctrl', measure: 'complaints' })).toBe('<5');
  });
});
