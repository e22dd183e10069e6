// Referrals: the consents they need (a refusal is audited and stores nothing else), the bad inputs
// of the issue (unknown or retired body, purged case, dates), several referrals and their outcomes
// as the reporter sees them, case coding, and the suggested bodies for two typical cases.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { auditLog, cases, deployments, pathways, referrals } from '../../db/schema.ts';
import { reporterView } from '../../server/services/follow-up.ts';
import { listPathways } from '../../server/services/pathways.ts';
import { suggestPathways, type CaseFacts } from '../../server/services/suggestions.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { caseRow, copyCase, submitReport } from '../helpers/cases.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn, type SignedIn } from '../helpers/desk.ts';

let t: TestApp;
let as: SignedIn;
let consenting: string; // agreed to a referral, not to sharing personal data
let sharing: string; // agreed to both
let refusing: string; // agreed to neither
const today = () => new Date().toISOString().slice(0, 10);
const shift = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const send = (method: 'POST' | 'PUT', url: string, payload: object) =>
  t.app.inject({ method, url, payload, headers: { cookie: as.cookie, 'x-csrf-token': as.csrf } });
const refer = (caseId: string, body: object) => send('POST', `/api/cases/${caseId}/referrals`, { pathwayId: 'wfp-hotline', sentOn: today(), sharePersonalData: false, ...body });
const referralCount = () => t.db.select({ n: count() }).from(referrals).get()!.n;
const actions = (caseId: string) => t.db.select().from(auditLog).where(eq(auditLog.subject, caseId)).all().map((e) => e.action);

beforeAll(async () => {
  t = await makeTestApp({ config: { submitRateLimit: 100 } });
  const admin = await setupAdmin(t.db);
  const worker = await createDeskUser(t.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(t.db)], granter: { ...admin.keys, id: admin.id } });
  as = await signIn(t.app, worker);
  consenting = (await submitReport(t, {}, 'ar')).caseId;
  sharing = (await submitReport(t, { consentShareData: 'yes' })).caseId;
  refusing = (await submitReport(t, { consentReferral: 'no', consentShareData: 'no' })).caseId;
  t.db.update(cases).set({ status: 'triaged' }).run();
});
afterAll(async () => { await t.close(); });

describe('consent', () => {
  it('refuses a referral the reporter did not agree to: 409, audited, nothing else stored', async () => {
    const res = await refer(refusing, {});
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'consent_missing', field: 'consentReferral' });
    expect(referralCount()).toBe(0);
    expect(caseRow(t, refusing).status).toBe('triaged');
    const [refusal] = t.db.select().from(auditLog).where(eq(auditLog.action, 'referral.refused')).all();
    expect(refusal).toMatchObject({ subject: refusing });
    expect(JSON.parse(refusal!.detail)).toEqual({ pathway: 'wfp-hotline', reason: 'consent_missing' });
    // The desk is told why, in its language.
    const ar = await t.app.inject({ method: 'POST', url: `/api/cases/${refusing}/referrals?lang=ar`, payload: { pathwayId: 'wfp-hotline', sentOn: today(), sharePersonalData: false }, headers: { cookie: as.cookie, 'x-csrf-token': as.csrf } });
    expect(ar.json().message).toMatch(/[\u0600-\u06ff]/);
  });

  it('refuses personal data without the second consent, and takes the referral without it', async () => {
    const withData = await refer(consenting, { sharePersonalData: true });
    expect(withData.statusCode).toBe(409);
    expect(withData.json()).toMatchObject({ code: 'consent_share_missing', field: 'sharePersonalData' });
    expect(actions(consenting)).toEqual(['referral.refused']);
    expect(referralCount()).toBe(0);

    const res = await refer(consenting, { bodyReference: 'OIG/2026/117', followUpOn: shift(14) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      pathwayId: 'wfp-hotline', pathwayKind: 'agency_accountability', sentOn: today(), bodyReference: 'OIG/2026/117',
      followUpOn: shift(14), outcome: null, sharedPersonalData: false,
    });
    expect(caseRow(t, consenting).status).toBe('referred');
    expect(actions(consenting)).toEqual(['referral.refused', 'referral.created']);
  });

  it('lets personal data go with the reporter\'s second consent', async () => {
    const res = await refer(sharing, { sharePersonalData: true, pathwayId: 'dpa-gr' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().sharedPersonalData).toBe(true);
  });
});

