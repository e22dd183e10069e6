// Builds a publication: the fixed tables over the released quarters, every count through
// disclosure control (server/stats/disclosure.ts) with draws keyed by a secret of this instance,
// so the same figures come out every time they are published.
import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { deployments, serverSecrets } from '../../db/schema.ts';
import type { QuarterAggregate } from '../../db/stat-aggregate.ts';
import {
  DEPLOYMENT_MEASURES, QUARTERLY_HARM_CATEGORIES, REFERRAL_EVENTS, SENSITIVE_GROUPS, STAT_TABLES, TABLE_DIMENSIONS,
  type Publication, type StatRow, type StatTable, type StatTableId,
} from '../../protocol/stats-api.ts';
import { CLOSE_OUTCOMES, DEPLOYER_CLASSES, PATHWAY_KINDS, SYSTEM_TYPES } from '../../protocol/taxonomy.ts';
import { ROUNDING_BASE, protectCell, protectGroup, restrictGroup, type Cell, type Group, type ProtectedGroup, type Shown } from './disclosure.ts';
import { releasedQuarters } from './releases.ts';

export interface PublicationRequest {
  organisation: string;
  asOf: string;
  today: string;
  /** The organisation's k, and the k of this publication (the same or stricter). */
  baseK: number;
  k: number;
  embargoDays: number;
  tables?: readonly StatTableId[];
  /** Released quarters to include (YYYY-Qn), both ends included. */
  from?: string;
  to?: string;
}

const KEY_NAME = 'stats_rounding_key';

/** The secret that fixes every cell's draw; made once, kept with the data (backups carry it). */
export function roundingKey(db: Db): Buffer {
  const found = db.select().from(serverSecrets).where(eq(serverSecrets.name, KEY_NAME)).get();
  if (found) return Buffer.from(found.value, 'base64url');
  db.insert(serverSecrets).values({ name: KEY_NAME, value: randomBytes(32).toString('base64url') }).onConflictDoNothing().run();
  return roundingKey(db);
}

