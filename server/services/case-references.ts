// Case references: drawn at random at intake (never derived from order or time), unique, and
// given to cases stored before references existed.
import { eq, isNull } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { cases } from '../../db/schema.ts';
import { newCaseReference } from '../../protocol/case-reference.ts';

/** A reference no case holds yet. 30 random bits: a clash is rare, and simply drawn again. */
export function uniqueCaseReference(db: Conn, draw: () => string = newCaseReference): string {
  for (;;) {
    const reference = draw();
    if (!db.select({ id: cases.id }).from(cases).where(eq(cases.reference, reference)).get()) return reference;
  }
}

/** Gives every case without a reference one (cases from before migration 0006). Returns how many. */
export function backfillCaseReferences(db: Conn): number {
  const missing = db.select({ id: cases.id }).from(cases).where(isNull(cases.reference)).all();
  if (missing.length === 0) return 0;
  db.transaction((tx) => {
    for (const { id } of missing) tx.update(cases).set({ reference: uniqueCaseReference(tx) }).where(eq(cases.id, id)).run();
  });
  return missing.length;
}
