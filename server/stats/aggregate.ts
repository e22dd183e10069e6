// Counts the cases into per-quarter aggregates (db/stat-aggregate.ts), streaming: coded fields where
// a caseworker set them, else the reporter's clear fields; each event in the quarter of its own day
// (receipt, acknowledgement, closing, referral). Reads clear fields and days only: never an
// envelope, a message or a note. Sensitive cases (sexual exploitation, a child) count only in the
// yearly table.
import type { Db } from '../../db/index.ts';
import type { QuarterAggregate } from '../../db/stat-aggregate.ts';
import type { ReferralEvent } from '../../protocol/stats-api.ts';
import { dayNumber, quarterOf } from './calendar.ts';

const SENSITIVE = `(coalesce(c.coded_category, c.category) = 'sexual_exploitation' OR c.child = 1)`;

// Receipts: read from cases_stats_idx alone (it holds every column named here).
const RECEIVED_SQL = `SELECT c.received_on, c.country, coalesce(c.coded_category, c.category), coalesce(c.coded_system_type, c.system_type),
  coalesce(c.deployer_class, 'unknown'), c.child, c.deployment_id
  FROM cases c INDEXED BY cases_stats_idx WHERE c.received_on BETWEEN ? AND ?`;
// Acknowledgements and closings happen once per case at most (protocol/lifecycle.ts).
const EVENTS_SQL = `SELECT e.status, e."on", e.outcome, c.received_on, c.country
  FROM case_events e JOIN cases c ON c.id = e.case_id
  WHERE e.status IN ('acknowledged', 'closed') AND e."on" BETWEEN ? AND ? AND NOT ${SENSITIVE}`;
const REFERRALS_SQL = `SELECT r.case_id, p.kind, r.sent_on, r.outcome, r.outcome_on, c.deployment_id
  FROM referrals r JOIN pathways p ON p.id = r.pathway_id JOIN cases c ON c.id = r.case_id WHERE NOT ${SENSITIVE}`;
// First remedy of each linked case: closed as resolved, or a referral that granted one.
const REMEDIES_SQL = `SELECT c.deployment_id, min(r.day) FROM (
    SELECT case_id, "on" AS day FROM case_events WHERE status = 'closed' AND outcome = 'resolved'
    UNION ALL SELECT case_id, outcome_on FROM referrals WHERE outcome = 'remedy_granted' AND outcome_on IS NOT NULL
  ) r JOIN cases c ON c.id = r.case_id WHERE c.deployment_id IS NOT NULL AND NOT ${SENSITIVE} GROUP BY r.case_id`;

type Received = [string, string, string, string, string, number, string | null];
type Event = [string, string, string | null, string, string];
type Referral = [string, string, string, string | null, string | null, string | null];

const emptyQuarter = (): QuarterAggregate => ({ version: 1, received: {}, sensitive: {}, closed: {}, acknowledged: {}, referrals: {}, deployments: {} });

function bump<K extends string>(counts: Partial<Record<K, number>>, key: K, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/** The median of whole days, rounded to a whole day. */
export function median(days: number[]): number {
  const sorted = Float64Array.from(days).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/**
 * The aggregates of the quarters from `firstDay` to `lastDay` (both YYYY-MM-DD, whole quarters) over
 * the cases held now. Takes the database itself, not a transaction: it streams rows from the driver.
 */
export function aggregateQuarters(db: Db, firstDay: string, lastDay: string): Map<string, QuarterAggregate> {
  const quarters = new Map<string, QuarterAggregate>();
  const memo = new Map<string, string>();
  const quarterId = (day: string) => memo.get(day) ?? (memo.set(day, quarterOf(day)), memo.get(day)!);
  const at = (id: string) => quarters.get(id) ?? (quarters.set(id, emptyQuarter()), quarters.get(id)!);
  const quarter = (day: string) => at(quarterId(day));
  const inRange = (day: string) => day >= firstDay && day <= lastDay;
  const deployment = (q: QuarterAggregate, id: string) => (q.deployments[id] ??= { complaints: 0, remedies: 0 });

  for (const [receivedOn, country, category, system, deployer, child, deploymentId] of db.$client.prepare(RECEIVED_SQL).raw().iterate(firstDay, lastDay) as IterableIterator<Received>) {
    const q = quarter(receivedOn);
    if (category === 'sexual_exploitation' || child) {
      const groups = q.sensitive[country] ??= {};
      if (category === 'sexual_exploitation') bump(groups, 'sexual_exploitation');
      if (child) bump(groups, 'child');
      continue;
    }
    const group = q.received[country] ??= { total: 0, harm: {}, system: {}, deployer: {} };
    group.total++;
    bump(group.harm, category as never);
    bump(group.system, system as never);
    bump(group.deployer, deployer as never);
    if (deploymentId) deployment(q, deploymentId).complaints++;
  }

  const days = new Map<string, number[]>();
  const record = (kind: string, q: string, country: string, n: number) => {
    const key = `${kind}|${q}|${country}`;
    (days.get(key) ?? (days.set(key, []), days.get(key)!)).push(n);
  };
  for (const [status, on, outcome, receivedOn, country] of db.$client.prepare(EVENTS_SQL).raw().iterate(firstDay, lastDay) as IterableIterator<Event>) {
    const elapsed = dayNumber(on) - dayNumber(receivedOn);
    if (status === 'acknowledged') { record('ack', quarterId(on), country, elapsed); continue; }
    if (!outcome) continue;
    const closed = quarter(on).closed[country] ??= { total: 0, outcome: {}, medianDays: 0 };
    closed.total++;
    bump(closed.outcome, outcome as never);
    record('closed', quarterId(on), country, elapsed);
  }
  for (const [key, list] of days) {
    const [kind, q, country] = key.split('|') as [string, string, string];
    if (kind === 'closed') at(q).closed[country]!.medianDays = median(list);
    else at(q).acknowledged[country] = { total: list.length, medianDays: median(list) };
  }

  // Referrals: distinct cases per quarter, pathway kind and event.
  const referred = new Map<string, Set<string>>();
  for (const [caseId, kind, sentOn, outcome, outcomeOn] of db.$client.prepare(REFERRALS_SQL).raw().iterate() as IterableIterator<Referral>) {
    for (const [event, day] of [['sent', sentOn], [outcome, outcomeOn]] as const) {
      if (!event || !day || !inRange(day)) continue;
      const key = `${quarterId(day)}|${kind}|${event}`;
      (referred.get(key) ?? (referred.set(key, new Set()), referred.get(key)!)).add(caseId);
    }
  }
  for (const [key, cases] of referred) {
    const [q, kind, event] = key.split('|') as [string, keyof QuarterAggregate['referrals'], ReferralEvent];
    bump(at(q).referrals[kind] ??= {}, event, cases.size);
  }
  for (const [deploymentId, day] of db.$client.prepare(REMEDIES_SQL).raw().iterate() as IterableIterator<[string, string]>) {
    if (inRange(day)) deployment(quarter(day), deploymentId).remedies++;
  }
  return quarters;
}
