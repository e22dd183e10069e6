// The register of AI deployments: seeded once from the data file (sources and unverified fields
// kept), the six questions read from each entry, kept at the desk with every change and refusal
// audited (an entry without a source, a pathway outside the directory), linked cases counted with
// disclosure control, and an entry a case points to never removed.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentEntry, DeploymentView, RegisterView } from '../../protocol/register-api.ts';
import { buildApp, LOG_SERIALIZERS } from '../../server/app.ts';
import { importDeployments } from '../../server/services/register.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { insertCases, insertPathways, times } from '../helpers/cases.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn, type SignedIn } from '../helpers/desk.ts';
import { stepOf } from '../../server/services/totp.ts';

const SEED = JSON.parse(readFileSync('db/seed/deployments.json', 'utf8')) as (DeploymentEntry & { id: string })[];
const entryOf = (id: string): DeploymentEntry => { const { id: _id, ...entry } = SEED.find((e) => e.id === id)!; return entry; };

let t: TestApp;
let admin: SignedIn;
let worker: SignedIn;
beforeAll(async () => {
  t = await makeTestApp();
  insertPathways(t.db);
  const adminUser = await setupAdmin(t.db);
  admin = await signIn(t.app, adminUser);
  worker = await signIn(t.app, await createDeskUser(t.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(t.db)] }), stepOf(Date.now()) + 1);
});
afterAll(async () => { await t.close(); });

const call = (who: SignedIn, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf } });
const lastAudit = () => t.db.$client.prepare('SELECT action, subject, detail FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string; subject: string | null; detail: string };

describe('the register', () => {
  it('is seeded once from the data file, with every source and unverified field', async () => {
    const view = (await call(worker, 'GET', '/api/deployments')).json<RegisterView>();
    expect(view.entries.map((e) => e.id).sort()).toEqual(SEED.map((e) => e.id).sort());
    const ees = view.entries.find((e) => e.id === 'eu-entry-exit-system')!;
    expect(ees.entry).toEqual(entryOf('eu-entry-exit-system'));
    expect(ees.glance).toEqual({
      purpose: 'use_not_documented', legalBasis: 'documented', oversight: 'independent', errorRates: 'not_published', remedyPathway: 'linked', fria: 'not_published',
    });
    expect(ees.pathways).toEqual([{ id: 'edps', name: expect.stringContaining('European Data Protection Supervisor'), kind: 'dpa' }]);
    expect(view.directory.length).toBeGreaterThan(50);
    // An admin's deletion is not undone by the next start.
    expect((await call(admin, 'DELETE', '/api/deployments/iborderctrl')).statusCode).toBe(204);
    const again = await buildApp({ config: t.config, db: t.db, logger: { level: 'warn', serializers: LOG_SERIALIZERS } });
    await again.ready();
    await again.close();
    expect((await call(worker, 'GET', '/api/deployments/iborderctrl')).statusCode).toBe(404);
    importDeployments(t.db, 'test', SEED.filter((e) => e.id === 'iborderctrl'));
  });

  it('refuses an entry without a source, or with a pathway outside the directory, audited, storing nothing', async () => {
    const count = () => (t.db.$client.prepare('SELECT count(*) FROM deployments').pluck().get() as number);
    const before = count();
    const noSource = await call(worker, 'POST', '/api/deployments', { ...entryOf('eurodac'), sources: [] });
    expect(noSource.statusCode).toBe(400);
    expect(noSource.json()).toMatchObject({ code: 'source_required', field: 'sources' });
    expect(lastAudit()).toMatchObject({ action: 'register.refused', detail: '{"code":"source_required","field":"sources"}' });
    const badPathway = await call(worker, 'PUT', '/api/deployments/eurodac', { ...entryOf('eurodac'), pathwayIds: ['no-such-body'] });
    expect(badPathway.json()).toMatchObject({ code: 'unknown_pathway' });
    expect(lastAudit()).toMatchObject({ action: 'register.refused', subject: 'eurodac' });
    const badUrl = await call(worker, 'POST', '/api/deployments', { ...entryOf('eurodac'), sources: [{ url: 'javascript:alert(1)', title: 'x', date: null }] });
    expect(badUrl.statusCode).toBe(400);
    expect(lastAudit()).toMatchObject({ action: 'register.refused' });
    expect(count()).toBe(before);
  });

  it('is kept by caseworkers and admins, each change audited', async () => {
    const created = await call(worker, 'POST', '/api/deployments', { ...entryOf('eurodac'), systemName: 'Eurodac (a second look)', pathwayIds: [] });
    expect(created.statusCode).toBe(201);
    const view = created.json<DeploymentView>();
    expect(view.id).toBe('eurodac-a-second-look');
    expect(view.glance.remedyPathway).toBe('none_documented');
    expect(lastAudit()).toMatchObject({ action: 'register.created', subject: 'eurodac-a-second-look' });
    const updated = await call(worker, 'PUT', `/api/deployments/${view.id}`, { ...view.entry, fria: { published: true, url: 'https://example.org/fria.pdf' } });
    expect(updated.json<DeploymentView>().glance.fria).toBe('published');
    expect(lastAudit()).toMatchObject({ action: 'register.updated', subject: view.id });
    expect((await call(worker, 'DELETE', `/api/deployments/${view.id}`)).statusCode).toBe(403);
    expect((await call(admin, 'DELETE', `/api/deployments/${view.id}`)).statusCode).toBe(204);
    expect(lastAudit()).toMatchObject({ action: 'register.deleted', subject: view.id });
  });

  it('counts the cases linked to an entry and those that reached a remedy, and keeps an entry a case points to', async () => {
    insertCases(t.db, [
      ...times(10, { receivedOn: '2025-02-01', country: 'YE', category: 'assistance_cut', deploymentId: 'wfp-scope-biometrics-yemen', closedOn: '2025-03-01', outcome: 'resolved' }),
      ...times(2, { receivedOn: '2025-02-01', country: 'YE', category: 'assistance_cut', deploymentId: 'wfp-scope-biometrics-yemen' }),
    ]);
    const wfp = (await call(worker, 'GET', '/api/deployments/wfp-scope-biometrics-yemen')).json<DeploymentView>();
    expect(wfp.cases.remedies).toBe(10);
    expect([10, 15]).toContain(wfp.cases.complaints); // 12, rounded at random to a neighbouring multiple of 5
    const res = await call(admin, 'DELETE', '/api/deployments/wfp-scope-biometrics-yemen');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('deployment_in_use');
  });

  it('imports a data file whole or not at all', () => {
    const before = t.db.$client.prepare('SELECT count(*) FROM deployments').pluck().get();
    expect(() => importDeployments(t.db, 'test', [{ ...SEED[0], id: 'new-one' }, { ...SEED[1], id: 'broken', sources: [] }])).toThrow(/broken.*source/);
    expect(t.db.$client.prepare('SELECT count(*) FROM deployments').pluck().get()).toBe(before);
  });
});
