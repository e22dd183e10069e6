// What the server does to its database once migrations have run, before it answers anyone: seed
// the pathway directory with entries it does not have yet, give older cases a reference and the
// update deadlines, date older closed cases. Each step is idempotent: a second start does nothing.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { cases } from '../../db/schema.ts';
import { backfillCaseReferences } from './case-references.ts';
import { updateDeadlines } from './deadlines.ts';
import { seedPathways } from './pathways.ts';

export function prepareDatabase(db: Conn, now = new Date()): void {
  seedPathways(db, undefined, now);
  backfillCaseReferences(db);
  // Counted from the last change made to the case (the best guess of the last update), else arrival.
  const undated = db.select({ id: cases.id, receivedOn: cases.receivedOn, updatedAt: cases.updatedAt }).from(cases).where(isNull(cases.updateDue)).all();
  if (undated.length > 0) {
    db.transaction((tx) => {
      for (const c of undated) {
        const since = new Date(c.updatedAt ?? `${c.receivedOn}T00:00:00Z`);
        tx.update(cases).set(updateDeadlines(since)).where(eq(cases.id, c.id)).run();
      }
    });
  }
  // Closed before closing was dated: the last change is the best day known.
  db.update(cases).set({ closedOn: sql`coalesce(substr(${cases.updatedAt}, 1, 10), ${cases.receivedOn})` })
    .where(and(eq(cases.status, 'closed'), isNull(cases.closedOn))).run();
}
