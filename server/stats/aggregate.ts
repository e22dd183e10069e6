// Counts the cases into per-quarter aggregates (db/stat-aggregate.ts): coded fields where a
// caseworker set them, else the reporter's clear fields; each event in the quarter of its own day
// (receipt, acknowledgement, closing, referral). Reads clear fields and days only, never an
// envelope, a message or a note. Sensitive cases (sexual exploitation, a child) count only in the
// yearly table. One pass: cases, their events and their referrals are read side by side from
// covering indexes in case id order and merged here, so nothing is joined row by row in SQLite
// (several times the cost of the whole scan) and nothing per case is held in memory.
import type { Db } from '../../db/index.ts';
import type { QuarterAggregate } from '../../db/stat-aggregate.ts';
import type { ReferralEvent } from '../../protocol/stats-api.ts';
import { CLOSE_OUTCOMES, DEPLOYER_CLASSES, HARM_CATEGORY_IDS, SYSTEM_TYPES, type PathwayKind } from '../../protocol/taxonomy.ts';
import { dayNumber, dayOf, quarterOf } from './calendar.ts';

/** SQL that turns an enum column into its index in `ids`, so rows carry small integers, not strings. */
const indexOf = (column: string, ids: readonly string[]) => `CASE ${column} ${ids.map((id, i) => `WHEN '${id}' THEN ${i}`).join(' ')} ELSE -1 END`;
/** A YYYY-MM-DD column as whole days since 1970-01-01 (like calendar.ts's dayNumber). */
const day = (column: string) => `unixepoch(${column}) / 86400`;

// A closing is read from the case itself (remedy's closed_on and outcome), not from its timeline: a
// reopened case is closed again later (one case, one closing, its last, with the outcome it has
// now; a case reopened and still open is not closed), and a purged case keeps both while its
// timeline is deleted (server/services/retention.ts).
const CASES_SQL = `SELECT id, ${day('received_on')}, country, ${indexOf('coalesce(coded_category, category)', HARM_CATEGORY_IDS)},
  ${indexOf('coalesce(coded_system_type, system_type)', SYSTEM_TYPES)}, ${indexOf("coalesce(deployer_class, 'unknown')", DEPLOYER_CLASSES)},
  child, deployment_id, CASE WHEN status IN ('closed', 'purged') THEN ${day('closed_on')} END, ${indexOf('outcome', CLOSE_OUTCOMES)}
  FROM cases INDEXED BY cases_stats_idx ORDER BY id`;
// Acknowledgement happens once per case at most (protocol/lifecycle.ts: reopening leads to in_progress).
// A purged case's acknowledgement goes with its timeline; quarters published before then stay frozen.
const EVENTS_SQL = `SELECT case_id, ${day('"on"')} FROM case_events INDEXED BY case_events_stats_idx WHERE status = 'acknowledged' ORDER BY case_id`;
const REFERRALS_SQL = `SELECT case_id, pathway_id, ${day('sent_on')}, outcome, ${day('outcome_on')} FROM referrals INDEXED BY referrals_stats_idx ORDER BY case_id`;

type CaseRow = [string, number, string, number, number, number, number, string | null, number | null, number];
type EventRow = [string, number];
type ReferralRow = [string, string, number, string | null, number | null];

const SENSITIVE = HARM_CATEGORY_IDS.indexOf('sexual_exploitation');
const RESOLVED = CLOSE_OUTCOMES.indexOf('resolved');

const emptyQuarter = (): QuarterAggregate => ({ version: 1, received: {}, sensitive: {}, closed: {}, acknowledged: {}, referrals: {}, deployments: {} });

