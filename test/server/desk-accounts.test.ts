// Accounts an admin can manage (PROTOCOL.md §31): the list, disabling (sessions end at once, grants
// go, the teams whose key it held are named for rotation), re-enabling, a reset link that stops the
// old password at once and gives new keys and a new second factor, pending links and revoking them,
// and the analyst rule. Plus small refusals: bidi names, unusable keys, an empty assignee.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, grants, sessions, users } from '../../db/schema.ts';
import { toBase64Url } from '../../protocol/encoding.ts';
import { WRAP_LABEL, derivePasswordKeys, generateKeyPair, newKdfParams, sealGrant, wrapSecret } from '../../protocol/keys.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import { teamVerifyKey } from '../../protocol/signing.ts';
import { stepOf } from '../../server/services/totp.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, heldTeamKey, setupAdmin, signIn, type DeskUser, type SignedIn } from '../helpers/desk.ts';
import { validForm } from '../fixtures/report.ts';

let t: TestApp;
let admin: DeskUser;
let asAdmin: SignedIn;
let teamA: string;
// A TOTP code is accepted for the current step ±1, once per account: count steps per account.
const steps = new Map<string, number>();
const signInAs = (user: DeskUser) => {
  const step = (steps.get(user.id) ?? stepOf(Date.now()) - 1) + 1;
  steps.set(user.id, step);
  return signIn(t.app, user, step);
};
const call = (who: SignedIn | undefined, method: string, url: string, payload?: object) =>
  t.app.inject({ method: method as 'GET', url, payload, headers: who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {} });

beforeAll(async () => {
  t = await makeTestApp();
  admin = await setupAdmin(t.db);
  asAdmin = await signInAs(admin);
  teamA = defaultTeamId(t.db);
  const sealed = await sealSubmission(validForm(), 'en', t.intake());
  await t.app.inject({ method: 'POST', url: '/api/reports', payload: sealed.body, headers: { 'content-type': 'application/json' } });
});
afterAll(async () => { await t.close(); });

const granter = () => ({ ...admin.keys, id: admin.id });
const grantsOf = (id: string) => t.db.select().from(grants).where(eq(grants.userId, id)).all();

describe('the account list', () => {
  it('shows each account with its teams, access and state, and Me says which teams are granted', async () => {
    const granted = await createDeskUser(t.db, { email: 'granted@example.org', role: 'caseworker', teamIds: [teamA], granter: granter() });
    const waiting = await createDeskUser(t.db, { email: 'waiting@example.org', role: 'caseworker', teamIds: [teamA] });
    const list = (await call(asAdmin, 'GET', '/api/users')).json<{ email: string; teams: { id: string; granted: boolean }[]; disabled: boolean; enrolled: boolean }[]>();
    expect(list.find((u) => u.email === granted.email)).toMatchObject({ disabled: false, enrolled: true, teams: [{ id: teamA, granted: true }] });
    expect(list.find((u) => u.email === waiting.email)?.teams).toEqual([{ id: teamA, name: 'Caseworkers', granted: false }]);
    const me = (await signInAs(waiting)).me as { teams: { granted: boolean }[] };
    expect(me.teams).toEqual([expect.objectContaining({ id: teamA, granted: false })]);
  });
});

describe('disabling', () => {
  it('ends the sessions at once, takes every grant, names the teams to rotate, and can be undone', async () => {
    const worker = await createDeskUser(t.db, { email: 'leaving@example.org', role: 'caseworker', teamIds: [teamA], granter: granter() });
    const session = await signInAs(worker);
    expect((await call(session, 'GET', '/api/cases')).statusCode).toBe(200);
    const res = await call(asAdmin, 'POST', `/api/users/${worker.id}/disable`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ rotate: [{ id: teamA, name: 'Caseworkers' }] });
    expect((await call(session, 'GET', '/api/cases')).json().code).toBe('not_signed_in');
    expect(grantsOf(worker.id)).toEqual([]);
    expect(t.db.select().from(sessions).where(eq(sessions.userId, worker.id)).all()).toEqual([]);
    await expect(signIn(t.app, worker, stepOf(Date.now()))).rejects.toThrow(/401/);
    expect((await call(asAdmin, 'POST', `/api/users/${worker.id}/disable`)).json().code).toBe('account_disabled');
    expect((await call(asAdmin, 'POST', `/api/users/${admin.id}/disable`)).json().code).toBe('cannot_change_self');
    expect((await call(asAdmin, 'POST', `/api/users/${worker.id}/enable`)).statusCode).toBe(204);
    const back = await signInAs(worker);
    expect((back.me as { teams: { granted: boolean }[] }).teams[0]!.granted).toBe(false); // a member grants again
  });
});

