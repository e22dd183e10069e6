// Desk sign-in as one service: password (auth key) and second factor, TOTP enrolment on first
// sign-in, who am I, and sign-out. The route only moves cookies; every session change here is
// written with its audit entry in one transaction. Sessions rotate at every sign-in.
import QRCode from 'qrcode';
import { and, eq, isNull } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { grants, teamKeys, teamMembers, teams } from '../../db/schema.ts';
import type { Login, LoginResult, Me } from '../../protocol/desk-api.ts';
import { AppError } from '../errors.ts';
import type { AppState } from '../state.ts';
import {
  acceptTotp, beginTotpEnrolment, checkThrottle, clearFailures, findUser, recordFailure, verifyAuthKey, type User,
} from './accounts.ts';
import { appendAudit } from './audit.ts';
import { getOrganisation } from './organisation.ts';
import { createSession, destroySession, destroyUserSessions, type Session, type SessionActivity } from './sessions.ts';

/** What sign-in keeps in the app's memory: failure counters and session activity. */
export type SignInState = Pick<AppState, 'loginFailures' | 'unknownLoginFailures' | 'sessionActivity'>;
import { otpauthUri } from './totp.ts';

/** A sign-in step's answer, and the new session's cookie value when one was made. */
export interface SignInStep { result: LoginResult; sessionId: string }

export function describeMe(db: Conn, user: User, session: Session): Me {
  // granted: a grant for the team's current key; without any, the desk shows "waiting for access".
  const myTeams = db.select({ id: teams.id, name: teams.name, restricted: teams.restricted, grant: grants.id })
    .from(teamMembers).innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(teamKeys, and(eq(teamKeys.teamId, teams.id), isNull(teamKeys.retiredAt)))
    .leftJoin(grants, and(eq(grants.teamKeyId, teamKeys.id), eq(grants.userId, user.id)))
    .where(eq(teamMembers.userId, user.id)).all()
    .map(({ grant, ...team }) => ({ ...team, granted: grant !== null }));
  return {
    id: user.id, email: user.email, role: user.role, publicKey: user.publicKey, wrappedPrivateKey: user.wrappedPrivateKey,
    csrfToken: session.csrfToken, teams: myTeams, notify: user.notify, notifyLanguage: user.notifyLanguage,
  };
}

/** Ends the previous session (never reuse an id across sign-ins) and starts one, auditing `actions`. */
function rotateSession(db: Conn, activity: SessionActivity, previous: string | undefined, user: User, stage: Session['stage'], actions: string[]) {
  return db.transaction((tx) => {
    if (previous) destroySession(tx, previous);
    const made = createSession(tx, activity, user.id, stage);
    const at = made.session.createdAt;
    for (const action of actions) appendAudit(tx, { at, actor: user.id, action, subject: user.id });
    return made;
  });
}

function failed(db: Conn, user: { id: string }, reason: 'password' | 'totp') {
  appendAudit(db, { at: new Date().toISOString(), actor: user.id, action: 'auth.failed', subject: user.id, detail: { reason } });
}

export async function login(db: Conn, state: SignInState, { email, authKey, totp }: Login, previous: string | undefined): Promise<SignInStep> {
  checkThrottle(state, db, email);
  const user = await verifyAuthKey(db, email, authKey);
  if (!user) {
    recordFailure(state, db, email);
    // A wrong password for a real account is audited (the log is admins' only); unknown emails are not.
    const known = findUser(db, email);
    if (known) failed(db, known, 'password');
    throw new AppError(401, 'invalid_credentials');
  }
  if (!user.totpSecret) {
    const { id, session } = rotateSession(db, state.sessionActivity, previous, user, 'totp_enrol', []);
    const secret = beginTotpEnrolment(db, user);
    const uri = otpauthUri(secret, user.email, `Redress (${getOrganisation(db)?.name ?? 'desk'})`);
    // The QR code is drawn here as SVG markup, so the desk needs no QR library and no image URL.
    const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return { sessionId: id, result: { next: 'enrol_totp', totpSecret: secret, otpauthUri: uri, qrSvg, csrfToken: session.csrfToken } };
  }
  if (!totp) throw new AppError(401, 'totp_required');
  if (!acceptTotp(db, user, totp.trim(), false)) {
    recordFailure(state, db, email);
    failed(db, user, 'totp');
    throw new AppError(401, 'invalid_totp');
  }
  clearFailures(state, db, email);
  const { id, session } = rotateSession(db, state.sessionActivity, previous, user, 'full', ['auth.signed_in']);
  return { sessionId: id, result: { next: 'done', me: describeMe(db, user, session) } };
}

/** The first code from the authenticator app proves the secret was saved; the session becomes full. */
export function enrolTotp(db: Conn, activity: SessionActivity, user: User, code: string, previous: string | undefined): SignInStep {
  if (!acceptTotp(db, user, code.trim(), true)) throw new AppError(401, 'invalid_totp');
  const { id, session } = rotateSession(db, activity, previous, user, 'full', ['auth.totp_enrolled', 'auth.signed_in']);
  return { sessionId: id, result: { next: 'done', me: describeMe(db, user, session) } };
}

export function signOut(db: Conn, sessionId: string): void {
  destroySession(db, sessionId);
}

export function signOutEverywhere(db: Conn, user: User): void {
  db.transaction((tx) => {
    destroyUserSessions(tx, user.id);
    appendAudit(tx, { at: new Date().toISOString(), actor: user.id, action: 'auth.signed_out_everywhere', subject: user.id });
  });
}
