// Who may call which desk route: every route × every role, written as a table that doubles as
// documentation. The routes come from the app itself (app.routeTable, filled by Fastify's onRoute):
// a route missing from the table, or a table row that disagrees with the roles the route declares,
// fails the suite. Anonymous callers get 401, a wrong role 403, a caseworker outside the case's
// team 404 (case ids reveal nothing). Refusals change nothing. Also: CSRF on changes, and an
// analyst never receives ciphertext.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, isNull } from 'drizzle-orm';
import { auditLog, caseNotes, cases, grants, pathways, referrals, teamKeys, teamMembers, users as users_ } from '../../db/schema.ts';
import { insertInvitation } from '../../server/services/invitations.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import { createSession } from '../../server/services/sessions.ts';
import type { RouteEntry } from '../../server/plugins/auth.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { AD_LABEL, sealEnvelope, type KeyPair } from '../../protocol/envelope.ts';
import { sealMessage } from '../../protocol/messages.ts';
import { teamSigningKeys, teamVerifyKey, verifyKeyProof } from '../../protocol/signing.ts';
import { generateKeyPair, openGrant, sealGrant } from '../../protocol/keys.ts';
import { stepOf } from '../../server/services/totp.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn, type DeskUser, type SignedIn } from '../helpers/desk.ts';
import { validForm } from '../fixtures/report.ts';
import { uploadFile } from '../helpers/evidence.ts';
import { randomUUID } from 'node:crypto';
import { importDeployments } from '../../server/services/register.ts';

/** A register entry as the desk sends it: the seed's first entry without its id (and no directory links: none is seeded here). */
const registerEntry = () => {
  const { id: _id, ...entry } = JSON.parse(readFileSync('db/seed/deployments.json', 'utf8'))[0];
  return { ...entry, pathwayIds: [] };
};

type Role = 'admin' | 'caseworker' | 'outsider' | 'analyst' | 'anonymous';
const ROLES: Role[] = ['admin', 'caseworker', 'outsider', 'analyst', 'anonymous'];

/**
 * admin      — made by setup: member of the default team, holds its key.
 * caseworker — member of the default team, granted its key.
 * outsider   — a caseworker of another team (team B), granted that team's key.
 * analyst    — statistics only: no team, no case.
 * anonymous  — no session cookie.
 * The one case lives in the default team. 2xx statuses are exact: every request has a valid body.
 */