describe('reset links', () => {
  it('stops the old password at once, and gives the person new keys and a new second factor', async () => {
    const worker = await createDeskUser(t.db, { email: 'lost-phone@example.org', role: 'caseworker', teamIds: [teamA], granter: granter() });
    const session = await signInAs(worker);
    const issued = await call(asAdmin, 'POST', `/api/users/${worker.id}/reset`);
    expect(issued.statusCode).toBe(201);
    const { token, path } = issued.json<{ token: string; path: string }>();
    expect(path).toBe(`/desk/invite#token=${token}`);
    expect((await call(session, 'GET', '/api/me')).statusCode).toBe(401);
    await expect(signIn(t.app, worker, stepOf(Date.now()))).rejects.toThrow(/invalid_credentials/);
    expect((await call(asAdmin, 'GET', '/api/users')).json<{ email: string; resetPending: boolean }[]>().find((u) => u.email === worker.email)?.resetPending).toBe(true);
    expect((await call(asAdmin, 'GET', '/api/invitations')).json<{ kind: string; userId: string }[]>()).toContainEqual(expect.objectContaining({ kind: 'reset', userId: worker.id }));

    const info = await t.app.inject({ method: 'POST', url: '/api/invitations/inspect', payload: { token } });
    expect(info.json()).toMatchObject({ kind: 'reset', email: worker.email, role: 'caseworker' });
    const password = 'my brand new passphrase';
    const kdf = await newKdfParams();
    const { authKey, wrapKey } = await derivePasswordKeys(password, kdf);
    const keys = await generateKeyPair();
    const accepted = await t.app.inject({
      method: 'POST', url: '/api/invitations/accept',
      payload: { token, email: worker.email, kdf, authKey: toBase64Url(authKey), publicKey: toBase64Url(keys.publicKey), wrappedPrivateKey: await wrapSecret(keys.privateKey, wrapKey, WRAP_LABEL.userPrivateKey) },
    });
    expect(accepted.json()).toEqual({ userId: worker.id });
    const row = t.db.select().from(users).where(eq(users.id, worker.id)).get()!;
    expect(row.publicKey).toBe(toBase64Url(keys.publicKey));
    expect(row.totpSecret).toBeNull();
    expect(grantsOf(worker.id)).toEqual([]); // sealed to the old key: gone
    expect((await t.app.inject({ method: 'POST', url: '/api/invitations/inspect', payload: { token } })).statusCode).toBe(410);
    // The next sign-in with the new password enrols a new second factor.
    const prelogin = (await t.app.inject({ method: 'POST', url: '/api/auth/prelogin', payload: { email: worker.email } })).json();
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: worker.email, authKey: toBase64Url((await derivePasswordKeys(password, prelogin)).authKey) } });
    expect(login.json().next).toBe('enrol_totp');
    const actions = (await call(asAdmin, 'GET', `/api/audit?action=account.`)).json<{ entries: { action: string; subject: string }[] }>().entries.filter((e) => e.subject === worker.id).map((e) => e.action);
    expect(actions).toEqual(['account.reset_completed', 'account.reset_issued']);
  });

  it('lists pending invitations and revokes them', async () => {
    const made = (await call(asAdmin, 'POST', '/api/invitations', { email: 'maybe@example.org', role: 'caseworker', teamIds: [teamA] })).json<{ id: string; token: string }>();
    expect((await call(asAdmin, 'GET', '/api/invitations')).json<{ id: string }[]>().map((p) => p.id)).toContain(made.id);
    expect((await call(asAdmin, 'DELETE', `/api/invitations/${made.id}`)).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/api/invitations/inspect', payload: { token: made.token } })).json().code).toBe('invitation_invalid');
    expect((await call(asAdmin, 'DELETE', `/api/invitations/${made.id}`)).statusCode).toBe(404);
    expect((await call(asAdmin, 'GET', '/api/invitations')).json<{ id: string }[]>().map((p) => p.id)).not.toContain(made.id);
  });
});

