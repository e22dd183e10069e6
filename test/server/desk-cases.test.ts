// The caseworker's side of a case: the queue (filters, counts, deadline order, pages), the case
// view (ciphertext plus the caller's grant, opened here as a browser would), status changes along
// the lifecycle, assignment, and notes sealed to the team key.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, notLike } from 'drizzle-orm';
import { auditLog, caseNotes, cases } from '../../db/schema.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import type { ReportContent } from '../../protocol/api.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import { AD_LABEL, keyId, openEnvelope, sealEnvelope, type ClearFields, type Envelope } from '../../protocol/envelope.ts';
import { caseReportBinding } from '../../client/desk/keys.ts';
import type { CaseDetail } from '../../protocol/desk-api.ts';
import { generateKeyPair, openGrant } from '../../protocol/keys.ts';
import { uniqueCaseReference } from '../../server/services/case-references.ts';
import { caseDeadlines } from '../../server/services/deadlines.ts';
import { PAGE_SIZE } from '../../server/services/queue.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn, type DeskUser, type SignedIn } from '../helpers/desk.ts';
import { MARKER, validForm } from '../fixtures/report.ts';

interface QueueItem {
  id: string; teamId: string; status: string; category: string; country: string; language: string; urgent: boolean; child: boolean;
  receivedOn: string; triageDue: string; acknowledgeDue: string; assigneeId: string | null; overdue: boolean;
  reference: string; deadline: { kind: string; due: string; state: string } | null; unread: number;
}
interface Queue {
  items: QueueItem[]; total: number; page: number; pageSize: number;
  counts: { byStatus: Record<string, number>; overdue: number; urgent: number; unread: number };
}
/** What "deadline first" orders by: the most pressing deadline that applies, closed cases last. */
const nextDue = (item: QueueItem) => item.deadline?.due ?? '9999';
interface CaseView {
  id: string; teamId: string; status: string; outcome: string | null; assigneeId: string | null;
  clear: ClearFields; envelope: Envelope; teamKey: { kid: string; publicKey: string; grant: string | null };
  reporterPublicKey?: string;
}

// 30 reports: 5 categories × 4 countries × 3 languages in step, a child every 7th. Pushback and a
// child each make a report urgent.
const CATEGORIES = ['biometric_lockout', 'pushback', 'asylum_blocked', 'discrimination', 'data_protection'];
const COUNTRIES = ['JO', 'GR', 'IT', 'LB'];
const LANGUAGES = ['en', 'ar', 'fa'];
const SEEDS = Array.from({ length: 30 }, (_, i) => ({
  category: CATEGORIES[i % CATEGORIES.length]!, country: COUNTRIES[i % COUNTRIES.length]!, language: LANGUAGES[i % LANGUAGES.length]!, child: i % 7 === 3,
}));
const isUrgent = (seed: (typeof SEEDS)[number]) => seed.category === 'pushback' || seed.child;
const seeded = (pick: (seed: (typeof SEEDS)[number]) => boolean) => SEEDS.filter(pick).length;

let t: TestApp;
let teamA: string;
let worker: DeskUser;
let stranger: DeskUser; // a caseworker of no team
let as: SignedIn;

const get = <T>(url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: as.cookie } }).then((res) => {
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json<T>();
});
const post = (url: string, payload: object) =>
  t.app.inject({ method: 'POST', url, payload, headers: { cookie: as.cookie, 'x-csrf-token': as.csrf } });
const queue = (query = '') => get<Queue>(`/api/cases${query ? `?${query}` : ''}`);
const row = (id: string) => t.db.select().from(cases).where(eq(cases.id, id)).get()!;
const auditOf = (action: string, subject: string) =>
  t.db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.subject, subject))).all();

async function submit(overrides: Parameters<typeof validForm>[0], language: string): Promise<void> {
  const { body } = await sealSubmission(validForm(overrides), language, t.intake());
  const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: body, headers: { 'content-type': 'application/json' } });
  expect(res.statusCode, res.body).toBe(201);
}

