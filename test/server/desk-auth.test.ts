// Desk sign-in: no account enumeration, TOTP required and not replayable, enrolment on first
// sign-in, per-account slow-down, session rotation, CSRF, sign-out everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../protocol/encoding.ts';
import { derivePasswordKeys } from '../../protocol/keys.ts';
import { auditLog } from '../../db/schema.ts';
import { stepOf, totpAt } from '../../server/services/totp.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, signIn, type DeskUser } from '../helpers/desk.ts';

let t: TestApp;
let worker: DeskUser;
beforeAll(async () => {
  t = await makeTestApp();
  worker = await createDeskUser(t.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(t.db)] });
});
afterAll(async () => { await t.close(); });

const post = (url: string, payload: object, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, headers });
async function authKeyFor(email: string, password: string) {
  const kdf = (await post('/api/auth/prelogin', { email })).json();
  return toBase64Url((await derivePasswordKeys(password, kdf)).authKey);
}

describe('desk sign-in', () => {
  it('answers an unknown account exactly like a wrong password', async () => {
    const a = (await post('/api/auth/prelogin', { email: 'nobody@example.org' })).json();
    const b = (await post('/api/auth/prelogin', { email: 'nobody@example.org' })).json();
    const real = (await post('/api/auth/prelogin', { email: worker.email })).json();
    expect(a).toEqual(b); // deterministic fake salt
    expect(Object.keys(a).sort()).toEqual(Object.keys(real).sort());
    expect(a.salt).not.toBe(real.salt);
    const unknown = await post('/api/auth/login', { email: 'nobody@example.org', authKey: await authKeyFor('nobody@example.org', 'whatever password') });
    const wrong = await post('/api/auth/login', { email: worker.email, authKey: await authKeyFor(worker.email, 'not the password at all') });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('requires a TOTP code and refuses a wrong or replayed one', async () => {
    const authKey = await authKeyFor(worker.email, worker.password);
    expect((await post('/api/auth/login', { email: worker.email, authKey })).json().code).toBe('totp_required');
    expect((await post('/api/auth/login', { email: worker.email, authKey, totp: '000000' === totpAt(worker.totpSecret!, stepOf(Date.now())) ? '111111' : '000000' })).json().code).toBe('invalid_totp');
    const code = totpAt(worker.totpSecret!, stepOf(Date.now()));
    const first = await post('/api/auth/login', { email: worker.email, authKey, totp: code });
    expect(first.statusCode).toBe(200);
    expect(first.json().next).toBe('done');
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const replay = await post('/api/auth/login', { email: worker.email, authKey, totp: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('invalid_totp');
    const actions = t.db.select().from(auditLog).all().map((e) => e.action);
    expect(actions).toContain('auth.signed_in');
    expect(actions).toContain('auth.failed');
  });

  it('enrols TOTP at first sign-in before giving a full session', async () => {
    const fresh = await createDeskUser(t.db, { email: 'fresh@example.org', role: 'analyst', enrolled: false });
    const res = await post('/api/auth/login', { email: fresh.email, authKey: await authKeyFor(fresh.email, fresh.password) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.next).toBe('enrol_totp');
    expect(body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    // A half-signed-in session cannot use the desk.
    expect((await t.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    const bad = await post('/api/auth/totp/enrol', { code: '123456' }, { cookie, 'x-csrf-token': body.csrfToken });
    expect(bad.statusCode).toBe(401);
    const ok = await post('/api/auth/totp/enrol', { code: totpAt(body.totpSecret, stepOf(Date.now())) }, { cookie, 'x-csrf-token': body.csrfToken });
    expect(ok.statusCode).toBe(200);
    const fullCookie = String(ok.headers['set-cookie']).split(';')[0]!;
    expect(fullCookie).not.toBe(cookie); // rotated
    expect((await t.app.inject({ url: '/api/me', headers: { cookie: fullCookie } })).json().role).toBe('analyst');
    expect((await t.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('slows down repeated failures on one account, known or not', async () => {
    const victim = await createDeskUser(t.db, { email: 'victim-known@example.org', role: 'caseworker' });
    for (const email of ['victim-unknown@example.org', victim.email]) {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await post('/api/auth/login', { email, authKey: toBase64Url(new Uint8Array(32)) })).statusCode);
      expect(codes, email).toEqual([401, 401, 401, 429, 429]);
    }
  });

  it('needs the CSRF token for changes, and signs out everywhere', async () => {
    const admin = await createDeskUser(t.db, { email: 'boss@example.org', role: 'admin' });
    const a = await signIn(t.app, admin);
    const b = await signIn(t.app, admin, stepOf(Date.now()) + 1);
    expect((await post('/api/auth/logout-everywhere', {}, { cookie: a.cookie })).json().code).toBe('csrf_failed');
    expect((await post('/api/auth/logout-everywhere', {}, { cookie: a.cookie, 'x-csrf-token': b.csrf })).json().code).toBe('csrf_failed');
    expect((await post('/api/auth/logout-everywhere', {}, { cookie: a.cookie, 'x-csrf-token': a.csrf })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/me', headers: { cookie: a.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/me', headers: { cookie: b.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/me', headers: { cookie: 'redress_session=forged' } })).statusCode).toBe(401);
  });
});

describe('session expiry', () => {
  it('ends a session after 30 idle minutes and after 12 hours in any case', async () => {
    const { createSession, loadSession } = await import('../../server/services/sessions.ts');
    const start = new Date('2026-11-27T08:00:00Z');
    const { id } = createSession(t.db, t.app.state.sessionActivity, worker.id, 'full', start);
    expect(loadSession(t.db, t.app.state.sessionActivity, id, new Date(start.getTime() + 29 * 60_000))).not.toBeNull();
    expect(loadSession(t.db, t.app.state.sessionActivity, id, new Date(start.getTime() + 58 * 60_000))).not.toBeNull(); // touched at 29 min
    expect(loadSession(t.db, t.app.state.sessionActivity, id, new Date(start.getTime() + 89 * 60_000))).toBeNull(); // idle 31 min
    const long = createSession(t.db, t.app.state.sessionActivity, worker.id, 'full', start);
    // Kept busy every 25 minutes, it still ends at the 12-hour mark.
    let at = start.getTime();
    let alive = true;
    for (let i = 0; i < 40 && alive; i++) { at += 25 * 60_000; alive = loadSession(t.db, t.app.state.sessionActivity, long.id, new Date(at)) !== null; }
    expect(alive).toBe(false);
    expect(at - start.getTime()).toBeGreaterThan(12 * 3_600_000 - 25 * 60_000);
    expect(at - start.getTime()).toBeLessThanOrEqual(12 * 3_600_000 + 25 * 60_000);
  });
});