describe('analysts and team keys', () => {
  it('refuses to give an analyst a team, a grant or a rotated key', async () => {
    const analyst = await createDeskUser(t.db, { email: 'numbers@example.org', role: 'analyst' });
    expect((await call(asAdmin, 'POST', '/api/invitations', { role: 'analyst', teamIds: [teamA] })).json().code).toBe('analyst_no_team_access');
    expect((await call(asAdmin, 'POST', `/api/teams/${teamA}/members`, { userId: analyst.id })).json().code).toBe('analyst_no_team_access');
    // Even one who is already a member (an older invitation) gets no key.
    t.db.insert((await import('../../db/schema.ts')).teamMembers).values({ teamId: teamA, userId: analyst.id, addedAt: new Date().toISOString() }).run();
    const team = await heldTeamKey(t.db, teamA, granter());
    const grant = await call(asAdmin, 'POST', `/api/teams/${teamA}/grants`, { userId: analyst.id, sealedPrivateKey: await sealGrant(team.privateKey, analyst.keys.publicKey) });
    expect(grant.statusCode).toBe(400);
    expect(grant.json().code).toBe('analyst_no_team_access');
    const next = await generateKeyPair();
    const rotate = await call(asAdmin, 'POST', `/api/teams/${teamA}/keys`, {
      publicKey: toBase64Url(next.publicKey), verifyKey: await teamVerifyKey(next.privateKey),
      grants: [{ userId: analyst.id, sealedPrivateKey: await sealGrant(next.privateKey, analyst.keys.publicKey) }, { userId: null, sealedPrivateKey: await sealGrant(next.privateKey, t.recovery!.publicKey) }],
    });
    expect(rotate.json().code).toBe('analyst_no_team_access');
    expect(grantsOf(analyst.id)).toEqual([]);
  });
});

describe('small refusals', () => {
  it('refuses bidi overrides in names, unusable keys and an empty assignee, with 4xx', async () => {
    const pair = await generateKeyPair();
    const body = async (name: string, publicKey = toBase64Url(pair.publicKey)) => ({
      name, restricted: false, publicKey, verifyKey: await teamVerifyKey(pair.privateKey),
      creatorGrant: await sealGrant(pair.privateKey, admin.keys.publicKey), recoveryGrant: await sealGrant(pair.privateKey, t.recovery!.publicKey),
    });
    const bidi = await call(asAdmin, 'POST', '/api/teams', await body('Safe\u202Eevil'));
    expect(bidi.json()).toMatchObject({ statusCode: 400, code: 'invalid_name', field: 'name' });
    const zero = await call(asAdmin, 'POST', '/api/teams', await body('Zero', toBase64Url(new Uint8Array(32))));
    expect(zero.json()).toMatchObject({ statusCode: 400, code: 'invalid_request', field: 'publicKey' });
    expect((await call(asAdmin, 'POST', '/api/invitations', { email: 'a\u2066b@example.org', role: 'caseworker', teamIds: [] })).json().code).toBe('invalid_email');
    const caseId = t.db.select().from(cases).get()!.id;
    for (const assigneeId of ['', ' ', randomUUID()]) {
      const res = await call(asAdmin, 'POST', `/api/cases/${caseId}/assign`, { assigneeId });
      expect(res.statusCode, JSON.stringify(assigneeId)).toBe(400);
    }
  });
});