/** A case row copied from a real one, with a new id and receipt (and whatever else is given). */
function insertCopy(overrides: Partial<typeof cases.$inferInsert> = {}): string {
  const base = t.db.select().from(cases).where(eq(cases.category, 'biometric_lockout')).get()!;
  const id = randomUUID();
  t.db.insert(cases).values({
    ...base, id, receiptAuthHash: `copy-${id}`, reference: uniqueCaseReference(t.db), status: 'received', assigneeId: null, outcome: null, updatedAt: null,
    ...overrides,
  }).run();
  return id;
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await makeTestApp({ config: { submitRateLimit: 1000 } });
  const admin = await setupAdmin(t.db);
  teamA = defaultTeamId(t.db);
  worker = await createDeskUser(t.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [teamA], granter: { ...admin.keys, id: admin.id } });
  stranger = await createDeskUser(t.db, { email: 'stranger@example.org', role: 'caseworker' });
  as = await signIn(t.app, worker);
  for (const seed of SEEDS) await submit({ category: seed.category, country: seed.country, child: seed.child }, seed.language);
});
afterAll(async () => { await t.close(); });

describe('the queue', () => {
  it('lists every case of the team with counts by status, urgent first', async () => {
    const q = await queue();
    expect(q.total).toBe(30);
    expect(q.items).toHaveLength(30);
    expect(q.page).toBe(1);
    expect(q.pageSize).toBe(PAGE_SIZE);
    expect(q.counts).toEqual({ byStatus: { received: 30 }, overdue: 0, urgent: seeded(isUrgent), unread: 0 });
    expect(q.items.every((item) => /^RDX-[0-9A-Z]{4}-[0-9A-Z]{2}$/.test(item.reference))).toBe(true);
    expect(new Set(q.items.map((item) => item.reference)).size).toBe(30);
    expect(q.items.every((item) => item.teamId === teamA && !item.overdue)).toBe(true);
    // Default order: triage deadline. All arrived today, so the 24-hour urgent ones come first.
    const urgency = q.items.map((item) => item.urgent);
    expect(urgency).toEqual([...urgency].sort((a, b) => Number(b) - Number(a)));
    expect(urgency.filter(Boolean)).toHaveLength(seeded(isUrgent));
    const dues = q.items.map((item) => item.triageDue);
    expect(dues).toEqual([...dues].sort());
    // The queue carries clear fields only, never ciphertext.
    expect(JSON.stringify(q)).not.toMatch(/envelope|ciphertext/);
  });

  it('filters by category, country, language and urgency, alone and together', async () => {
    const filters: [query: string, expected: number][] = [
      ['category=pushback', seeded((s) => s.category === 'pushback')],
      ['category=data_protection', seeded((s) => s.category === 'data_protection')],
      ['category=other', 0],
      ['country=GR', seeded((s) => s.country === 'GR')],
      ['country=LB', seeded((s) => s.country === 'LB')],
      ['language=ar', seeded((s) => s.language === 'ar')],
      ['language=fr', 0],
      ['urgent=true', seeded(isUrgent)],
      ['urgent=false', seeded((s) => !isUrgent(s))],
      ['category=pushback&country=GR', seeded((s) => s.category === 'pushback' && s.country === 'GR')],
      ['country=JO&language=en&urgent=false', seeded((s) => s.country === 'JO' && s.language === 'en' && !isUrgent(s))],
    ];
    for (const [query, expected] of filters) {
      const q = await queue(query);
      expect(q.total, query).toBe(expected);
      expect(q.items, query).toHaveLength(expected);
      // counts describe the whole queue, whatever the filter.
      expect(q.counts.byStatus, query).toEqual({ received: 30 });
    }
    const greek = await queue('country=GR&language=ar');
    expect(greek.items.every((item) => item.country === 'GR' && item.language === 'ar')).toBe(true);
    expect((await queue('urgent=true')).items.every((item) => item.urgent)).toBe(true);
  });

  it('refuses a malformed filter', async () => {
    for (const query of ['urgent=yes', 'sort=random', 'page=0', 'page=abc', 'overdue=false', 'colour=red']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/cases?${query}`, headers: { cookie: as.cookie } });
      expect(res.statusCode, query).toBe(400);
    }
  });

  it('filters by status and by assignee, and counts by status', async () => {
    const { items } = await queue('urgent=false');
    const [a, b, c, d] = items.map((item) => item.id);
    for (const id of [a!, b!, c!]) expect((await post(`/api/cases/${id}/status`, { status: 'triaged' })).statusCode).toBe(200);
    expect((await post(`/api/cases/${d!}/status`, { status: 'closed', outcome: 'out_of_scope' })).statusCode).toBe(200);
    expect((await post(`/api/cases/${a!}/assign`, { assigneeId: worker.id })).statusCode).toBe(200);
    expect((await post(`/api/cases/${d!}/assign`, { assigneeId: worker.id })).statusCode).toBe(200);

    const triaged = await queue('status=triaged');
    expect(triaged.total).toBe(3);
    expect(triaged.items.map((item) => item.id).sort()).toEqual([a!, b!, c!].sort());
    expect((await queue('status=closed')).items.map((item) => item.id)).toEqual([d!]);
    expect((await queue('status=received')).total).toBe(26);
    const all = await queue();
    expect(all.total).toBe(30); // closed cases stay in the queue until purged
    expect(all.counts.byStatus).toEqual({ received: 26, triaged: 3, closed: 1 });

    const mine = await queue(`assignee=${worker.id}`);
    expect(mine.items.map((item) => item.id).sort()).toEqual([a!, d!].sort());
    expect((await queue('assignee=none')).total).toBe(28);
    expect((await queue(`assignee=${worker.id}&status=triaged`)).items.map((item) => item.id)).toEqual([a!]);
  });

  it('flags overdue cases and filters them', async () => {
    const old = daysAgo(10);
    const lateTriage = insertCopy({ receivedOn: old, ...caseDeadlines(old, false) }); // received, past triage
    const lateAck = insertCopy({ receivedOn: old, status: 'triaged', ...caseDeadlines(old, false) }); // triaged, past acknowledgement
    const closedOld = insertCopy({ receivedOn: old, status: 'closed', outcome: 'resolved', ...caseDeadlines(old, false) }); // done: never overdue
    const oldDay = daysAgo(2);
    // Urgent, two days old: past its triage deadline, but triaged, and not yet due for acknowledgement.
    const triagedOnTime = insertCopy({ receivedOn: oldDay, status: 'triaged', urgent: true, ...caseDeadlines(oldDay, true) });

    const overdue = await queue('overdue=true');
    expect(overdue.items.map((item) => item.id).sort()).toEqual([lateTriage, lateAck].sort());
    expect(overdue.total).toBe(2);
    expect(overdue.items.every((item) => item.overdue)).toBe(true);
    const all = await queue();
    expect(all.counts.overdue).toBe(2);
    expect(all.total).toBe(34);
    const flags = new Map(all.items.map((item) => [item.id, item.overdue]));
    expect(flags.get(closedOld)).toBe(false);
    expect(flags.get(triagedOnTime)).toBe(false);
    expect([...flags.values()].filter(Boolean)).toHaveLength(2);
    expect((await queue('overdue=true&status=triaged')).items.map((item) => item.id)).toEqual([lateAck]);
  });

  it('sorts by the next deadline by default and by day received on request', async () => {
    const byDeadline = (await queue()).items;
    const dues = byDeadline.map(nextDue);
    expect(dues).toEqual([...dues].sort());
    expect(byDeadline[0]!.receivedOn).toBe(daysAgo(10)); // the oldest deadline first
    const byReceived = (await queue('sort=received')).items;
    const days = byReceived.map((item) => item.receivedOn);
    expect(days).toEqual([...days].sort().reverse());
    expect(byReceived[byReceived.length - 1]!.receivedOn).toBe(daysAgo(10));
    expect(new Set(byReceived.map((item) => item.id))).toEqual(new Set(byDeadline.map((item) => item.id)));
  });

  it('pages through more than one page, and never lists a purged case', async () => {
    const purged = insertCopy({ status: 'purged' });
    const before = (await queue()).total;
    const extra = PAGE_SIZE + 7 - before;
    for (let i = 0; i < extra; i++) insertCopy();
    const total = PAGE_SIZE + 7;

    const one = await queue();
    const two = await queue('page=2');
    const three = await queue('page=3');
    expect([one.total, two.total, three.total]).toEqual([total, total, total]);
    expect(one.items).toHaveLength(PAGE_SIZE);
    expect(two.items).toHaveLength(7);
    expect(two.page).toBe(2);
    expect(three.items).toEqual([]);
    const ids = [...one.items, ...two.items].map((item) => item.id);
    expect(new Set(ids).size).toBe(total);
    expect(ids).not.toContain(purged);
    // The order continues across pages.
    const dues = [...one.items, ...two.items].map(nextDue);
    expect(dues).toEqual([...dues].sort());
    // Filters apply before paging.
    const received = await queue('status=received&page=2');
    expect(received.total).toBe(total - 3 - 2 - 2); // minus triaged (3 + 2 inserted) and closed (1 + 1 inserted)
  });

  it('shows nothing to a caseworker of no team', async () => {
    const other = await signIn(t.app, stranger);
    const res = await t.app.inject({ method: 'GET', url: '/api/cases', headers: { cookie: other.cookie } });
    expect(res.json<Queue>()).toMatchObject({ items: [], total: 0 });
  });
});

describe('one case', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = t.db.select().from(cases)
      .where(and(eq(cases.category, 'biometric_lockout'), eq(cases.status, 'received'), notLike(cases.receiptAuthHash, 'copy-%'))).get()!.id;
  });

  it('returns the envelope, the clear fields and the caller\'s grant, which open the report here', async () => {
    const view = await get<CaseView>(`/api/cases/${caseId}`);
    expect(view).toMatchObject({ id: caseId, teamId: teamA, status: 'received', outcome: null });
    expect(view.clear).toMatchObject({ category: 'biometric_lockout' });
    expect(view.teamKey.kid).toBe(await keyId(fromBase64Url(view.teamKey.publicKey)!));
    // The worker's browser: own key → grant → team key → report. A report's associated data binds
    // its clear fields and the reporter's keys (reportBindingV2, PROTOCOL.md §28.3): the view must
    // hand over all of them.
    const binding = caseReportBinding(view as unknown as CaseDetail);
    expect(binding.reporterPublicKey).toBe(row(caseId).reporterPublicKey);
    expect(binding.reporterSigningKey).toBe(row(caseId).reporterSigningKey);
    const teamKeys = await openGrant(view.teamKey.grant!, worker.keys);
    expect(teamKeys).not.toBeNull();
    const report = await openEnvelope<ReportContent>(AD_LABEL.report, binding, view.envelope, teamKeys!);
    expect(report?.narrative).toContain(MARKER);
    // The clear fields are bound in: a changed one does not open.
    expect(await openEnvelope(AD_LABEL.report, { ...binding, country: 'XX' }, view.envelope, teamKeys!)).toBeNull();
  });

  it('records every opening in the audit log', async () => {
    const before = auditOf('case.opened', caseId).length;
    await get(`/api/cases/${caseId}`);
    await get(`/api/cases/${caseId}`);
    const entries = auditOf('case.opened', caseId);
    expect(entries).toHaveLength(before + 2);
    expect(entries.every((e) => e.actor === worker.id)).toBe(true);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/cases/${randomUUID()}`, headers: { cookie: as.cookie } });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });
});

