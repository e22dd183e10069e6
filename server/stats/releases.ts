// Which quarters a publication covers, and their aggregates: a quarter is released on the day after
// it ends plus the embargo, and frozen (stat_releases) the first time it is published on or after
// that day, so that nothing done to the cases later changes or reveals what was published.
import { and, gte, lte } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { statReleases } from '../../db/schema.ts';
import type { QuarterAggregate } from '../../db/stat-aggregate.ts';
import { appendAudit } from '../services/audit.ts';
import { aggregateQuarters } from './aggregate.ts';
import { dayNumber, dayOf, latestReleased, nextQuarter, quarterOf, quarterStart, quartersBetween, releaseDay } from './calendar.ts';

export interface Released { quarters: string[]; aggregates: Map<string, QuarterAggregate> }

const lastDayOf = (quarter: string) => dayOf(dayNumber(quarterStart(nextQuarter(quarter))) - 1);

/** The earliest quarter anything was counted in: the first case received, or the first frozen quarter. */
function firstQuarter(db: Db): string | null {
  // Per team, so each minimum is one step down cases_team_received_idx instead of a scan of every case.
  const firstCase = db.$client.prepare('SELECT min((SELECT min(received_on) FROM cases WHERE team_id = t.id)) FROM teams t').pluck().get() as string | null;
  const firstFrozen = db.$client.prepare('SELECT min(quarter) FROM stat_releases').pluck().get() as string | null;
  const candidates = [firstCase && quarterOf(firstCase), firstFrozen].filter((q): q is string => Boolean(q));
  return candidates.length ? candidates.sort()[0]! : null;
}

/**
 * The quarters released on `asOf` and their aggregates. Quarters released by `today` and not yet
 * frozen are counted now and frozen (audited); quarters released by `asOf` but not yet by `today`
 * (an operator's look ahead) are counted and not frozen.
 */
export function releasedQuarters(db: Db, asOf: string, embargoDays: number, today: string): Released {
  const first = firstQuarter(db);
  if (!first) return { quarters: [], aggregates: new Map() };
  const quarters = quartersBetween(first, latestReleased(asOf, embargoDays));
  if (!quarters.length) return { quarters, aggregates: new Map() };
  const frozen = () => new Map(db.select().from(statReleases)
    .where(and(gte(statReleases.quarter, quarters[0]!), lte(statReleases.quarter, quarters.at(-1)!))).all()
    .map((row) => [row.quarter, row.aggregate]));
  let aggregates = frozen();
  const missing = quarters.filter((q) => !aggregates.has(q));
  if (!missing.length) return { quarters, aggregates };
  const counted = aggregateQuarters(db, quarterStart(missing[0]!), lastDayOf(missing.at(-1)!));
  const empty = (): QuarterAggregate => ({ version: 1, received: {}, sensitive: {}, closed: {}, acknowledged: {}, referrals: {}, deployments: {} });
  const toFreeze = missing.filter((q) => releaseDay(q, embargoDays) <= today);
  if (toFreeze.length) {
    db.transaction((tx) => {
      for (const quarter of toFreeze) {
        const inserted = tx.insert(statReleases).values({ quarter, frozenOn: today, aggregate: counted.get(quarter) ?? empty() })
          .onConflictDoNothing().run();
        if (inserted.changes) appendAudit(tx, { at: new Date().toISOString(), actor: 'system', action: 'stats.quarter_frozen', subject: quarter });
      }
    });
    aggregates = frozen();
  }
  for (const q of missing) if (!aggregates.has(q)) aggregates.set(q, counted.get(q) ?? empty());
  return { quarters, aggregates };
}
