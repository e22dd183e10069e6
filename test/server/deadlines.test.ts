// The four case timers with a controlled clock: triage (24 h urgent, 72 h otherwise), acknowledgement
// (7 days), a status update to the reporter (every 30 days) and the 90-day limit without one. Each
// turns "due soon" and "overdue" at the right moment, applies only in its statuses, shows in the
// queue and in "my deadlines", and starts again when the reporter is told something.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cases, referrals } from '../../db/schema.ts';
import type { KeyPair } from '../../protocol/envelope.ts';
import { sealMessage } from '../../protocol/messages.ts';
import { teamSigningKeys } from '../../protocol/signing.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import { changeStatus } from '../../server/services/case-actions.ts';
import { DUE_SOON_MS, caseDeadlines, caseTimers, updateDeadlines } from '../../server/services/deadlines.ts';
import { addMessage } from '../../server/services/follow-up.ts';
import { queue } from '../../server/services/queue.ts';
import { listDeadlines } from '../../server/services/remedy.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { caseRow, copyCase, submitReport } from '../helpers/cases.ts';
import { createDeskUser, defaultTeamId, heldTeamKey, setupAdmin, type DeskUser } from '../helpers/desk.ts';

const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;
const before = (iso: string, ms: number) => new Date(Date.parse(iso) - ms);
const stateAt = (id: string, kind: string, now: Date) => caseTimers(caseRow(t, id), now).find((x) => x.kind === kind)?.state ?? 'not shown';

let t: TestApp;
let worker: DeskUser;
let baseId: string;
let teamPair: KeyPair;
beforeAll(async () => {
  t = await makeTestApp();
  const admin = await setupAdmin(t.db);
  worker = await createDeskUser(t.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(t.db)], granter: { ...admin.keys, id: admin.id } });
  teamPair = await heldTeamKey(t.db, defaultTeamId(t.db), { ...admin.keys, id: admin.id });
  ({ caseId: baseId } = await submitReport(t));
  t.db.update(cases).set({ status: 'closed', outcome: 'resolved', closedOn: '2026-01-01' }).where(eq(cases.id, baseId)).run();
});
afterAll(async () => { await t.close(); });

/** A case received on 10 January 2026, in the given status. */
const received = (status: typeof cases.$inferInsert['status'], urgent = false, extra: Partial<typeof cases.$inferInsert> = {}) =>
  copyCase(t, baseId, { status, urgent, outcome: null, closedOn: null, receivedOn: '2026-01-10', ...caseDeadlines('2026-01-10', urgent), assigneeId: worker.id, ...extra });

describe('each timer turns due soon, then overdue, at its moment', () => {
  const cases_: [name: string, make: () => string, kind: string, due: string][] = [
    ['triage, 72 hours', () => received('received'), 'triage', '2026-01-13T00:00:00.000Z'],
    ['triage, urgent: 24 hours', () => received('received', true), 'triage', '2026-01-11T00:00:00.000Z'],
    ['acknowledgement, 7 days', () => received('triaged'), 'acknowledge', '2026-01-17T00:00:00.000Z'],
    ['status update, 30 days after the last', () => received('in_progress', false, updateDeadlines(at('2026-02-01T09:30:00Z'))), 'update', '2026-03-03T09:30:00.000Z'],
    ['90 days without news', () => received('referred', false, updateDeadlines(at('2026-02-01T09:30:00Z'))), 'silence', '2026-05-02T09:30:00.000Z'],
  ];
  it.each(cases_)('%s', (_name, make, kind, due) => {
    const id = make();
    const soon = DUE_SOON_MS[kind as keyof typeof DUE_SOON_MS];
    expect(caseTimers(caseRow(t, id), at(due)).find((x) => x.kind === kind)?.due).toBe(due);
    expect(stateAt(id, kind, before(due, soon + MINUTE))).toBe('ok');
    expect(stateAt(id, kind, before(due, soon))).toBe('due_soon');
    expect(stateAt(id, kind, before(due, 1))).toBe('due_soon');
    expect(stateAt(id, kind, at(due))).toBe('overdue');
  });
});

describe('a deadline that no longer applies', () => {
  it('is not shown once its status has passed', () => {
    const late = at('2026-06-01T00:00:00Z'); // every timer of these cases is long past
    const kinds = (id: string) => caseTimers(caseRow(t, id), late).map((x) => x.kind).sort();
    expect(kinds(received('received'))).toEqual(['acknowledge', 'triage']);
    expect(kinds(received('triaged'))).toEqual(['acknowledge']);
    for (const status of ['acknowledged', 'in_progress', 'referred'] as const) expect(kinds(received(status))).toEqual(['silence', 'update']);
    expect(kinds(received('closed', false, { outcome: 'resolved', closedOn: '2026-01-20' }))).toEqual([]);
  });
});