describe('status changes', () => {
  let caseId: string;
  let other: string;
  beforeAll(async () => {
    const received = (await queue('status=received&category=asylum_blocked')).items;
    caseId = received[0]!.id;
    other = received[1]!.id;
  });

  it('follows the lifecycle received → triaged → acknowledged → in_progress → referred → closed', async () => {
    for (const status of ['triaged', 'acknowledged', 'in_progress', 'referred']) {
      const res = await post(`/api/cases/${caseId}/status`, { status });
      expect(res.statusCode, `${status}: ${res.body}`).toBe(200);
      expect(res.json()).toEqual({ id: caseId, status, outcome: null });
      expect(row(caseId).status).toBe(status);
    }
    const noOutcome = await post(`/api/cases/${caseId}/status`, { status: 'closed' });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.json().code).toBe('outcome_required');
    expect(row(caseId).status).toBe('referred');

    const closed = await post(`/api/cases/${caseId}/status`, { status: 'closed', outcome: 'resolved' });
    expect(closed.statusCode).toBe(200);
    expect(row(caseId)).toMatchObject({ status: 'closed', outcome: 'resolved' });
    const trail = auditOf('case.status_changed', caseId).map((e) => JSON.parse(e.detail) as { from: string; to: string });
    expect(trail.map((d) => `${d.from}→${d.to}`)).toEqual([
      'received→triaged', 'triaged→acknowledged', 'acknowledged→in_progress', 'in_progress→referred', 'referred→closed',
    ]);
  });

  it('refuses a transition the lifecycle does not allow, and keeps the status', async () => {
    const skip = await post(`/api/cases/${other}/status`, { status: 'referred' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().code).toBe('invalid_transition');
    expect(row(other).status).toBe('received');
    for (const status of ['purged', 'in_progress', 'received']) {
      expect((await post(`/api/cases/${other}/status`, { status })).statusCode, status).toBe(409);
    }
    expect(row(other).status).toBe('received');
    // A closed case only reopens (to in progress, with a reason: see lifecycle.test.ts).
    for (const status of ['received', 'triaged', 'acknowledged', 'referred', 'closed', 'purged']) {
      const res = await post(`/api/cases/${caseId}/status`, { status, outcome: 'withdrawn' });
      expect(res.statusCode, status).toBe(409);
      expect(res.json().code).toBe('invalid_transition');
    }
    expect(row(caseId)).toMatchObject({ status: 'closed', outcome: 'resolved' });
    expect(auditOf('case.status_changed', other)).toEqual([]);
  });

  it('refuses an unknown status or outcome', async () => {
    expect((await post(`/api/cases/${other}/status`, { status: 'lost' })).statusCode).toBe(400);
    expect((await post(`/api/cases/${other}/status`, { status: 'closed', outcome: 'shrug' })).statusCode).toBe(400);
    expect(row(other).status).toBe('received');
  });

  it('never answers or records an outcome it did not store', async () => {
    // An outcome only belongs to a closed case. Refusing it or dropping it are both sound; saying
    // it was set when it was not is not.
    const res = await post(`/api/cases/${other}/status`, { status: 'triaged', outcome: 'resolved' });
    if (res.statusCode === 200) {
      expect(row(other)).toMatchObject({ status: 'triaged', outcome: null });
      expect(res.json()).toEqual({ id: other, status: 'triaged', outcome: null });
      const [change] = auditOf('case.status_changed', other);
      expect(JSON.parse(change!.detail)).toEqual({ from: 'received', to: 'triaged', outcome: null });
    } else {
      expect(res.statusCode).toBe(400);
      expect(row(other)).toMatchObject({ status: 'received', outcome: null });
    }
  });
});