const MATRIX: [route: string, admin: number, caseworker: number, outsider: number, analyst: number, anonymous: number][] = [
  // route                                    admin  caseworker  outsider  analyst  anonymous
  ['GET /api/me',                              200,   200,        200,      200,     401],
  ['GET /api/cases',                           200,   200,        200,      403,     401],
  ['GET /api/cases/:id',                       200,   200,        404,      403,     401],
  ['POST /api/cases/:id/status',               200,   200,        404,      403,     401],
  ['POST /api/cases/:id/assign',               200,   200,        404,      403,     401],
  ['GET /api/cases/:id/notes',                 200,   200,        404,      403,     401],
  ['POST /api/cases/:id/notes',                201,   201,        404,      403,     401],
  ['GET /api/cases/:id/messages',              200,   200,        404,      403,     401],
  ['POST /api/cases/:id/messages',             201,   201,        404,      403,     401],
  ['GET /api/cases/:id/attachments/:uploadId', 200,   200,        404,      403,     401],
  ['GET /api/cases/:id/remedy',                200,   200,        404,      403,     401],
  ['PUT /api/cases/:id/coding',                200,   200,        404,      403,     401],
  ['POST /api/cases/:id/referrals',            201,   201,        404,      403,     401],
  ['PUT /api/cases/:id/referrals/:referralId', 200,   200,        404,      403,     401],
  ['GET /api/deadlines',                       200,   200,        200,      403,     401],
  // The directory is public knowledge: every desk role may read it; admins keep it.
  ['GET /api/pathways',                        200,   200,        200,      200,     401],
  ['POST /api/pathways',                       201,   403,        403,      403,     401],
  ['PUT /api/pathways/:id',                    200,   403,        403,      403,     401],
  ['PUT /api/me/notifications',                200,   200,        200,      200,     401],
  ['PUT /api/teams/:id/settings',              200,   403,        403,      403,     401],
  ['GET /api/public-texts/:language',          200,   200,        200,      403,     401],
  ['PUT /api/public-texts/:language',          200,   403,        403,      403,     401],
  // Only a session still enrolling its second factor may enrol one.
  ['POST /api/auth/totp/enrol',                401,   401,        401,      401,     401],
  ['GET /api/teams',                           200,   200,        200,      403,     401],
  ['POST /api/teams',                          201,   403,        403,      403,     401],
  ['POST /api/teams/:id/members',              204,   403,        403,      403,     401],
  ['DELETE /api/teams/:id/members/:userId',    204,   403,        403,      403,     401],
  // Granting is open to members who hold the team key: the outsider holds team B's, not this one.
  ['POST /api/teams/:id/grants',               204,   204,        403,      403,     401],
  // Publishing a verify key is for holders of that key: the outsider holds team B's, not this one.
  ['PUT /api/teams/:id/keys/:kid/verify-key',  204,   204,        403,      403,     401],
  ['POST /api/teams/:id/keys',                 201,   403,        403,      403,     401],
  ['GET /api/routing',                         200,   403,        403,      403,     401],
  ['PUT /api/routing',                         200,   403,        403,      403,     401],
  ['GET /api/users',                           200,   403,        403,      403,     401],
  ['POST /api/users/:id/disable',              200,   403,        403,      403,     401],
  ['POST /api/users/:id/enable',               204,   403,        403,      403,     401],
  ['POST /api/users/:id/reset',                201,   403,        403,      403,     401],
  ['GET /api/audit',                           200,   403,        403,      403,     401],
  ['GET /api/audit.csv',                       200,   403,        403,      403,     401],
  ['POST /api/invitations',                    201,   403,        403,      403,     401],
  // Statistics: analysts and admins; the public page's switch is the admins'.
  ['GET /api/stats',                           200,   403,        403,      200,     401],
  ['GET /api/stats/export',                    200,   403,        403,      200,     401],
  ['GET /api/stats/settings',                  200,   403,        403,      200,     401],
  ['PUT /api/stats/settings',                  200,   403,        403,      403,     401],
  // The register: everyone signed in reads it; admins and caseworkers keep it; admins remove entries.
  ['GET /api/deployments',                     200,   200,        200,      200,     401],
  ['GET /api/deployments/:id',                 200,   200,        200,      200,     401],
  ['POST /api/deployments',                    201,   201,        201,      403,     401],
  ['PUT /api/deployments/:id',                 200,   200,        200,      403,     401],
  ['DELETE /api/deployments/:id',              204,   403,        403,      403,     401],
  ['GET /api/invitations',                     200,   403,        403,      403,     401],
  ['DELETE /api/invitations/:id',              204,   403,        403,      403,     401],
  // Each role signs out a session of its own made for the purpose.
  ['POST /api/auth/logout',                    204,   204,        204,      204,     401],
  // Last: it ends every session of the caller.
  ['POST /api/auth/logout-everywhere',         204,   204,        204,      204,     401],
];

const REFUSAL_CODES: Record<number, string> = { 401: 'not_signed_in', 403: 'forbidden', 404: 'not_found' };

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
interface DeskRequest { method: Method; url: string; payload?: object }

let t: TestApp;
let admin: DeskUser;
let teamA: string;
let teamB: string;
let teamAKeys: KeyPair;
let teamBKeys: KeyPair;
let caseId: string;
let attachmentId: string;
let target: DeskUser;
let pending: DeskUser; // a member of the default team still waiting for its key
let spare: DeskUser; // added to and removed from team B
const users: Partial<Record<Role, DeskUser>> = {};
const sessions: Partial<Record<Role, SignedIn>> = {};
const analystBodies: string[] = [];

