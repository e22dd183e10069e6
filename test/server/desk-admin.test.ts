// The admin's side of the desk: invitations (one-time, expiring, email-bound or bare), the
// invitee's first sign-in, granting and revoking a team key, key rotation, the routing table and
// what intake publishes from it, and first-run setup from the browser with a one-time token.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, isNull } from 'drizzle-orm';
import { cases, grants, invitations, teamKeys, users } from '../../db/schema.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import type { Intake, ReportContent } from '../../protocol/api.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { AD_LABEL, keyId, openEnvelope, type ClearFields, type Envelope, type KeyPair } from '../../protocol/envelope.ts';
import { teamVerifyKey } from '../../protocol/signing.ts';
import { caseReportBinding } from '../../client/desk/keys.ts';
import type { CaseDetail } from '../../protocol/desk-api.ts';
import {
  WRAP_LABEL, derivePasswordKeys, generateKeyPair, newKdfParams, openGrant, recoveryKeyPairFromKit, sealGrant, unwrapSecret, wrapSecret,
} from '../../protocol/keys.ts';
import { buildSetupBundle } from '../../protocol/setup.ts';
import { issueSetupToken } from '../../server/services/setup-token.ts';
import { stepOf, totpAt } from '../../server/services/totp.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, setupAdmin, signIn, type DeskUser, type SignedIn } from '../helpers/desk.ts';
import { MARKER, bindingOf, validForm } from '../fixtures/report.ts';

interface TeamListing {
  id: string; name: string; restricted: boolean; isDefault: boolean; key: { kid: string; publicKey: string };
  members: { id: string; email: string; role: string; publicKey: string; granted: boolean }[]; myGrant: string | null;
}
interface CaseView {
  id: string; teamId: string; clear: ClearFields; envelope: Envelope; reporterPublicKey?: string;
  teamKey: { kid: string; publicKey: string; grant: string | null };
}

let t: TestApp;
let admin: DeskUser;
let asAdmin: SignedIn;
let teamA: string;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const call = (who: SignedIn | null, method: Method, url: string, payload?: object) => t.app.inject({
  method, url, payload, headers: who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {},
});
const teamsOf = async (who: SignedIn) => (await call(who, 'GET', '/api/teams')).json<TeamListing[]>();
const teamOf = async (who: SignedIn, id: string) => (await teamsOf(who)).find((team) => team.id === id)!;

async function submitReport(overrides: Parameters<typeof validForm>[0] = {}, intake: Intake = t.intake()) {
  const { body } = await sealSubmission(validForm(overrides), 'en', intake);
  return t.app.inject({ method: 'POST', url: '/api/reports', payload: body, headers: { 'content-type': 'application/json' } });
}
const newestCase = () => t.db.select().from(cases).all().at(-1)!;

/** Opens a case as the desk does: own key → grant → team key → report. */
async function openCase(view: CaseView, mine: KeyPair): Promise<ReportContent | null> {
  const teamPair = view.teamKey.grant ? await openGrant(view.teamKey.grant, mine) : null;
  if (!teamPair) return null;
  // The associated data binds the clear fields and the reporter's public key (PROTOCOL.md §3).
  return openEnvelope<ReportContent>(AD_LABEL.report, caseReportBinding(view as unknown as CaseDetail), view.envelope, teamPair);
}