describe('assignment', () => {
  let caseId: string;
  beforeAll(async () => { caseId = (await queue('status=received&category=discrimination')).items[0]!.id; });

  it('assigns to a team member and unassigns', async () => {
    const res = await post(`/api/cases/${caseId}/assign`, { assigneeId: worker.id });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: caseId, assigneeId: worker.id });
    expect(row(caseId).assigneeId).toBe(worker.id);
    expect((await post(`/api/cases/${caseId}/assign`, { assigneeId: null })).statusCode).toBe(200);
    expect(row(caseId).assigneeId).toBeNull();
    expect(auditOf('case.assigned', caseId)).toHaveLength(2);
  });

  it('refuses someone outside the team, or nobody known', async () => {
    await post(`/api/cases/${caseId}/assign`, { assigneeId: worker.id });
    const audit = auditOf('case.assigned', caseId).length;
    for (const assigneeId of [stranger.id, randomUUID()]) {
      const res = await post(`/api/cases/${caseId}/assign`, { assigneeId });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'not_team_member', field: 'assigneeId' });
    }
    expect(row(caseId).assigneeId).toBe(worker.id);
    expect(auditOf('case.assigned', caseId)).toHaveLength(audit);
  });
});

describe('notes', () => {
  let caseId: string;
  let view: CaseView;
  const noteCount = () => t.db.select({ n: count() }).from(caseNotes).get()!.n;
  beforeAll(async () => {
    caseId = (await queue('status=received&category=data_protection')).items[0]!.id;
    view = await get<CaseView>(`/api/cases/${caseId}`);
  });

  it('stores a note sealed to the team key only, and lists it', async () => {
    const teamPublicKey = fromBase64Url(view.teamKey.publicKey)!;
    const envelope = await sealEnvelope(AD_LABEL.note, { caseId }, { text: 'Spoke to the reporter; referral agreed.' }, [teamPublicKey]);
    const res = await post(`/api/cases/${caseId}/notes`, { envelope });
    expect(res.statusCode).toBe(201);
    const { id } = res.json<{ id: string }>();
    expect(auditOf('case.note_added', caseId)).toHaveLength(1);

    const listed = await get<{ id: string; authorId: string; createdAt: string; envelope: Envelope }[]>(`/api/cases/${caseId}/notes`);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, authorId: worker.id, envelope });
    const teamKeys = (await openGrant(view.teamKey.grant!, worker.keys))!;
    expect(await openEnvelope(AD_LABEL.note, { caseId }, listed[0]!.envelope, teamKeys)).toEqual({ text: 'Spoke to the reporter; referral agreed.' });
    // Notes belong to their case.
    const elsewhere = (await queue('status=received&category=data_protection')).items[1]!.id;
    expect(await get(`/api/cases/${elsewhere}/notes`)).toEqual([]);
  });

  it('refuses a note sealed to another key, or to more than the team key, and stores nothing', async () => {
    const before = { notes: noteCount(), audit: auditOf('case.note_added', caseId).length };
    const wrong = await generateKeyPair();
    const toWrong = await sealEnvelope(AD_LABEL.note, { caseId }, { text: 'misdirected' }, [wrong.publicKey]);
    const res = await post(`/api/cases/${caseId}/notes`, { envelope: toWrong });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('wrong_recipients');

    const teamPublicKey = fromBase64Url(view.teamKey.publicKey)!;
    const toBoth = await sealEnvelope(AD_LABEL.note, { caseId }, { text: 'also to someone else' }, [teamPublicKey, wrong.publicKey]);
    expect((await post(`/api/cases/${caseId}/notes`, { envelope: toBoth })).statusCode).toBe(400);
    const broken = { ...(await sealEnvelope(AD_LABEL.note, { caseId }, { text: 'x' }, [teamPublicKey])), ciphertext: 'AAAA' };
    const malformed = await post(`/api/cases/${caseId}/notes`, { envelope: broken });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('bad_envelope');

    expect(noteCount()).toBe(before.notes);
    expect(auditOf('case.note_added', caseId)).toHaveLength(before.audit);
  });
});