const call = (who: SignedIn | undefined, req: DeskRequest, headers: Record<string, string> = {}) => t.app.inject({
  method: req.method, url: req.url, payload: req.payload,
  headers: { ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {}), ...headers },
});
/** A second full session for a role, made straight in the database (no TOTP step spent). */
const freshSession = (role: Exclude<Role, 'anonymous'>): SignedIn => {
  const { id, session } = createSession(t.db, t.app.state.sessionActivity, users[role]!.id, 'full');
  return { cookie: `redress_session=${id}`, csrf: session.csrfToken, me: {} };
};
const auditCount = () => t.db.select({ n: count() }).from(auditLog).get()!.n;
/** A directory entry as stored (the data-file shape), to send back as an edit. */
const pathwayEntry = (id: string) => t.db.select().from(pathways).where(eq(pathways.id, id)).get()!.entry;
const caseRow = () => t.db.select().from(cases).where(eq(cases.id, caseId)).get()!;
const currentKeyId = (teamId: string) => t.db.select().from(teamKeys).where(and(eq(teamKeys.teamId, teamId), isNull(teamKeys.retiredAt))).get()!.id;

async function newTeamBody(name: string) {
  const pair = await generateKeyPair();
  return {
    pair,
    body: {
      name, restricted: false, publicKey: toBase64Url(pair.publicKey), verifyKey: await teamVerifyKey(pair.privateKey),
      creatorGrant: await sealGrant(pair.privateKey, admin.keys.publicKey), recoveryGrant: await sealGrant(pair.privateKey, t.recovery!.publicKey),
    },
  };
}

/**
 * The request each row sends (the same for every role), what to reset before each allowed role's
 * try, and whether it needs a session of its own (signing out must not end the shared ones).
 */
