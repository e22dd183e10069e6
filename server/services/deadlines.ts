// Case deadlines (DESIGN.md lifecycle): triage, acknowledgement, a status update to the reporter
// every 30 days, never more than 90 days silent. Submission times are stored to the day only, so
// intake deadlines count from the start of that day (UTC): never later than the real one.
import type { CaseStatus, CaseTimer, DeadlineState } from '../../protocol/taxonomy.ts';
import type { Timer } from '../../protocol/remedy-api.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DEADLINES = {
  triageUrgentHours: 24,
  triageHours: 72,
  acknowledgeDays: 7,
  /** A status update to the reporter at least every 30 days… */
  updateDays: 30,
  /** …and never more than 90 days without one (GDPR Art. 78(2)). */
  silenceDays: 90,
} as const;

/** How long before it falls due a timer shows as "due soon". */
export const DUE_SOON_MS: Record<CaseTimer, number> = {
  triage: 12 * HOUR,
  acknowledge: 2 * DAY,
  update: 5 * DAY,
  silence: 10 * DAY,
};

/** Notification mails announce a deadline once it is due within a day, and again once overdue. */
export const ANNOUNCE_MS = DAY;

/** Statuses each timer applies in; outside them it is not shown (it no longer applies). */
export const TIMER_STATUSES: Record<CaseTimer, readonly CaseStatus[]> = {
  triage: ['received'],
  acknowledge: ['received', 'triaged'],
  update: ['acknowledged', 'in_progress', 'referred'],
  silence: ['acknowledged', 'in_progress', 'referred'],
};

export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export const addDays = (day: string, days: number): string => today(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY));

export function caseDeadlines(receivedOn: string, urgent: boolean) {
  const start = Date.parse(`${receivedOn}T00:00:00Z`);
  const hours = urgent ? DEADLINES.triageUrgentHours : DEADLINES.triageHours;
  return {
    triageDue: new Date(start + hours * HOUR).toISOString(),
    acknowledgeDue: new Date(start + DEADLINES.acknowledgeDays * DAY).toISOString(),
    ...updateDeadlines(new Date(start)),
  };
}

/** After anything the reporter sees (a message, a status change, a referral or its outcome). */
export function updateDeadlines(at: Date) {
  return {
    updateDue: new Date(at.getTime() + DEADLINES.updateDays * DAY).toISOString(),
    silenceDue: new Date(at.getTime() + DEADLINES.silenceDays * DAY).toISOString(),
  };
}

export function deadlineState(due: string, soonMs: number, now: Date): DeadlineState {
  const left = Date.parse(due) - now.getTime();
  return left <= 0 ? 'overdue' : left <= soonMs ? 'due_soon' : 'ok';
}

export interface TimedCase {
  status: CaseStatus;
  triageDue: string;
  acknowledgeDue: string;
  updateDue: string | null;
  silenceDue: string | null;
}

/** The timers that apply to a case in its status, each with its state at `now`. */
export function caseTimers(c: TimedCase, now: Date): Timer[] {
  const dues: Record<CaseTimer, string | null> = {
    triage: c.triageDue, acknowledge: c.acknowledgeDue, update: c.updateDue, silence: c.silenceDue,
  };
  return (Object.keys(dues) as CaseTimer[])
    .filter((kind) => dues[kind] && TIMER_STATUSES[kind].includes(c.status))
    .map((kind) => ({ kind, due: dues[kind]!, state: deadlineState(dues[kind]!, DUE_SOON_MS[kind], now) }));
}

/** The most pressing timer: the earliest due (an overdue one is always earlier than any other). */
export function mostPressing(timers: Timer[]): Timer | null {
  return timers.reduce<Timer | null>((best, t) => (!best || t.due < best.due ? t : best), null);
}

/** A referral's follow-up day falls due at the start of that day (UTC). */
export function followUpTimer(followUpOn: string, now: Date): Timer {
  const due = `${followUpOn}T00:00:00.000Z`;
  return { kind: 'referral_follow_up', due, state: deadlineState(due, 2 * DAY, now) };
}