describe('references and unread replies', () => {
  it('finds a case by its reference, whole or begun, in any case and with spaces', async () => {
    const target = (await queue('category=pushback')).items[0]!;
    const ref = target.reference;
    for (const typed of [ref, ref.toLowerCase(), ref.slice(4).replace('-', ' '), ref.slice(0, 8)]) {
      const found = await queue(`reference=${encodeURIComponent(typed)}`);
      expect(found.items.map((i) => i.id), typed).toContain(target.id);
      expect(found.items.every((i) => i.reference.startsWith(ref.slice(0, 8))), typed).toBe(true);
    }
    expect((await queue(`reference=${encodeURIComponent(ref)}`)).total).toBe(1);
    expect((await queue('reference=%25%25')).total).toBe(0);
    expect((await queue('reference=RDX-UUUU')).total).toBe(0);
    const view = await get<{ reference: string }>(`/api/cases/${target.id}`);
    expect(view.reference).toBe(ref);
  });

  it('marks a case unread for the team when the reporter writes, until someone reads the messages', async () => {
    const id = (await queue('category=discrimination')).items[0]!.id;
    t.db.update(cases).set({ unread: 2 }).where(eq(cases.id, id)).run();
    const q = await queue('unread=true');
    expect(q.items.map((i) => i.id)).toEqual([id]);
    expect(q.items[0]!).toMatchObject({ unread: 2 });
    expect(q.counts.unread).toBe(1);
    await get(`/api/cases/${id}/messages`);
    expect((await queue('unread=true')).total).toBe(0);
    expect(row(id).unread).toBe(0);
  });
});