const REQUESTS: Record<string, { request: () => Promise<DeskRequest> | DeskRequest; reset?: () => void; ownSession?: true }> = {
  'GET /api/me': { request: () => ({ method: 'GET', url: '/api/me' }) },
  'GET /api/cases': { request: () => ({ method: 'GET', url: '/api/cases' }) },
  'GET /api/cases/:id': { request: () => ({ method: 'GET', url: `/api/cases/${caseId}` }) },
  'POST /api/cases/:id/status': {
    request: () => ({ method: 'POST', url: `/api/cases/${caseId}/status`, payload: { status: 'triaged' } }),
    reset: () => { t.db.update(cases).set({ status: 'received', outcome: null }).where(eq(cases.id, caseId)).run(); },
  },
  'POST /api/cases/:id/assign': {
    request: () => ({ method: 'POST', url: `/api/cases/${caseId}/assign`, payload: { assigneeId: users.caseworker!.id } }),
    reset: () => { t.db.update(cases).set({ assigneeId: null }).where(eq(cases.id, caseId)).run(); },
  },
  'GET /api/cases/:id/notes': { request: () => ({ method: 'GET', url: `/api/cases/${caseId}/notes` }) },
  'POST /api/cases/:id/notes': {
    request: async () => ({
      method: 'POST', url: `/api/cases/${caseId}/notes`,
      payload: { envelope: await sealEnvelope(AD_LABEL.note, { caseId }, { text: 'Called back, no answer.' }, [teamAKeys.publicKey]) },
    }),
  },
  'GET /api/cases/:id/messages': { request: () => ({ method: 'GET', url: `/api/cases/${caseId}/messages` }) },
  'POST /api/cases/:id/messages': {
    request: async () => ({
      method: 'POST', url: `/api/cases/${caseId}/messages`,
      payload: { envelope: await sealMessage(caseId, 'to_reporter', 'We have your report.', [fromBase64Url(caseRow().reporterPublicKey)!, teamAKeys.publicKey], (await teamSigningKeys(teamAKeys.privateKey)).signingKey) },
    }),
  },
  'GET /api/cases/:id/attachments/:uploadId': { request: () => ({ method: 'GET', url: `/api/cases/${caseId}/attachments/${attachmentId}` }) },
  'GET /api/cases/:id/remedy': { request: () => ({ method: 'GET', url: `/api/cases/${caseId}/remedy` }) },
  'PUT /api/cases/:id/coding': {
    request: () => ({ method: 'PUT', url: `/api/cases/${caseId}/coding`, payload: { codedCategory: 'biometric_lockout', codedSystemType: 'iris_scan', deployerClass: 'un_agency', deploymentId: null } }),
  },
  'POST /api/cases/:id/referrals': {
    request: () => ({ method: 'POST', url: `/api/cases/${caseId}/referrals`, payload: { pathwayId: 'wfp-hotline', sentOn: new Date().toISOString().slice(0, 10), sharePersonalData: false } }),
    reset: () => {
      t.db.delete(referrals).run();
      t.db.update(cases).set({ status: 'triaged' }).where(eq(cases.id, caseId)).run();
    },
  },
  'PUT /api/cases/:id/referrals/:referralId': {
    request: () => ({
      method: 'PUT', url: `/api/cases/${caseId}/referrals/${t.db.select().from(referrals).get()!.id}`,
      payload: { bodyReference: 'WFP-2026-0042', followUpOn: null, outcome: 'admissible', outcomeOn: null },
    }),
  },
  'GET /api/deadlines': { request: () => ({ method: 'GET', url: '/api/deadlines?scope=team' }) },
  'GET /api/pathways': { request: () => ({ method: 'GET', url: '/api/pathways' }) },
  'POST /api/pathways': {
    request: () => ({ method: 'POST', url: '/api/pathways', payload: { ...pathwayEntry('edps'), id: `matrix-${Date.now()}`, name: 'A body added at the desk' } }),
  },
  'PUT /api/pathways/:id': { request: () => ({ method: 'PUT', url: '/api/pathways/edps', payload: { entry: pathwayEntry('edps'), retired: false } }) },
  'PUT /api/me/notifications': { request: () => ({ method: 'PUT', url: '/api/me/notifications', payload: { mode: 'daily', language: 'fr' } }) },
  'PUT /api/teams/:id/settings': { request: () => ({ method: 'PUT', url: `/api/teams/${teamA}/settings`, payload: { retentionDays: 400, graceDays: 14 } }) },
  'GET /api/public-texts/:language': { request: () => ({ method: 'GET', url: '/api/public-texts/ar' }) },
  'PUT /api/public-texts/:language': { request: () => ({ method: 'PUT', url: '/api/public-texts/ar', payload: { key: 'status.received', text: 'وصلنا بلاغك.' } }) },
  'POST /api/auth/totp/enrol': { request: () => ({ method: 'POST', url: '/api/auth/totp/enrol', payload: { code: '123456' } }) },
  'POST /api/auth/logout': { request: () => ({ method: 'POST', url: '/api/auth/logout', payload: {} }), ownSession: true },
  'GET /api/teams': { request: () => ({ method: 'GET', url: '/api/teams' }) },
  'POST /api/teams': { request: async () => ({ method: 'POST', url: '/api/teams', payload: (await newTeamBody('Matrix team')).body }) },
  'POST /api/teams/:id/members': { request: () => ({ method: 'POST', url: `/api/teams/${teamB}/members`, payload: { userId: spare.id } }) },
  'DELETE /api/teams/:id/members/:userId': { request: () => ({ method: 'DELETE', url: `/api/teams/${teamB}/members/${spare.id}` }) },
  'POST /api/teams/:id/grants': {
    request: async () => ({
      method: 'POST', url: `/api/teams/${teamA}/grants`,
      payload: { userId: pending.id, sealedPrivateKey: await sealGrant(teamAKeys.privateKey, pending.keys.publicKey) },
    }),
    reset: () => { t.db.delete(grants).where(and(eq(grants.teamKeyId, currentKeyId(teamA)), eq(grants.userId, pending.id))).run(); },
  },
  'POST /api/teams/:id/keys': {
    request: async () => {
      const next = await generateKeyPair();
      return {
        method: 'POST', url: `/api/teams/${teamB}/keys`,
        payload: {
          publicKey: toBase64Url(next.publicKey), verifyKey: await teamVerifyKey(next.privateKey),
          grants: [
            { userId: admin.id, sealedPrivateKey: await sealGrant(next.privateKey, admin.keys.publicKey) },
            { userId: users.outsider!.id, sealedPrivateKey: await sealGrant(next.privateKey, users.outsider!.keys.publicKey) },
            { userId: null, sealedPrivateKey: await sealGrant(next.privateKey, t.recovery!.publicKey) },
          ],
        },
      };
    },
  },
  'PUT /api/teams/:id/keys/:kid/verify-key': {
    request: async () => {
      const key = t.db.select().from(teamKeys).where(eq(teamKeys.id, currentKeyId(teamA))).get()!;
      const { signingKey } = await teamSigningKeys(teamAKeys.privateKey);
      return {
        method: 'PUT', url: `/api/teams/${teamA}/keys/${key.kid}/verify-key`,
        payload: { verifyKey: await teamVerifyKey(teamAKeys.privateKey), proof: await verifyKeyProof(key.publicKey, signingKey) },
      };
    },
    reset: () => { t.db.update(teamKeys).set({ verifyKey: null }).where(eq(teamKeys.id, currentKeyId(teamA))).run(); },
  },
  'POST /api/users/:id/disable': {
    request: () => ({ method: 'POST', url: `/api/users/${target.id}/disable` }),
    reset: () => { t.db.update(users_).set({ disabledAt: null }).where(eq(users_.id, target.id)).run(); },
  },
  'POST /api/users/:id/enable': { request: () => ({ method: 'POST', url: `/api/users/${target.id}/enable` }) },
  'POST /api/users/:id/reset': { request: () => ({ method: 'POST', url: `/api/users/${target.id}/reset` }) },
  'GET /api/audit.csv': { request: () => ({ method: 'GET', url: '/api/audit.csv?action=case.' }) },
  'GET /api/invitations': { request: () => ({ method: 'GET', url: '/api/invitations' }) },
  'DELETE /api/invitations/:id': {
    // A live invitation made straight in the database for each try (not audited, so a refusal shows none).
    request: () => ({ method: 'DELETE', url: `/api/invitations/${insertInvitation(t.db, { email: null, role: 'caseworker', teamIds: [], createdBy: admin.id, createdAt: new Date().toISOString() }, new Date()).id}` }),
  },
  'GET /api/routing': { request: () => ({ method: 'GET', url: '/api/routing' }) },
  'PUT /api/routing': { request: () => ({ method: 'PUT', url: '/api/routing', payload: { defaultTeam: teamA, rules: [] } }) },
  'GET /api/users': { request: () => ({ method: 'GET', url: '/api/users' }) },
  'GET /api/audit': { request: () => ({ method: 'GET', url: '/api/audit' }) },
  'POST /api/invitations': { request: () => ({ method: 'POST', url: '/api/invitations', payload: { role: 'caseworker', teamIds: [teamA] } }) },
  'GET /api/stats': { request: () => ({ method: 'GET', url: '/api/stats' }) },
  'GET /api/stats/export': { request: () => ({ method: 'GET', url: '/api/stats/export?format=csv' }) },
  'GET /api/stats/settings': { request: () => ({ method: 'GET', url: '/api/stats/settings' }) },
  'PUT /api/stats/settings': { request: () => ({ method: 'PUT', url: '/api/stats/settings', payload: { publicPage: false } }) },
  'GET /api/deployments': { request: () => ({ method: 'GET', url: '/api/deployments' }) },
  'GET /api/deployments/:id': { request: () => ({ method: 'GET', url: '/api/deployments/eurodac' }) },
  'POST /api/deployments': { request: () => ({ method: 'POST', url: '/api/deployments', payload: registerEntry() }) },
  'PUT /api/deployments/:id': { request: () => ({ method: 'PUT', url: '/api/deployments/iborderctrl', payload: registerEntry() }) },
  'DELETE /api/deployments/:id': {
    // Each try removes an entry of its own, made for it.
    request: () => {
      const id = `matrix-${randomUUID().slice(0, 8)}`;
      importDeployments(t.db, 'test', [{ id, ...registerEntry() }]);
      return { method: 'DELETE', url: `/api/deployments/${id}` };
    },
  },
  'POST /api/auth/logout-everywhere': { request: () => ({ method: 'POST', url: '/api/auth/logout-everywhere', payload: {} }) },
};