describe('in the queue and in my deadlines', () => {
  it('shows each case\'s most pressing deadline, flags and counts the overdue ones, and lists mine', () => {
    t.db.delete(cases).where(eq(cases.assigneeId, worker.id)).run();
    const now = at('2026-01-12T18:00:00Z');
    const triageSoon = received('received'); // triage due 13 Jan 00:00: 6 hours left
    const ackLate = received('triaged', false, { receivedOn: '2026-01-01', ...caseDeadlines('2026-01-01', false) }); // due 8 Jan
    const updateLate = received('in_progress', false, updateDeadlines(at('2025-12-01T00:00:00Z'))); // due 31 Dec
    const quiet = received('acknowledged', false, updateDeadlines(at('2026-01-12T00:00:00Z'))); // due in February
    const unassigned = received('received', false, { assigneeId: null });

    const q = queue(t.db, worker.id, {}, now);
    const item = (id: string) => q.items.find((i) => i.id === id)!;
    expect(item(triageSoon)).toMatchObject({ overdue: false, deadline: { kind: 'triage', state: 'due_soon', due: '2026-01-13T00:00:00.000Z' } });
    expect(item(ackLate)).toMatchObject({ overdue: true, deadline: { kind: 'acknowledge', state: 'overdue' } });
    expect(item(updateLate)).toMatchObject({ overdue: true, deadline: { kind: 'update', state: 'overdue' } });
    expect(item(quiet)).toMatchObject({ overdue: false, deadline: { kind: 'update', state: 'ok' } });
    expect(q.counts.overdue).toBe(2);
    expect(queue(t.db, worker.id, { overdue: 'true' }, now).items.map((i) => i.id).sort()).toEqual([ackLate, updateLate].sort());
    // "Deadline first": the earliest applicable deadline leads.
    expect(q.items.slice(0, 2).map((i) => i.id)).toEqual([updateLate, ackLate]);

    // A referral waiting for an answer, due for a follow-up tomorrow; an answered one is not listed.
    for (const outcome of [null, 'admissible'] as const) {
      t.db.insert(referrals).values({
        id: randomUUID(), caseId: quiet, pathwayId: 'edps', sentOn: '2026-01-05', followUpOn: '2026-01-13', outcome,
        sharedPersonalData: false, createdBy: worker.id, createdAt: '2026-01-05T10:00:00Z',
      }).run();
    }
    const mine = listDeadlines(t.db, worker.id, 'mine', now);
    expect(mine.map((d) => [d.caseId, d.kind, d.state])).toEqual([
      [updateLate, 'update', 'overdue'],
      [ackLate, 'acknowledge', 'overdue'],
      [triageSoon, 'triage', 'due_soon'],
      [quiet, 'referral_follow_up', 'due_soon'],
    ]);
    expect(mine.find((d) => d.kind === 'referral_follow_up')!.pathwayName).toMatch(/European Data Protection Supervisor/);
    // The team's view adds the unassigned case; mine does not have it.
    expect(listDeadlines(t.db, worker.id, 'team', now).map((d) => d.caseId)).toContain(unassigned);
    expect(mine.map((d) => d.caseId)).not.toContain(unassigned);
  });
});

describe('telling the reporter something', () => {
  it('starts the 30- and 90-day clocks again: a message, a status change', async () => {
    const id = received('in_progress', false, updateDeadlines(at('2025-11-01T00:00:00Z')));
    const row = caseRow(t, id);
    // Signed by the team, as every message to the reporter must be (PROTOCOL.md §29).
    const envelope = await sealMessage(id, 'to_reporter', 'News.',
      [fromBase64Url(row.reporterPublicKey)!, fromBase64Url(t.intake().routing.teams[0]!.publicKey)!], (await teamSigningKeys(teamPair.privateKey)).signingKey);
    await addMessage(t.db, id, 'to_reporter', envelope, worker.id, { now: at('2026-01-20T08:00:00Z') });
    expect(caseRow(t, id)).toMatchObject({ updateDue: '2026-02-19T08:00:00.000Z', silenceDue: '2026-04-20T08:00:00.000Z' });
    changeStatus(t.db, id, worker.id, { status: 'referred' }, at('2026-02-10T10:00:00Z'));
    expect(caseRow(t, id)).toMatchObject({ updateDue: '2026-03-12T10:00:00.000Z', silenceDue: '2026-05-11T10:00:00.000Z' });
  });
});