describe('bad input', () => {
  it('answers each with a clear 4xx and stores nothing', async () => {
    const purged = copyCase(t, consenting, { status: 'purged' });
    const received = copyCase(t, consenting, { status: 'received' });
    const closed = copyCase(t, consenting, { status: 'closed', outcome: 'resolved', closedOn: today() });
    t.db.update(pathways).set({ retiredAt: new Date().toISOString() }).where(eq(pathways.id, 'iom-misconduct')).run();
    const before = { referrals: referralCount(), audit: t.db.select({ n: count() }).from(auditLog).get()!.n };
    const cases_: [caseId: string, body: object, status: number, code: string][] = [
      [consenting, { pathwayId: 'no-such-body' }, 422, 'unknown_pathway'],
      [consenting, { pathwayId: 'iom-misconduct' }, 409, 'pathway_retired'],
      [purged, {}, 410, 'case_purged'],
      [received, {}, 409, 'invalid_transition'],
      [closed, {}, 409, 'case_not_open'],
      [consenting, { sentOn: shift(1) }, 400, 'date_in_future'],
      [consenting, { sentOn: '2026-02-30' }, 400, 'invalid_request'],
      [consenting, { followUpOn: shift(-1) }, 400, 'follow_up_in_past'],
      [consenting, { bodyReference: 'line\nbreak' }, 400, 'invalid_request'],
      [consenting, { sharePersonalData: 'yes' }, 400, 'invalid_request'],
      [randomUUID(), {}, 404, 'not_found'],
    ];
    for (const [caseId, body, status, code] of cases_) {
      const res = await refer(caseId, body);
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(status);
      expect(res.json().code).toBe(code);
      expect(res.json().message).toBeTruthy();
    }
    expect(referralCount()).toBe(before.referrals);
    expect(t.db.select({ n: count() }).from(auditLog).get()!.n).toBe(before.audit);
    t.db.update(pathways).set({ retiredAt: null }).where(eq(pathways.id, 'iom-misconduct')).run();
  });
});

describe('several referrals and their outcomes', () => {
  it('keeps each, records answers (also once the case is closed), and shows the reporter the bodies and answers', async () => {
    const second = await refer(consenting, { pathwayId: 'edps' });
    expect(second.statusCode).toBe(201);
    const [first] = (await t.app.inject({ url: `/api/cases/${consenting}/remedy`, headers: { cookie: as.cookie } })).json().referrals;
    const edit = (id: string, body: object) => send('PUT', `/api/cases/${consenting}/referrals/${id}`, { bodyReference: null, followUpOn: null, outcome: null, outcomeOn: null, ...body });

    expect((await edit(first.id, { outcome: 'admissible', outcomeOn: shift(1) })).json().code).toBe('date_in_future');
    expect((await edit(first.id, { followUpOn: shift(-3) })).json().code).toBe('follow_up_in_past');
    expect((await edit(first.id, { outcomeOn: today() })).statusCode).toBe(400); // an answer day without an answer

    t.db.update(cases).set({ status: 'closed', outcome: 'referred_out', closedOn: today() }).where(eq(cases.id, consenting)).run();
    const answered = await edit(first.id, { outcome: 'remedy_granted', bodyReference: 'OIG/2026/117' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ outcome: 'remedy_granted', outcomeOn: today(), bodyReference: 'OIG/2026/117' });

    const view = reporterView(t.db, consenting);
    expect(view.referrals).toEqual([
      { body: expect.stringMatching(/^WFP Office of the Inspector General/), kind: 'agency_accountability', sentOn: today(), outcome: 'remedy_granted', outcomeOn: today() },
      { body: expect.stringMatching(/European Data Protection Supervisor/), kind: 'dpa', sentOn: today(), outcome: null, outcomeOn: null },
    ]);
    expect(view.reference).toBe(caseRow(t, consenting).reference);
    // What the reporter is shown never carries the body's own reference.
    expect(JSON.stringify(view)).not.toContain('OIG/2026/117');
  });
});