beforeAll(async () => {
  t = await makeTestApp();
  admin = await setupAdmin(t.db);
  teamA = defaultTeamId(t.db);
  const granter = { ...admin.keys, id: admin.id };
  users.admin = admin;
  users.caseworker = await createDeskUser(t.db, { email: 'caseworker@example.org', role: 'caseworker', teamIds: [teamA], granter });
  users.outsider = await createDeskUser(t.db, { email: 'outsider@example.org', role: 'caseworker' });
  users.analyst = await createDeskUser(t.db, { email: 'analyst@example.org', role: 'analyst' });
  pending = await createDeskUser(t.db, { email: 'pending@example.org', role: 'caseworker', teamIds: [teamA] });
  spare = await createDeskUser(t.db, { email: 'spare@example.org', role: 'caseworker' });
  target = await createDeskUser(t.db, { email: 'target@example.org', role: 'caseworker' });
  for (const role of ['admin', 'caseworker', 'outsider', 'analyst'] as const) sessions[role] = await signIn(t.app, users[role]!);

  const adminGrant = t.db.select().from(grants).where(and(eq(grants.teamKeyId, currentKeyId(teamA)), eq(grants.userId, admin.id))).get()!;
  teamAKeys = (await openGrant(adminGrant.sealedPrivateKey, admin.keys))!;

  // Team B, made the way the admin's browser makes it, with the outsider as a granted member.
  const { pair, body } = await newTeamBody('Team B');
  teamBKeys = pair;
  const created = await call(sessions.admin, { method: 'POST', url: '/api/teams', payload: body });
  expect(created.statusCode).toBe(201);
  teamB = created.json<{ id: string }>().id;
  expect((await call(sessions.admin, { method: 'POST', url: `/api/teams/${teamB}/members`, payload: { userId: users.outsider.id } })).statusCode).toBe(204);
  const grant = await sealGrant(teamBKeys.privateKey, users.outsider.keys.publicKey);
  expect((await call(sessions.admin, { method: 'POST', url: `/api/teams/${teamB}/grants`, payload: { userId: users.outsider.id, sealedPrivateKey: grant } })).statusCode).toBe(204);

  // One report, routed to the default team, with one file.
  const { ref } = await uploadFile(t.app, Buffer.from('%PDF-1.7 a letter'));
  attachmentId = ref.id;
  const sealed = await sealSubmission(validForm(), 'en', t.intake(), { attachments: [ref] });
  const submitted = await t.app.inject({ method: 'POST', url: '/api/reports', payload: sealed.body, headers: { 'content-type': 'application/json' } });
  expect(submitted.statusCode).toBe(201);
  caseId = t.db.select().from(cases).get()!.id;
  expect(caseRow().teamId).toBe(teamA);
});
afterAll(async () => { await t.close(); });

