// Referrals: a case sent to a body of the directory, when, under which reference, when to chase,
// and what came of it. Referring needs the reporter's consent to a referral; sending personal data
// needs their second consent too. A refusal for want of consent is itself audited, so an attempt
// to refer without it leaves a trace; nothing else is stored.
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { cases, pathways, referrals } from '../../db/schema.ts';
import { canMove } from '../../protocol/lifecycle.ts';
import type { EditReferral, NewReferral, Referral } from '../../protocol/remedy-api.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { caseForMember } from './case-access.ts';
import { today, updateDeadlines } from './deadlines.ts';
import { recordEvent } from './follow-up.ts';
import { findPathway } from './pathways.ts';

/** A YYYY-MM-DD that names a real day. */
const isRealDay = (day: string) => {
  const time = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === day;
};

function checkDay(day: string | null | undefined, field: string, rule: 'past_or_today' | 'today_or_later', now: Date): void {
  if (day === null || day === undefined) return;
  if (!isRealDay(day)) throw new AppError(400, 'invalid_request', field);
  if (rule === 'past_or_today' && day > today(now)) throw new AppError(400, 'date_in_future', field);
  if (rule === 'today_or_later' && day < today(now)) throw new AppError(400, 'follow_up_in_past', field);
}

export function listReferrals(db: Conn, caseId: string): Referral[] {
  return db.select({
    id: referrals.id, pathwayId: referrals.pathwayId, pathwayName: pathways.name, pathwayKind: pathways.kind,
    sentOn: referrals.sentOn, bodyReference: referrals.bodyReference, followUpOn: referrals.followUpOn,
    outcome: referrals.outcome, outcomeOn: referrals.outcomeOn, sharedPersonalData: referrals.sharedPersonalData, createdBy: referrals.createdBy,
  }).from(referrals).innerJoin(pathways, eq(pathways.id, referrals.pathwayId))
    .where(eq(referrals.caseId, caseId)).orderBy(asc(referrals.sentOn), asc(referrals.createdAt)).all();
}

function refuse(db: Conn, userId: string, caseId: string, pathwayId: string, code: 'consent_missing' | 'consent_share_missing', now: Date): never {
  db.transaction((tx) => appendAudit(tx, {
    at: now.toISOString(), actor: userId, action: 'referral.refused', subject: caseId, detail: { pathway: pathwayId, reason: code },
  }));
  throw new AppError(409, code, code === 'consent_missing' ? 'consentReferral' : 'sharePersonalData');
}

/**
 * Records a referral and moves the case to `referred` (from triaged, acknowledged or in progress;
 * a case already referred stays so). The reporter sees where it went on the follow-up page.
 */
export function createReferral(db: Conn, caseId: string, userId: string, input: NewReferral, now = new Date()): Referral {
  const row = caseForMember(db, caseId, userId);
  if (row.status === 'closed') throw new AppError(409, 'case_not_open', 'status');
  if (row.status !== 'referred' && !canMove(row.status, 'referred')) throw new AppError(409, 'invalid_transition', 'status');
  const pathway = findPathway(db, input.pathwayId);
  if (!pathway) throw new AppError(422, 'unknown_pathway', 'pathwayId');
  if (pathway.retiredAt) throw new AppError(409, 'pathway_retired', 'pathwayId');
  checkDay(input.sentOn, 'sentOn', 'past_or_today', now);
  checkDay(input.followUpOn, 'followUpOn', 'today_or_later', now);
  if (!row.consentReferral) refuse(db, userId, row.id, pathway.id, 'consent_missing', now);
  if (input.sharePersonalData && !row.consentShareData) refuse(db, userId, row.id, pathway.id, 'consent_share_missing', now);

  const id = randomUUID();
  db.transaction((tx) => {
    tx.insert(referrals).values({
      id, caseId: row.id, pathwayId: pathway.id, sentOn: input.sentOn, bodyReference: input.bodyReference ?? null,
      followUpOn: input.followUpOn ?? null, sharedPersonalData: input.sharePersonalData, createdBy: userId, createdAt: now.toISOString(),
    }).run();
    const moved = row.status !== 'referred';
    tx.update(cases).set({ ...(moved ? { status: 'referred' as const } : {}), updatedAt: now.toISOString(), ...updateDeadlines(now) })
      .where(eq(cases.id, row.id)).run();
    if (moved) recordEvent(tx, row.id, 'referred', null, today(now));
    appendAudit(tx, {
      at: now.toISOString(), actor: userId, action: 'referral.created', subject: row.id,
      detail: { referral: id, pathway: pathway.id, sharedPersonalData: input.sharePersonalData, from: row.status },
    });
  });
  return listReferrals(db, row.id).find((r) => r.id === id)!;
}

/** The body's reference, the follow-up day and, once the body answers, its outcome (also on a closed case). */
export function updateReferral(db: Conn, caseId: string, referralId: string, userId: string, input: EditReferral, now = new Date()): Referral {
  const row = caseForMember(db, caseId, userId);
  const existing = db.select().from(referrals).where(and(eq(referrals.id, referralId), eq(referrals.caseId, row.id))).get();
  if (!existing) throw new AppError(404, 'not_found');
  if (input.followUpOn !== existing.followUpOn) checkDay(input.followUpOn, 'followUpOn', 'today_or_later', now);
  checkDay(input.outcomeOn, 'outcomeOn', 'past_or_today', now);
  if (input.outcomeOn && !input.outcome) throw new AppError(400, 'invalid_request', 'outcomeOn');
  if (input.outcomeOn && input.outcomeOn < existing.sentOn) throw new AppError(400, 'invalid_request', 'outcomeOn');
  const outcomeOn = input.outcome ? input.outcomeOn ?? existing.outcomeOn ?? today(now) : null;
  const outcomeChanged = input.outcome !== existing.outcome;
  db.transaction((tx) => {
    tx.update(referrals).set({ bodyReference: input.bodyReference, followUpOn: input.followUpOn, outcome: input.outcome, outcomeOn })
      .where(eq(referrals.id, existing.id)).run();
    // An outcome is news for the reporter (they see it): the status-update clocks start again.
    if (outcomeChanged) tx.update(cases).set({ updatedAt: now.toISOString(), ...updateDeadlines(now) }).where(eq(cases.id, row.id)).run();
    appendAudit(tx, {
      at: now.toISOString(), actor: userId, action: 'referral.updated', subject: row.id,
      detail: { referral: existing.id, outcome: input.outcome, followUpOn: input.followUpOn, bodyReference: input.bodyReference !== null },
    });
  });
  return listReferrals(db, row.id).find((r) => r.id === existing.id)!;
}