describe('coding', () => {
  it('records the caseworker\'s reading, audited, and refuses an unknown register entry', async () => {
    const coding = { codedCategory: 'assistance_cut', codedSystemType: 'eligibility_algorithm', deployerClass: 'un_agency', deploymentId: null };
    const res = await send('PUT', `/api/cases/${sharing}/coding`, coding);
    expect(res.statusCode).toBe(200);
    expect(caseRow(t, sharing)).toMatchObject(coding);
    expect(actions(sharing)).toContain('case.coded');
    const unknown = await send('PUT', `/api/cases/${sharing}/coding`, { ...coding, deploymentId: 'no-such-system' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe('unknown_deployment');
    expect(caseRow(t, sharing).deploymentId).toBeNull();
    for (const bad of [{ ...coding, codedCategory: 'weather' }, { ...coding, deployerClass: 'aliens' }, { codedCategory: null }]) {
      expect((await send('PUT', `/api/cases/${sharing}/coding`, bad)).statusCode).toBe(400);
    }
  });

  it('lets a register entry name the bodies for its system, and offers register entries when there are any', async () => {
    t.db.insert(deployments).values({
      id: 'test-scope', systemName: 'Test biometric registration', systemType: 'iris_scan', deployerClass: 'un_agency',
      entry: { pathwayIds: ['unhcr-igo'] }, updatedAt: new Date().toISOString(),
    }).run();
    const coding = { codedCategory: 'assistance_cut', codedSystemType: 'iris_scan', deployerClass: 'un_agency', deploymentId: 'test-scope' };
    expect((await send('PUT', `/api/cases/${sharing}/coding`, coding)).statusCode).toBe(200);
    const panel = (await t.app.inject({ url: `/api/cases/${sharing}/remedy`, headers: { cookie: as.cookie } })).json();
    expect(panel.deployments).toContainEqual({ id: 'test-scope', systemName: 'Test biometric registration' });
    expect(panel.suggestions[0]).toMatchObject({ pathwayId: 'unhcr-igo', reasons: expect.arrayContaining(['deployment']) });
  });
});

describe('suggested bodies', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  const facts = (over: Partial<CaseFacts>): CaseFacts => ({
    category: 'other', country: 'GR', urgent: false, incidentMonth: '2026-11', deployerClass: null, deploymentPathwayIds: [], ...over,
  });
  const top = (over: Partial<CaseFacts>, n = 2) => suggestPathways(listPathways(t.db), facts(over), now).slice(0, n).map((s) => s.pathwayId);

  it('puts Rule 39 and the Frontex mechanism first for an imminent pushback', () => {
    expect(top({ category: 'pushback', urgent: true })).toEqual(['echr-rule39', 'frontex-complaints']);
    expect(top({ category: 'pushback', urgent: true, deployerClass: 'border_police' })).toEqual(['echr-rule39', 'frontex-complaints']);
    expect(top({ category: 'pushback', urgent: true, country: 'HU' })).toEqual(['echr-rule39', 'frontex-complaints']);
  });

  it('puts the agency\'s own channel and the data protection authority first for a biometric lockout from food aid', () => {
    expect(top({ category: 'biometric_lockout', deployerClass: 'ngo' }).sort()).toEqual(['dpa-gr', 'wfp-hotline']);
    // Outside Europe there is no national DPA in the directory: the agency's channel leads.
    expect(top({ category: 'biometric_lockout', country: 'JO', deployerClass: 'un_agency' }, 1)).toEqual(['wfp-hotline']);
  });

  it('computes the deadline still open from the incident month, and ranks a passed one last', () => {
    const frontex = (incidentMonth: string) => suggestPathways(listPathways(t.db), facts({ category: 'pushback', incidentMonth }), now)
      .find((s) => s.pathwayId === 'frontex-complaints')!.deadline;
    expect(frontex('2026-06')).toMatchObject({ state: 'open', closesOn: '2027-06-01' });
    expect(frontex('2025-12')).toMatchObject({ state: 'closing_soon', closesOn: '2026-12-01' });
    expect(frontex('2025-03')).toMatchObject({ state: 'passed', closesOn: '2026-03-01' });
    expect(frontex('2025')).toMatchObject({ state: 'passed', closesOn: '2026-01-01' });
    expect(frontex('unknown')).toMatchObject({ state: 'incident_unknown', closesOn: null });
    const rule39 = suggestPathways(listPathways(t.db), facts({ category: 'pushback', urgent: true }), now).find((s) => s.pathwayId === 'echr-rule39')!;
    expect(rule39.deadline.state).toBe('no_fixed_deadline');
    const late = suggestPathways(listPathways(t.db), facts({ category: 'pushback', incidentMonth: '2024-01' }), now);
    expect(late.findIndex((s) => s.pathwayId === 'frontex-complaints')).toBeGreaterThan(late.findIndex((s) => s.deadline.state !== 'passed'));
  });

  it('never suggests a retired body, or one for another country or deployer', () => {
    t.db.update(pathways).set({ retiredAt: now.toISOString() }).where(eq(pathways.id, 'echr-rule39')).run();
    const shown = suggestPathways(listPathways(t.db), facts({ category: 'pushback', urgent: true, deployerClass: 'un_agency' }), now);
    t.db.update(pathways).set({ retiredAt: null }).where(eq(pathways.id, 'echr-rule39')).run();
    const ids = shown.map((s) => s.pathwayId);
    expect(ids).not.toContain('echr-rule39');
    expect(ids).not.toContain('frontex-complaints'); // Frontex does not cover UN agencies
    expect(ids.filter((id) => id.startsWith('dpa-') && id !== 'dpa-gr')).toEqual([]);
  });
});