/** The median of whole days, rounded to a whole day. */
export function median(days: number[]): number {
  const sorted = Float64Array.from(days).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Rows of `rows` for one key after another, from a stream ordered by that key (ids are ASCII, so JS and SQLite order agree). */
function follower<R extends [string, ...unknown[]]>(rows: Iterator<R>) {
  let next = rows.next();
  return (id: string): R[] => {
    while (!next.done && next.value[0] < id) next = rows.next();
    const out: R[] = [];
    while (!next.done && next.value[0] === id) { out.push(next.value); next = rows.next(); }
    return out;
  };
}

const sparse = <K extends string>(ids: readonly K[], counts: Int32Array) =>
  Object.fromEntries(ids.flatMap((id, i) => (counts[i] ? [[id, counts[i]]] : []))) as Partial<Record<K, number>>;

/**
 * The aggregates of the quarters from `firstDay` to `lastDay` (YYYY-MM-DD, whole quarters) over
 * the cases held now. Takes the database itself, not a transaction: it streams rows from the driver.
 */
export function aggregateQuarters(db: Db, firstDay: string, lastDay: string): Map<string, QuarterAggregate> {
  const quarters = new Map<string, QuarterAggregate>();
  const at = (id: string) => quarters.get(id) ?? (quarters.set(id, emptyQuarter()), quarters.get(id)!);
  const names = new Map<number, string>();
  const quarterOfDay = (n: number) => names.get(n) ?? (names.set(n, quarterOf(dayOf(n))), names.get(n)!);
  const [first, last] = [dayNumber(firstDay), dayNumber(lastDay)];
  const inRange = (n: number | null): n is number => n !== null && n >= first && n <= last;
  const kinds = new Map(db.$client.prepare('SELECT id, kind FROM pathways').raw().all() as [string, PathwayKind][]);

  const received = new Map<string, { total: number; lines: [Int32Array, Int32Array, Int32Array] }>();
  const timing = new Map<string, { days: number[]; outcomes: Int32Array }>();
  const referred = new Map<string, number>();
  const events = db.$client.prepare(EVENTS_SQL).raw().iterate() as IterableIterator<EventRow>;
  const referrals = db.$client.prepare(REFERRALS_SQL).raw().iterate() as IterableIterator<ReferralRow>;
  const eventsOf = follower(events);
  const referralsOf = follower(referrals);
  try {
    for (const [id, receivedOn, country, category, system, deployer, child, deploymentId, closedOn, outcome] of db.$client.prepare(CASES_SQL).raw().iterate() as IterableIterator<CaseRow>) {
      if (receivedOn > last) continue; // nothing of it can fall in range: its events come after its receipt
      const caseEvents = eventsOf(id);
      const caseReferrals = referralsOf(id);
      const counted = receivedOn >= first;
      if (category === SENSITIVE || child) {
        if (!counted) continue;
        const groups = at(quarterOfDay(receivedOn)).sensitive[country] ??= {};
        if (category === SENSITIVE) groups.sexual_exploitation = (groups.sexual_exploitation ?? 0) + 1;
        if (child) groups.child = (groups.child ?? 0) + 1;
        continue;
      }
      if (counted) {
        const key = `${quarterOfDay(receivedOn)}|${country}`;
        let group = received.get(key);
        if (!group) received.set(key, group = { total: 0, lines: [new Int32Array(HARM_CATEGORY_IDS.length), new Int32Array(SYSTEM_TYPES.length), new Int32Array(DEPLOYER_CLASSES.length)] });
        group.total++;
        group.lines[0][category]!++;
        group.lines[1][system]!++;
        group.lines[2][deployer]!++;
        if (deploymentId) (at(quarterOfDay(receivedOn)).deployments[deploymentId] ??= { complaints: 0, remedies: 0 }).complaints++;
      }
      const closed = closedOn !== null && outcome >= 0;
      let firstRemedy: number | null = closed && outcome === RESOLVED ? closedOn : null;
      const timed: [number, number | null][] = caseEvents.map(([, on]) => [0, on]);
      if (closed) timed.push([1, closedOn]);
      for (const [isClosing, on] of timed) {
        if (!inRange(on)) continue;
        const key = `${isClosing}|${quarterOfDay(on)}|${country}`;
        let entry = timing.get(key);
        if (!entry) timing.set(key, entry = { days: [], outcomes: new Int32Array(CLOSE_OUTCOMES.length) });
        entry.days.push(on - receivedOn);
        if (isClosing) entry.outcomes[outcome]!++;
      }
      const seen = new Set<string>(); // a case counts once per quarter, kind of body and event
      for (const [, pathwayId, sentOn, outcome, outcomeOn] of caseReferrals) {
        const kind = kinds.get(pathwayId);
        if (outcome === 'remedy_granted' && outcomeOn !== null && (firstRemedy === null || outcomeOn < firstRemedy)) firstRemedy = outcomeOn;
        for (const [event, on] of [['sent', sentOn], [outcome, outcomeOn]] as const) {
          if (!kind || !event || !inRange(on)) continue;
          const key = `${quarterOfDay(on)}|${kind}|${event}`;
          if (!seen.has(key)) { seen.add(key); referred.set(key, (referred.get(key) ?? 0) + 1); }
        }
      }
      if (deploymentId && inRange(firstRemedy)) (at(quarterOfDay(firstRemedy)).deployments[deploymentId] ??= { complaints: 0, remedies: 0 }).remedies++;
    }
  } finally {
    events.return?.();
    referrals.return?.();
  }

  for (const [key, group] of received) {
    const [q, country] = key.split('|') as [string, string];
    at(q).received[country] = {
      total: group.total, harm: sparse(HARM_CATEGORY_IDS, group.lines[0]), system: sparse(SYSTEM_TYPES, group.lines[1]), deployer: sparse(DEPLOYER_CLASSES, group.lines[2]),
    };
  }
  for (const [key, { days, outcomes }] of timing) {
    const [closed, q, country] = key.split('|') as [string, string, string];
    if (closed === '1') at(q).closed[country] = { total: days.length, outcome: sparse(CLOSE_OUTCOMES, outcomes), medianDays: median(days) };
    else at(q).acknowledged[country] = { total: days.length, medianDays: median(days) };
  }
  for (const [key, n] of referred) {
    const [q, kind, event] = key.split('|') as [string, PathwayKind, ReferralEvent];
    const counts = at(q).referrals[kind] ??= {};
    counts[event] = n;
  }
  return quarters;
}