/** A team made as the admin's browser makes one: a fresh keypair sealed to the admin and to recovery. */
async function createTeam(name: string, restricted: boolean): Promise<{ id: string; keys: KeyPair }> {
  const keys = await generateKeyPair();
  const res = await call(asAdmin, 'POST', '/api/teams', {
    name, restricted, publicKey: toBase64Url(keys.publicKey), verifyKey: await teamVerifyKey(keys.privateKey),
    creatorGrant: await sealGrant(keys.privateKey, admin.keys.publicKey), recoveryGrant: await sealGrant(keys.privateKey, t.recovery!.publicKey),
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json<{ id: string }>().id, keys };
}

beforeAll(async () => {
  t = await makeTestApp({ config: { submitRateLimit: 1000 } });
  admin = await setupAdmin(t.db);
  asAdmin = await signIn(t.app, admin);
  teamA = defaultTeamId(t.db);
  expect((await submitReport()).statusCode).toBe(201);
});
afterAll(async () => { await t.close(); });

describe('invitations', () => {
  const password = 'the invitee chose this passphrase';
  let invitee: { id: string; email: string; keys: KeyPair; session: SignedIn };
  let emailToken: string;
  let firstCase: string;

  /** The invitee's browser: keys made from the password, nothing secret sent. */
  async function acceptBody(token: string, email: string) {
    const kdf = await newKdfParams();
    const { authKey, wrapKey } = await derivePasswordKeys(password, kdf);
    const keys = await generateKeyPair();
    return {
      keys,
      body: {
        token, email, kdf, authKey: toBase64Url(authKey), publicKey: toBase64Url(keys.publicKey),
        wrappedPrivateKey: await wrapSecret(keys.privateKey, wrapKey, WRAP_LABEL.userPrivateKey),
      },
    };
  }

  beforeAll(() => { firstCase = t.db.select().from(cases).get()!.id; });

  it('creates a one-time token, by email or as a bare link, that inspect describes', async () => {
    const byEmail = await call(asAdmin, 'POST', '/api/invitations', { email: 'Invitee@Example.org', role: 'caseworker', teamIds: [teamA] });
    expect(byEmail.statusCode).toBe(201);
    const created = byEmail.json<{ id: string; token: string; expiresAt: string; path: string }>();
    emailToken = created.token;
    expect(created.token.length).toBeGreaterThanOrEqual(20);
    expect(created.path).toBe(`/desk/invite#token=${created.token}`);
    expect(Date.parse(created.expiresAt)).toBeGreaterThan(Date.now());
    // Only a hash of the token is kept.
    expect(JSON.stringify(t.db.select().from(invitations).all())).not.toContain(created.token);

    const bare = await call(asAdmin, 'POST', '/api/invitations', { role: 'analyst', teamIds: [] });
    expect(bare.statusCode).toBe(201);
    const bareToken = bare.json<{ token: string }>().token;

    const inspect = (token: string) => t.app.inject({ method: 'POST', url: '/api/invitations/inspect', payload: { token } });
    expect((await inspect(emailToken)).json()).toEqual({ kind: 'invitation', email: 'invitee@example.org', role: 'caseworker', expiresAt: created.expiresAt });
    expect((await inspect(bareToken)).json()).toMatchObject({ email: null, role: 'analyst' });
    const unknown = await inspect(randomBytes(24).toString('base64url'));
    expect(unknown.statusCode).toBe(410);
    expect(unknown.json().code).toBe('invitation_invalid');

    // The bare link takes any email.
    const { body } = await acceptBody(bareToken, 'analyst.two@example.org');
    const accepted = await t.app.inject({ method: 'POST', url: '/api/invitations/accept', payload: body });
    expect(accepted.statusCode).toBe(201);
    expect(t.db.select().from(users).where(eq(users.email, 'analyst.two@example.org')).get()?.role).toBe('analyst');
  });

  it('refuses another email for an email-bound invitation, and leaves it usable', async () => {
    const { body } = await acceptBody(emailToken, 'someone.else@example.org');
    const res = await t.app.inject({ method: 'POST', url: '/api/invitations/accept', payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('invitation_invalid');
    expect(t.db.select().from(users).where(eq(users.email, 'someone.else@example.org')).get()).toBeUndefined();
    expect((await t.app.inject({ method: 'POST', url: '/api/invitations/inspect', payload: { token: emailToken } })).statusCode).toBe(200);
  });

  it('makes an account from keys made by the invitee, a member of the team with no grant yet', async () => {
    const { body, keys } = await acceptBody(emailToken, 'invitee@example.org');
    const res = await t.app.inject({ method: 'POST', url: '/api/invitations/accept', payload: body });
    expect(res.statusCode).toBe(201);
    const { userId } = res.json<{ userId: string }>();
    const user = t.db.select().from(users).where(eq(users.id, userId)).get()!;
    expect(user).toMatchObject({ email: 'invitee@example.org', role: 'caseworker', publicKey: body.publicKey, totpSecret: null });
    expect(user.authHash).not.toBe(body.authKey); // only its hash
    expect(t.db.select().from(grants).where(eq(grants.userId, userId)).all()).toEqual([]);
    const member = (await teamOf(asAdmin, teamA)).members.find((m) => m.id === userId);
    expect(member).toMatchObject({ email: 'invitee@example.org', granted: false });
    invitee = { id: userId, email: 'invitee@example.org', keys, session: { cookie: '', csrf: '', me: {} } };
  });

  it('is spent once used', async () => {
    const { body } = await acceptBody(emailToken, 'invitee@example.org');
    const again = await t.app.inject({ method: 'POST', url: '/api/invitations/accept', payload: body });
    expect(again.statusCode).toBe(410);
    expect(again.json().code).toBe('invitation_invalid');
    expect((await t.app.inject({ method: 'POST', url: '/api/invitations/inspect', payload: { token: emailToken } })).statusCode).toBe(410);
    expect(t.db.select({ n: count() }).from(users).where(eq(users.email, 'invitee@example.org')).get()!.n).toBe(1);
  });

  it('expires', async () => {
    const res = await call(asAdmin, 'POST', '/api/invitations', { email: 'late@example.org', role: 'caseworker', teamIds: [teamA] });
    const { id, token } = res.json<{ id: string; token: string }>();
    t.db.update(invitations).set({ expiresAt: new Date(Date.now() - 60_000).toISOString() }).where(eq(invitations.id, id)).run();
    expect((await t.app.inject({ method: 'POST', url: '/api/invitations/inspect', payload: { token } })).statusCode).toBe(410);
    const { body } = await acceptBody(token, 'late@example.org');
    const accept = await t.app.inject({ method: 'POST', url: '/api/invitations/accept', payload: body });
    expect(accept.statusCode).toBe(410);
    expect(accept.json().code).toBe('invitation_invalid');
    expect(t.db.select().from(users).where(eq(users.email, 'late@example.org')).get()).toBeUndefined();
  });

  it('refuses an invitation for an email that already has an account, or for an unknown team', async () => {
    const taken = await call(asAdmin, 'POST', '/api/invitations', { email: 'invitee@example.org', role: 'caseworker', teamIds: [] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('email_taken');
    const unknown = await call(asAdmin, 'POST', '/api/invitations', { role: 'caseworker', teamIds: ['no-such-team'] });
    expect(unknown.statusCode).toBe(400);
  });

  it('has the invitee enrol TOTP at first sign-in', async () => {
    const kdf = (await t.app.inject({ method: 'POST', url: '/api/auth/prelogin', payload: { email: invitee.email } })).json();
    const { authKey, wrapKey } = await derivePasswordKeys(password, kdf);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: invitee.email, authKey: toBase64Url(authKey) } });
    expect(login.statusCode).toBe(200);
    const enrol = login.json<{ next: string; totpSecret: string; csrfToken: string }>();
    expect(enrol.next).toBe('enrol_totp');
    const halfCookie = String(login.headers['set-cookie']).split(';')[0]!;
    const done = await t.app.inject({
      method: 'POST', url: '/api/auth/totp/enrol', payload: { code: totpAt(enrol.totpSecret, stepOf(Date.now())) },
      headers: { cookie: halfCookie, 'x-csrf-token': enrol.csrfToken },
    });
    expect(done.statusCode).toBe(200);
    const me = done.json<{ me: { csrfToken: string; wrappedPrivateKey: string; teams: { id: string }[] } }>().me;
    invitee.session = { cookie: String(done.headers['set-cookie']).split(';')[0]!, csrf: me.csrfToken, me };
    expect(me.teams.map((team) => team.id)).toEqual([teamA]);
    // The browser gets its private key back from the password alone.
    expect(await unwrapSecret(me.wrappedPrivateKey, wrapKey, WRAP_LABEL.userPrivateKey)).toEqual(invitee.keys.privateKey);

    // A member without a grant sees the case but holds nothing to open it with.
    const view = (await call(invitee.session, 'GET', `/api/cases/${firstCase}`)).json<CaseView>();
    expect(view.teamKey.grant).toBeNull();
    expect((await teamOf(invitee.session, teamA)).myGrant).toBeNull();
  });

  it('lets the admin grant the team key, sealed in the admin\'s "browser", and the invitee then opens cases', async () => {
    const team = await teamOf(asAdmin, teamA);
    const teamPair = (await openGrant(team.myGrant!, admin.keys))!;
    expect(toBase64Url(teamPair.publicKey)).toBe(team.key.publicKey);
    // Sealed to the public key the team listing shows for the member.
    const member = team.members.find((m) => m.id === invitee.id)!;
    expect(member.publicKey).toBe(toBase64Url(invitee.keys.publicKey));
    const sealed = await sealGrant(teamPair.privateKey, fromBase64Url(member.publicKey)!);
    const res = await call(asAdmin, 'POST', `/api/teams/${teamA}/grants`, { userId: invitee.id, sealedPrivateKey: sealed });
    expect(res.statusCode).toBe(204);

    const seen = await teamOf(invitee.session, teamA);
    expect(seen.members.find((m) => m.id === invitee.id)?.granted).toBe(true);
    expect(seen.myGrant).toBe(sealed);
    const view = (await call(invitee.session, 'GET', `/api/cases/${firstCase}`)).json<CaseView>();
    const report = await openCase(view, invitee.keys);
    expect(report?.narrative).toContain(MARKER);
  });

  it('refuses a grant to someone outside the team, and from someone holding no grant', async () => {
    const outsider = await createDeskUser(t.db, { email: 'outside@example.org', role: 'caseworker' });
    const team = await teamOf(asAdmin, teamA);
    const teamPair = (await openGrant(team.myGrant!, admin.keys))!;
    const toOutsider = await call(asAdmin, 'POST', `/api/teams/${teamA}/grants`, { userId: outsider.id, sealedPrivateKey: await sealGrant(teamPair.privateKey, outsider.keys.publicKey) });
    expect(toOutsider.statusCode).toBe(400);
    expect(toOutsider.json().code).toBe('not_team_member');
    const pending = await createDeskUser(t.db, { email: 'pending@example.org', role: 'caseworker', teamIds: [teamA] });
    const asPending = await signIn(t.app, pending);
    const selfGrant = await call(asPending, 'POST', `/api/teams/${teamA}/grants`, { userId: pending.id, sealedPrivateKey: await sealGrant((await generateKeyPair()).privateKey, pending.keys.publicKey) });
    expect(selfGrant.statusCode).toBe(403);
    expect(t.db.select().from(grants).where(eq(grants.userId, pending.id)).all()).toEqual([]);
  });

  it('revokes every grant when a member is removed, and the case is gone for them', async () => {
    const res = await call(asAdmin, 'DELETE', `/api/teams/${teamA}/members/${invitee.id}`);
    expect(res.statusCode).toBe(204);
    expect(t.db.select().from(grants).where(eq(grants.userId, invitee.id)).all()).toEqual([]);
    expect((await teamOf(asAdmin, teamA)).members.map((m) => m.id)).not.toContain(invitee.id);
    const view = await call(invitee.session, 'GET', `/api/cases/${firstCase}`);
    expect(view.statusCode).toBe(404);
    expect((await call(invitee.session, 'GET', '/api/cases')).json()).toMatchObject({ total: 0, items: [] });
    expect(await teamsOf(invitee.session)).toEqual([]);
  });
});

describe('key rotation', () => {
  const currentKey = () => t.db.select().from(teamKeys).where(and(eq(teamKeys.teamId, teamA), isNull(teamKeys.retiredAt))).get()!;

  it('needs a recovery grant', async () => {
    const before = currentKey();
    const next = await generateKeyPair();
    const res = await call(asAdmin, 'POST', `/api/teams/${teamA}/keys`, {
      publicKey: toBase64Url(next.publicKey), verifyKey: await teamVerifyKey(next.privateKey),
      grants: [{ userId: admin.id, sealedPrivateKey: await sealGrant(next.privateKey, admin.keys.publicKey) }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('recovery_grant_required');
    expect(currentKey()).toEqual(before);
    expect(t.db.select().from(teamKeys).where(eq(teamKeys.teamId, teamA)).all()).toHaveLength(1);
  });

  it('seals new reports to the new key, while old cases still open with the old grant', async () => {
    const oldCase = t.db.select().from(cases).where(eq(cases.teamId, teamA)).get()!;
    const oldKey = currentKey();
    const next = await generateKeyPair();
    const res = await call(asAdmin, 'POST', `/api/teams/${teamA}/keys`, {
      publicKey: toBase64Url(next.publicKey), verifyKey: await teamVerifyKey(next.privateKey),
      grants: [
        { userId: admin.id, sealedPrivateKey: await sealGrant(next.privateKey, admin.keys.publicKey) },
        { userId: null, sealedPrivateKey: await sealGrant(next.privateKey, t.recovery!.publicKey) },
      ],
    });
    expect(res.statusCode).toBe(201);
    const newKid = await keyId(next.publicKey);
    expect(res.json()).toEqual({ kid: newKid });
    expect(t.db.select().from(teamKeys).where(eq(teamKeys.id, oldKey.id)).get()!.retiredAt).not.toBeNull();

    // Intake publishes the new key; a report sealed from it lands on the new key.
    const published = (await t.app.inject('/api/intake')).json<Intake>();
    expect(published.routing.teams.find((team) => team.id === teamA)).toMatchObject({ kid: newKid, publicKey: toBase64Url(next.publicKey) });
    expect((await submitReport({ category: 'assistance_cut' }, published)).statusCode).toBe(201);
    const newCase = newestCase();
    expect(newCase.category).toBe('assistance_cut');
    expect(newCase.teamKeyId).not.toBe(oldCase.teamKeyId);
    expect(newCase.teamKeyId).toBe(currentKey().id);

    const oldView = (await call(asAdmin, 'GET', `/api/cases/${oldCase.id}`)).json<CaseView>();
    expect(oldView.teamKey.kid).toBe(oldKey.kid);
    expect((await openCase(oldView, admin.keys))?.narrative).toContain(MARKER);
    const newView = (await call(asAdmin, 'GET', `/api/cases/${newCase.id}`)).json<CaseView>();
    expect(newView.teamKey.kid).toBe(newKid);
    expect((await openCase(newView, admin.keys))?.narrative).toContain(MARKER);

    // A report still sealed to the retired key is refused.
    const stale = await submitReport({}, { ...published, routing: { ...published.routing, teams: published.routing.teams.map((team) =>
      team.id === teamA ? { ...team, kid: oldKey.kid, publicKey: oldKey.publicKey } : team) } });
    expect(stale.statusCode).toBe(422);
    expect(stale.json().code).toBe('wrong_recipients');
  });

  it('refuses a grant that cannot be a sealed key, as team creation does', async () => {
    // A sealed 32-byte key is 80 bytes. A recovery grant of any other size would leave every new
    // case unrecoverable from the kit; the server cannot open a grant but can check its shape.
    const before = currentKey();
    const next = await generateKeyPair();
    const res = await call(asAdmin, 'POST', `/api/teams/${teamA}/keys`, {
      publicKey: toBase64Url(next.publicKey), verifyKey: await teamVerifyKey(next.privateKey),
      grants: [
        { userId: admin.id, sealedPrivateKey: await sealGrant(next.privateKey, admin.keys.publicKey) },
        { userId: null, sealedPrivateKey: 'AAAA' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(currentKey()).toEqual(before);
  });

  it('answers a key already in use with a 4xx, not a server error, for a new team or a rotation', async () => {
    const before = currentKey();
    const teams = t.db.select({ n: count() }).from(teamKeys).get()!.n;
    const reused = await call(asAdmin, 'POST', '/api/teams', {
      name: 'Copycat', restricted: false, publicKey: before.publicKey, verifyKey: await teamVerifyKey((await generateKeyPair()).privateKey),
      creatorGrant: await sealGrant((await generateKeyPair()).privateKey, admin.keys.publicKey),
      recoveryGrant: await sealGrant((await generateKeyPair()).privateKey, t.recovery!.publicKey),
    });
    expect(reused.statusCode, reused.body).toBeGreaterThanOrEqual(400);
    expect(reused.statusCode, reused.body).toBeLessThan(500);
    const again = await call(asAdmin, 'POST', `/api/teams/${teamA}/keys`, {
      publicKey: before.publicKey, verifyKey: await teamVerifyKey((await generateKeyPair()).privateKey),
      grants: [{ userId: null, sealedPrivateKey: await sealGrant((await generateKeyPair()).privateKey, t.recovery!.publicKey) }],
    });
    expect(again.statusCode, again.body).toBeGreaterThanOrEqual(400);
    expect(again.statusCode, again.body).toBeLessThan(500);
    expect(currentKey()).toEqual(before);
    expect(t.db.select({ n: count() }).from(teamKeys).get()!.n).toBe(teams);
  });

  it('refuses a grant to someone outside the team', async () => {
    const stranger = await createDeskUser(t.db, { email: 'stranger@example.org', role: 'caseworker' });
    const next = await generateKeyPair();
    const before = currentKey();
    const res = await call(asAdmin, 'POST', `/api/teams/${teamA}/keys`, {
      publicKey: toBase64Url(next.publicKey), verifyKey: await teamVerifyKey(next.privateKey),
      grants: [
        { userId: stranger.id, sealedPrivateKey: await sealGrant(next.privateKey, stranger.keys.publicKey) },
        { userId: null, sealedPrivateKey: await sealGrant(next.privateKey, t.recovery!.publicKey) },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('not_team_member');
    expect(currentKey()).toEqual(before);
  });
});

describe('routing', () => {
  let restricted: { id: string; keys: KeyPair };
  let teamB: { id: string; keys: KeyPair };
  beforeAll(async () => {
    restricted = await createTeam('Safeguarding', true);
    teamB = await createTeam('Greece desk', false);
  });

  it('routes a sensitive category to a restricted team', async () => {
    const res = await call(asAdmin, 'PUT', '/api/routing', { defaultTeam: teamA, rules: [{ team: restricted.id, categories: ['sexual_exploitation'] }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ defaultTeam: teamA, rules: [{ team: restricted.id, categories: ['sexual_exploitation'] }] });
    expect((await call(asAdmin, 'GET', '/api/routing')).json()).toMatchObject({ rules: [{ team: restricted.id }] });
  });

  it('refuses to route a sensitive category to a team that is not restricted, and keeps the table', async () => {
    const res = await call(asAdmin, 'PUT', '/api/routing', { defaultTeam: teamA, rules: [{ team: teamB.id, categories: ['sexual_exploitation'] }] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'sensitive_route', field: 'rules.0.team' });
    expect((await call(asAdmin, 'GET', '/api/routing')).json()).toMatchObject({ rules: [{ team: restricted.id, categories: ['sexual_exploitation'] }] });
    for (const rules of [[{ team: 'no-such-team' }], [{ team: teamB.id, countries: ['XX'] }], [{ team: teamB.id, categories: ['nonsense'] }], [{ team: teamB.id, languages: ['zz'] }]]) {
      expect((await call(asAdmin, 'PUT', '/api/routing', { defaultTeam: teamA, rules })).statusCode, JSON.stringify(rules)).toBe(400);
    }
  });

  it('publishes a rule through intake, and accepts only reports sealed by it', async () => {
    const put = await call(asAdmin, 'PUT', '/api/routing', { defaultTeam: teamA, rules: [{ team: teamB.id, countries: ['GR'] }] });
    expect(put.statusCode).toBe(200);
    const intake = (await t.app.inject('/api/intake')).json<Intake>();
    expect(intake.routing.rules).toEqual([{ team: teamB.id, countries: ['GR'] }]);
    expect(intake.routing.defaultTeam).toBe(teamA);
    expect(intake.routing.teams.map((team) => team.id).sort()).toEqual([teamA, restricted.id, teamB.id].sort());

    const before = t.db.select({ n: count() }).from(cases).get()!.n;
    const stale = await submitReport({ country: 'GR' }, { ...intake, routing: { ...intake.routing, rules: [] } }); // sealed to the default team
    expect(stale.statusCode).toBe(422);
    expect(stale.json().code).toBe('wrong_recipients');
    expect(t.db.select({ n: count() }).from(cases).get()!.n).toBe(before);

    expect((await submitReport({ country: 'GR' }, intake)).statusCode).toBe(201);
    expect(newestCase()).toMatchObject({ country: 'GR', teamId: teamB.id });
    // The team's members open it; the default team's key does not.
    const teamBCase = newestCase();
    const view = (await call(asAdmin, 'GET', `/api/cases/${teamBCase.id}`)).json<CaseView>();
    expect(view.teamKey.kid).toBe(await keyId(teamB.keys.publicKey));
    expect((await openCase(view, admin.keys))?.narrative).toContain(MARKER);

    expect((await submitReport({ country: 'JO' }, intake)).statusCode).toBe(201);
    expect(newestCase()).toMatchObject({ country: 'JO', teamId: teamA });
  });
});

describe('setup from the browser', () => {
  let s: TestApp;
  beforeAll(async () => { s = await makeTestApp({ setup: false, config: { submitRateLimit: 1000 } }); });
  afterAll(async () => { await s.close(); });

  const setup = (token: string, bundle: object) => s.app.inject({ method: 'POST', url: '/api/setup', payload: { token, bundle } });

  it('needs the one-time token, works once, and its recovery kit opens later reports', async () => {
    expect((await s.app.inject('/api/intake')).statusCode).toBe(503);
    const token = issueSetupToken(s.app.state);
    const { bundle, recoveryKit } = await buildSetupBundle({ organisationName: 'Browser Org', adminEmail: 'Chief@Example.org', password: 'a long enough passphrase' });

    const wrong = await setup(randomBytes(24).toString('base64url'), bundle);
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('setup_token_invalid');
    expect((await s.app.inject('/api/intake')).statusCode).toBe(503);

    const ok = await setup(token, bundle);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toEqual({ ok: true });
    // The token is spent, and a second setup is refused even with a new one.
    expect((await setup(token, bundle)).statusCode).toBe(409);
    const again = await setup(issueSetupToken(s.app.state), (await buildSetupBundle({ organisationName: 'Usurper', adminEmail: 'x@example.org', password: 'another long passphrase' })).bundle);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_set_up');
    expect(s.db.select().from(users).all().map((u) => u.email)).toEqual(['chief@example.org']);

    // The server never saw a private key: the kit from the browser opens what reporters send now.
    const intake = (await s.app.inject('/api/intake')).json<Intake>();
    expect(intake.recovery.publicKey).toBe(bundle.recovery.publicKey);
    const { body } = await sealSubmission(validForm(), 'en', intake);
    const res = await s.app.inject({ method: 'POST', url: '/api/reports', payload: body, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(201);
    const row = s.db.select().from(cases).get()!;
    const recovery = (await recoveryKeyPairFromKit(recoveryKit))!;
    const binding = bindingOf(body);
    const report = await openEnvelope<ReportContent>(AD_LABEL.report, binding, row.envelope, recovery);
    expect(report?.narrative).toContain(MARKER);
    // …and the team key too, through the recovery grant.
    const recoveryGrant = s.db.select().from(grants).where(isNull(grants.userId)).get()!;
    const teamPair = (await openGrant(recoveryGrant.sealedPrivateKey, recovery))!;
    expect((await openEnvelope<ReportContent>(AD_LABEL.report, binding, row.envelope, teamPair))?.narrative).toContain(MARKER);
  });

  it('lets the admin from the bundle sign in and enrol TOTP', async () => {
    const email = 'chief@example.org';
    const kdf = (await s.app.inject({ method: 'POST', url: '/api/auth/prelogin', payload: { email } })).json();
    const { authKey } = await derivePasswordKeys('a long enough passphrase', kdf);
    const login = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, authKey: toBase64Url(authKey) } });
    expect(login.statusCode).toBe(200);
    expect(login.json().next).toBe('enrol_totp');
  });
});
