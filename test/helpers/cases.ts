// Cases for server tests: one sent through the real API (sealed as a phone would), and copies of
// it in any state, written straight to the database (fast, for tables of states and clocks).
// insertCases writes cases, lifecycle events, pathways and referrals straight into the database for
// tests of what is counted (statistics, the register): the clear fields and days only; the envelope
// is a placeholder that nothing under test opens.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { cases } from '../../db/schema.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import type { CloseOutcome, DeployerClass, HarmCategoryId, ReferralOutcome, SystemType } from '../../protocol/taxonomy.ts';
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

export interface SeedCase {
  country?: string;
  receivedOn: string;
  category?: HarmCategoryId;
  systemType?: SystemType;
  child?: boolean;
  coded?: { category?: HarmCategoryId; systemType?: SystemType; deployerClass?: DeployerClass };
  deploymentId?: string;
  acknowledgedOn?: string;
  closedOn?: string;
  outcome?: CloseOutcome;
  referrals?: { pathwayId: string; sentOn: string; outcome?: ReferralOutcome; outcomeOn?: string }[];
}

export function insertCases(db: Db, seeds: SeedCase[]): string[] {
  const sqlite = db.$client;
  const { teamId, teamKeyId } = sqlite.prepare('SELECT t.id AS teamId, k.id AS teamKeyId FROM teams t JOIN team_keys k ON k.team_id = t.id WHERE t.is_default = 1 AND k.retired_at IS NULL')
    .get() as { teamId: string; teamKeyId: string };
  const admin = sqlite.prepare("SELECT id FROM users WHERE role = 'admin'").pluck().get() as string;
  const insertCase = sqlite.prepare(`INSERT INTO cases (id, team_id, team_key_id, status, taxonomy, category, system_type, country, language, role,
    incident_month, urgent, child, consent_referral, consent_share_data, received_on, sealed_by, envelope, receipt_auth_hash, reporter_public_key,
    triage_due, acknowledge_due, outcome, coded_category, coded_system_type, deployer_class, deployment_id, closed_on)
    VALUES (?, ?, ?, ?, '1', ?, ?, ?, 'en', 'self', 'unknown', 0, ?, 1, 1, ?, 'browser', '{}', ?, 'test', ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEvent = sqlite.prepare('INSERT INTO case_events (id, case_id, "on", status, outcome) VALUES (?, ?, ?, ?, ?)');
  const insertReferral = sqlite.prepare(`INSERT INTO referrals (id, case_id, pathway_id, sent_on, outcome, outcome_on, shared_personal_data, created_by, created_at)
    VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`);
  return sqlite.transaction(() => seeds.map((seed) => {
    const id = randomUUID();
    const status = seed.closedOn ? 'closed' : seed.acknowledgedOn ? 'acknowledged' : 'received';
    insertCase.run(id, teamId, teamKeyId, status, seed.category ?? 'other', seed.systemType ?? 'unknown', seed.country ?? 'GR', seed.child ? 1 : 0,
      seed.receivedOn, `hash-${id}`, `${seed.receivedOn}T00:00:00.000Z`, `${seed.receivedOn}T00:00:00.000Z`, seed.closedOn ? seed.outcome ?? 'resolved' : null,
      seed.coded?.category ?? null, seed.coded?.systemType ?? null, seed.coded?.deployerClass ?? null, seed.deploymentId ?? null, seed.closedOn ?? null);
    insertEvent.run(randomUUID(), id, seed.receivedOn, 'received', null);
    if (seed.acknowledgedOn) insertEvent.run(randomUUID(), id, seed.acknowledgedOn, 'acknowledged', null);
    if (seed.closedOn) insertEvent.run(randomUUID(), id, seed.closedOn, 'closed', seed.outcome ?? 'resolved');
    for (const r of seed.referrals ?? []) {
      insertReferral.run(randomUUID(), id, r.pathwayId, r.sentOn, r.outcome ?? null, r.outcomeOn ?? null, admin, `${r.sentOn}T00:00:00.000Z`);
    }
    return id;
  }))();
}

/** n copies of one case. */
export const times = (n: number, seed: SeedCase): SeedCase[] => Array.from({ length: n }, () => ({ ...seed }));

/** The pathway directory of db/seed/pathways.json, as the remedy work seeds it. */
export function insertPathways(db: Db): void {
  const insert = db.$client.prepare('INSERT OR IGNORE INTO pathways (id, name, kind, entry, updated_at) VALUES (?, ?, ?, ?, ?)');
  for (const p of JSON.parse(readFileSync('db/seed/pathways.json', 'utf8')) as { id: string; name: string; kind: string }[]) {
    insert.run(p.id, p.name, p.kind, JSON.stringify(p), '2026-01-01');
  }
}

/** Every case, event, referral and frozen quarter gone: the next test counts from nothing. */
export function clearCases(db: Db): void {
  db.$client.exec('DELETE FROM referrals; DELETE FROM case_events; DELETE FROM case_messages; DELETE FROM case_notes; DELETE FROM cases; DELETE FROM stat_releases;');
}
