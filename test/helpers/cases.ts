// Cases for server tests: one sent through the real API (sealed as a phone would), and copies of
// it in any state, written straight to the database (fast, for tables of states and clocks).
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { cases } from '../../db/schema.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import { uniqueCaseReference } from '../../server/services/case-references.ts';
import type { TestApp } from './app.ts';
import { validForm } from '../fixtures/report.ts';

export async function submitReport(t: TestApp, overrides: Parameters<typeof validForm>[0] = {}, language = 'en') {
  const sealed = await sealSubmission(validForm(overrides), language, t.intake());
  const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: sealed.body, headers: { 'content-type': 'application/json' } });
  if (res.statusCode !== 201) throw new Error(`report refused: ${res.statusCode} ${res.body}`);
  // The reporter's public key is derived from the receipt: it finds this report's case.
  const caseId = t.db.select({ id: cases.id }).from(cases).where(eq(cases.reporterPublicKey, sealed.body.reporter.publicKey)).get()!.id;
  return { receipt: sealed.receipt, body: sealed.body, caseId };
}

/** A copy of a case with a new id, receipt and reference, and whatever else is given. */
export function copyCase(t: TestApp, baseId: string, overrides: Partial<typeof cases.$inferInsert> = {}): string {
  const base = t.db.select().from(cases).where(eq(cases.id, baseId)).get()!;
  const id = randomUUID();
  t.db.insert(cases).values({
    ...base, id, receiptAuthHash: `copy-${id}`, reference: uniqueCaseReference(t.db), assigneeId: null, unread: 0, ...overrides,
  }).run();
  return id;
}

export const caseRow = (t: TestApp, id: string) => t.db.select().from(cases).where(eq(cases.id, id)).get()!;