/** Routes anyone may call: the form, intake, follow-up by receipt, setup and invitation links, pages. */
const PUBLIC_ROUTES = [
  'GET /', 'POST /report', 'POST /report/confirm', 'GET /locales/:file', 'GET /follow-up', 'GET /desk', 'GET /desk/setup', 'GET /desk/invite',
  'GET /healthz', 'GET /favicon.ico', 'GET /api/intake', 'POST /api/reports', 'GET /api/openapi.json',
  'POST /api/follow-up/open', 'GET /api/follow-up', 'POST /api/follow-up/messages', 'POST /api/follow-up/close',
  'GET /api/setup', 'POST /api/setup', 'POST /api/invitations/inspect', 'POST /api/invitations/accept',
  'POST /api/auth/prelogin', 'POST /api/auth/login', 'GET /assets/*',
  // Evidence: tus uploads (the upload id is the capability), the outbox, the reporter's files, the service worker, follow-up without JavaScript.
  'OPTIONS /api/uploads', 'POST /api/uploads', 'PATCH /api/uploads/:id', 'DELETE /api/uploads/:id', 'POST /api/reports/sealed',
  'GET /api/follow-up/attachments/:uploadId', 'GET /sw.js', 'POST /follow-up/read', 'POST /follow-up/reply', 'POST /follow-up/file',
  // Off by default: 404 until an admin publishes it.
  'GET /accountability', 'GET /accountability/:file',
];
const routeName = (r: RouteEntry) => `${r.method} ${r.url}`;