export function buildPublication(db: Db, request: PublicationRequest): Publication {
  const { k, baseK } = request;
  const key = roundingKey(db);
  const cell = (context: string, count: number): Cell =>
    ({ count, draw: createHmac('sha256', key).update(`${context}|${count}`).digest().readUInt32BE(0) / 2 ** 32 });
  const single = (context: string, count: number): Shown => protectCell(cell(context, count), k);
  const grouped = (group: Group): ProtectedGroup | null =>
    (k === baseK ? protectGroup(group, k) : restrictGroup(group, protectGroup(group, baseK), baseK, k));

  const released = releasedQuarters(db, request.asOf, request.embargoDays, request.today);
  const quarters = released.quarters.filter((q) => (!request.from || q >= request.from) && (!request.to || q <= request.to));
  const rows = new Map<StatTableId, StatRow[]>(STAT_TABLES.map((id) => [id, []]));
  const withheld = new Map<StatTableId, StatTable['withheld']>(STAT_TABLES.map((id) => [id, []]));
  const add = (table: StatTableId, row: StatRow) => rows.get(table)!.push(row);
  const lineRows = (table: StatTableId, dimension: keyof StatRow, ids: readonly string[], line: Shown[] | null, at: { country: string; quarter: string }) => {
    if (!line) return withheld.get(table)!.push(at);
    ids.forEach((id, i) => add(table, { ...at, [dimension]: id, count: line[i]! }));
  };

  for (const quarter of quarters) {
    const agg = released.aggregates.get(quarter)!;
    for (const [country, g] of Object.entries(agg.received).sort()) {
      const at = { country, quarter };
      const ctx = `${country}|${quarter}`;
      const published = grouped({
        total: cell(`reports|${ctx}`, g.total),
        lines: [
          QUARTERLY_HARM_CATEGORIES.map((id) => cell(`harm|${ctx}|${id}`, g.harm[id] ?? 0)),
          SYSTEM_TYPES.map((id) => cell(`system|${ctx}|${id}`, g.system[id] ?? 0)),
          DEPLOYER_CLASSES.map((id) => cell(`deployer|${ctx}|${id}`, g.deployer[id] ?? 0)),
        ],
      });
      if (!published) continue;
      add('reports_by_country_quarter', { ...at, count: published.total });
      lineRows('harm_by_country_quarter', 'harm_category', QUARTERLY_HARM_CATEGORIES, published.lines[0]!, at);
      lineRows('system_by_country_quarter', 'system_type', SYSTEM_TYPES, published.lines[1]!, at);
      lineRows('deployer_by_country_quarter', 'deployer_class', DEPLOYER_CLASSES, published.lines[2]!, at);
    }
    for (const [country, g] of Object.entries(agg.closed).sort()) {
      const at = { country, quarter };
      const published = grouped({
        total: cell(`closed|${country}|${quarter}`, g.total),
        lines: [CLOSE_OUTCOMES.map((id) => cell(`outcome|${country}|${quarter}|${id}`, g.outcome[id] ?? 0))],
      });
      if (!published) continue;
      lineRows('outcomes_by_country_quarter', 'outcome', CLOSE_OUTCOMES, published.lines[0]!, at);
      add('days_to_outcome_by_country_quarter', { ...at, count: published.total, median_days: g.medianDays });
    }
    for (const [country, g] of Object.entries(agg.acknowledged).sort()) {
      if (g.total >= k) add('days_to_acknowledgement_by_country_quarter', { country, quarter, count: single(`ack|${country}|${quarter}`, g.total), median_days: g.medianDays });
    }
    // A quarter's referral rows are listed when any is at least k: leaving out an all-hidden block says no more than listing it.
    const referralCounts = PATHWAY_KINDS.flatMap((kind) => REFERRAL_EVENTS.map((event) => [kind, event, agg.referrals[kind]?.[event] ?? 0] as const));
    if (referralCounts.some(([, , n]) => n >= k)) {
      for (const [kind, event, n] of referralCounts) add('referrals_by_pathway_kind_quarter', { quarter, pathway_kind: kind, referral_event: event, count: single(`referral|${quarter}|${kind}|${event}`, n) });
    }
  }

  const years = yearsCovered(quarters);
  for (const year of years) {
    const byCountry = new Map<string, Record<string, number>>();
    for (const q of [1, 2, 3, 4]) {
      for (const [country, counts] of Object.entries(released.aggregates.get(`${year}-Q${q}`)?.sensitive ?? {})) {
        const sum = byCountry.get(country) ?? {};
        for (const group of SENSITIVE_GROUPS) sum[group] = (sum[group] ?? 0) + (counts[group] ?? 0);
        byCountry.set(country, sum);
      }
    }
    for (const [country, sum] of [...byCountry].sort()) {
      if (!SENSITIVE_GROUPS.some((group) => (sum[group] ?? 0) >= k)) continue;
      for (const group of SENSITIVE_GROUPS) add('sensitive_by_country_year', { country, year, sensitive_group: group, count: single(`sensitive|${country}|${year}|${group}`, sum[group] ?? 0) });
    }
  }

  // Always over every released quarter, whatever range was asked: two ranges must not difference into one quarter.
  for (const [id, counts] of deploymentTotals(db, released.quarters.map((q) => released.aggregates.get(q)!))) {
    for (const measure of DEPLOYMENT_MEASURES) add('complaints_by_deployment', { deployment: id, measure, count: single(`deployment|${id}|${measure}`, counts[measure]) });
  }

  const wanted = request.tables?.length ? STAT_TABLES.filter((id) => request.tables!.includes(id)) : STAT_TABLES;
  return {
    format: 'redress-statistics/1', organisation: request.organisation, asOf: request.asOf, k, roundingBase: ROUNDING_BASE,
    embargoDays: request.embargoDays, quarters, years,
    tables: wanted.map((id) => ({ id, dimensions: [...TABLE_DIMENSIONS[id]], rows: rows.get(id)!, withheld: withheld.get(id)! })),
  };
}

/** Years whose four quarters are all in the publication. */
function yearsCovered(quarters: string[]): string[] {
  const set = new Set(quarters);
  return [...new Set(quarters.map((q) => q.slice(0, 4)))].filter((y) => [1, 2, 3, 4].every((n) => set.has(`${y}-Q${n}`)));
}

/** Complaints and remedies per register entry, summed over the given quarters (entries in the register now). */
function deploymentTotals(db: Db, aggregates: QuarterAggregate[]): [string, { complaints: number; remedies: number }][] {
  const ids = db.select({ id: deployments.id }).from(deployments).all().map((d) => d.id).sort();
  return ids.map((id) => {
    const sum = { complaints: 0, remedies: 0 };
    for (const agg of aggregates) {
      sum.complaints += agg.deployments[id]?.complaints ?? 0;
      sum.remedies += agg.deployments[id]?.remedies ?? 0;
    }
    return [id, sum];
  });
}