describe('the set-up', () => {
  it('covers every route the app registers: desk routes in the matrix, the rest in the public list', () => {
    const desk = t.app.routeTable.filter((r) => r.access !== 'public').map(routeName);
    const open = t.app.routeTable.filter((r) => r.access === 'public').map(routeName);
    expect(desk.sort()).toEqual(MATRIX.map(([route]) => route).sort());
    expect(open.sort()).toEqual([...PUBLIC_ROUTES].sort());
    expect(Object.keys(REQUESTS).sort()).toEqual(MATRIX.map(([route]) => route).sort());
  });

  it('expects exactly the roles each route declares', () => {
    for (const [route, adminStatus, caseworkerStatus, , analystStatus, anonymousStatus] of MATRIX) {
      const entry = t.app.routeTable.find((r) => routeName(r) === route)!;
      if (entry.access === 'public') throw new Error(`${route} is public`);
      expect(anonymousStatus, route).toBe(401);
      if (entry.access.stage !== 'full') continue;
      for (const [role, status] of [['admin', adminStatus], ['caseworker', caseworkerStatus], ['analyst', analystStatus]] as const) {
        expect(status === 403, `${route} as ${role}`).toBe(!entry.access.roles.includes(role));
      }
    }
  });

  it('has the outsider hold team B only', async () => {
    const teamsSeen = (await call(sessions.outsider, { method: 'GET', url: '/api/teams' })).json<{ id: string; myGrant: string | null }[]>();
    expect(teamsSeen.map((team) => team.id)).toEqual([teamB]);
    expect(await openGrant(teamsSeen[0]!.myGrant!, users.outsider!.keys)).toEqual(teamBKeys);
    const queue = (await call(sessions.outsider, { method: 'GET', url: '/api/cases' })).json<{ total: number; items: unknown[] }>();
    expect(queue.total).toBe(0);
    expect(queue.items).toEqual([]);
  });
});

describe('CSRF', () => {
  it('refuses a change without the session\'s x-csrf-token, and changes nothing', async () => {
    const worker = sessions.caseworker!;
    const before = { audit: auditCount(), row: caseRow(), notes: t.db.select({ n: count() }).from(caseNotes).get()!.n };
    const status: DeskRequest = { method: 'POST', url: `/api/cases/${caseId}/status`, payload: { status: 'triaged' } };
    const note: DeskRequest = {
      method: 'POST', url: `/api/cases/${caseId}/notes`,
      payload: { envelope: await sealEnvelope(AD_LABEL.note, { caseId }, { text: 'forged' }, [teamAKeys.publicKey]) },
    };
    const wrongTokens: (string | undefined)[] = [
      undefined, '', sessions.admin!.csrf, // another session's token
      `${worker.csrf.slice(0, -1)}${worker.csrf.endsWith('A') ? 'B' : 'A'}`, `${worker.csrf}x`,
    ];
    for (const req of [status, note]) {
      for (const token of wrongTokens) {
        const res = await t.app.inject({
          method: req.method, url: req.url, payload: req.payload,
          headers: { cookie: worker.cookie, ...(token === undefined ? {} : { 'x-csrf-token': token }) },
        });
        expect(res.statusCode, `${req.url} with ${JSON.stringify(token)}`).toBe(403);
        expect(res.json().code).toBe('csrf_failed');
      }
    }
    expect(caseRow()).toEqual(before.row);
    expect(t.db.select({ n: count() }).from(caseNotes).get()!.n).toBe(before.notes);
    expect(auditCount()).toBe(before.audit);
  });

  it('does not ask for the token on reads', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/cases', headers: { cookie: sessions.caseworker!.cookie } });
    expect(res.statusCode).toBe(200);
  });
});

describe('authorization matrix', () => {
  it.each(MATRIX)('%s → admin %i, caseworker %i, outsider %i, analyst %i, anonymous %i', async (route, ...expected) => {
    const { request, reset, ownSession } = REQUESTS[route]!;
    for (const [i, role] of ROLES.entries()) {
      if (expected[i]! < 300) reset?.();
      const req = await request();
      const audit = auditCount();
      const row = caseRow();
      const members = t.db.select().from(teamMembers).all();
      const res = await call(ownSession && role !== 'anonymous' ? freshSession(role) : sessions[role], req);
      if (role === 'analyst') analystBodies.push(res.body);
      expect(res.statusCode, `${route} as ${role}: ${res.body}`).toBe(expected[i]);
      if (res.statusCode >= 400) {
        expect(res.json().code).toBe(REFUSAL_CODES[res.statusCode]);
        // A refusal leaves no trace and changes nothing.
        expect(auditCount()).toBe(audit);
        expect(caseRow()).toEqual(row);
        expect(t.db.select().from(teamMembers).all()).toEqual(members);
      }
    }
  });

  it('gave every allowed change its effect', () => {
    const row = caseRow();
    // Referred by the referral row, which ran after the status row.
    expect(row.status).toBe('referred');
    expect(row.deployerClass).toBe('un_agency');
    expect(t.db.select().from(referrals).all()).toMatchObject([{ pathwayId: 'wfp-hotline', outcome: 'admissible', bodyReference: 'WFP-2026-0042' }]);
    expect(row.assigneeId).toBe(users.caseworker!.id);
    expect(t.db.select({ n: count() }).from(caseNotes).where(eq(caseNotes.caseId, caseId)).get()!.n).toBe(2);
    expect(t.db.select().from(grants).where(and(eq(grants.teamKeyId, currentKeyId(teamA)), eq(grants.userId, pending.id))).all()).toHaveLength(1);
    expect(t.db.select().from(teamMembers).where(and(eq(teamMembers.teamId, teamB), eq(teamMembers.userId, spare.id))).all()).toEqual([]);
    expect(t.db.select().from(teamKeys).where(eq(teamKeys.teamId, teamB)).all()).toHaveLength(2); // rotated once
  });

  it('ended every session with logout-everywhere', async () => {
    for (const role of ['admin', 'caseworker', 'outsider', 'analyst'] as const) {
      expect((await call(sessions[role], { method: 'GET', url: '/api/me' })).statusCode, role).toBe(401);
    }
  });
});

describe('analyst', () => {
  it('never receives ciphertext, on any route', async () => {
    expect(analystBodies).toHaveLength(MATRIX.length);
    const sealed = /"(envelope|ciphertext|sealedKey)"\s*:/i;
    for (const body of analystBodies) {
      expect(body).not.toMatch(sealed);
    }
    // The same search does find ciphertext where it is served, so its silence above means something.
    const fresh = await signIn(t.app, users.caseworker!, stepOf(Date.now()) + 1);
    const view = await call(fresh, { method: 'GET', url: `/api/cases/${caseId}` });
    expect(view.body).toMatch(sealed);
    expect(view.body).toMatch(/"ciphertext":/);
    expect(fromBase64Url(view.json().envelope.ciphertext)).not.toBeNull();
  });
});
