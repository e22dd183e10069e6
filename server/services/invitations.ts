// Invitations and reset links to the desk: one-time, expiring tokens (stored hashed). Accepting an
// invitation creates the account from keys made in the invitee's browser and adds it to teams;
// accepting a reset link gives an existing account new keys, a new password and (at the next
// sign-in) a new second factor. A member's browser then seals each team key to it (a grant).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { grants, invitations, sessions, teamMembers, teams, totpState, users } from '../../db/schema.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import type { AcceptInvitation, InvitationInfo } from '../../protocol/api.ts';
import type { CreateInvitation, InvitationCreated, PendingInvitation } from '../../protocol/accounts-api.ts';
import { hashAuthKey, isUsablePublicKey } from '../../protocol/keys.ts';
import { hasBidiControls } from '../../protocol/names.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { normaliseEmail } from './accounts.ts';

export const INVITATION_DAYS = 7;
const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

type InvitationRow = typeof invitations.$inferInsert;

/** Stores a new one-time link and returns its token; the caller audits in the same transaction. */
export function insertInvitation(db: Conn, row: Omit<InvitationRow, 'id' | 'tokenHash' | 'expiresAt'>, now: Date): InvitationCreated {
  const token = randomBytes(24).toString('base64url');
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString();
  db.insert(invitations).values({ ...row, id, tokenHash: hashToken(token), expiresAt }).run();
  // A fragment, not a query: the token never appears in a request line or a server log.
  return { id, token, expiresAt, path: `/desk/invite#token=${token}` };
}

export function createInvitation(db: Conn, by: string, request: CreateInvitation, now = new Date()): InvitationCreated {
  const input = { ...request, teamIds: [...new Set(request.teamIds)] };
  if (input.email && hasBidiControls(input.email)) throw new AppError(400, 'invalid_email', 'email');
  if (input.role === 'analyst' && input.teamIds.length) throw new AppError(400, 'analyst_no_team_access', 'teamIds');
  const known = db.select({ id: teams.id }).from(teams).where(inArray(teams.id, input.teamIds.length ? input.teamIds : [''])).all();
  if (known.length !== new Set(input.teamIds).size) throw new AppError(400, 'invalid_request', 'teamIds');
  if (input.email && db.select().from(users).where(eq(users.email, normaliseEmail(input.email))).get()) throw new AppError(409, 'email_taken', 'email');
  return db.transaction((tx) => {
    const created = insertInvitation(tx, {
      email: input.email ? normaliseEmail(input.email) : null, role: input.role, teamIds: input.teamIds, createdBy: by, createdAt: now.toISOString(),
    }, now);
    appendAudit(tx, { at: now.toISOString(), actor: by, action: 'invitation.created', subject: created.id, detail: { role: input.role, email: input.email ?? null } });
    return created;
  });
}

function liveInvitation(db: Conn, token: string, now: Date) {
  const row = db.select().from(invitations).where(eq(invitations.tokenHash, hashToken(token))).get();
  if (!row || row.usedAt || row.revokedAt || row.expiresAt < now.toISOString()) throw new AppError(410, 'invitation_invalid');
  return row;
}

export function describeInvitation(db: Conn, token: string, now = new Date()): InvitationInfo {
  const row = liveInvitation(db, token, now);
  return { kind: row.userId ? 'reset' : 'invitation', email: row.email, role: row.role, expiresAt: row.expiresAt };
}

/** Invitations and reset links that can still be used, newest first (§31.1). */
export function pendingInvitations(db: Conn, now = new Date()): PendingInvitation[] {
  return db.select().from(invitations)
    .where(and(isNull(invitations.usedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now.toISOString())))
    .orderBy(desc(invitations.createdAt)).all()
    .map((r) => ({
      id: r.id, kind: r.userId ? 'reset' : 'invitation', email: r.email, role: r.role, teamIds: r.teamIds, userId: r.userId,
      createdBy: r.createdBy, createdAt: r.createdAt, expiresAt: r.expiresAt,
    }));
}

export function revokeInvitation(db: Conn, by: string, id: string, now = new Date()): void {
  const live = pendingInvitations(db, now).find((r) => r.id === id);
  if (!live) throw new AppError(404, 'not_found');
  db.transaction((tx) => {
    tx.update(invitations).set({ revokedAt: now.toISOString() }).where(eq(invitations.id, id)).run();
    appendAudit(tx, { at: now.toISOString(), actor: by, action: 'invitation.revoked', subject: id, detail: { kind: live.kind, email: live.email } });
  });
}

export async function acceptInvitation(db: Conn, input: AcceptInvitation, now = new Date()) {
  const row = liveInvitation(db, input.token, now);
  const email = normaliseEmail(input.email);
  if (row.email && row.email !== email) throw new AppError(400, 'invitation_invalid', 'email');
  if (hasBidiControls(email)) throw new AppError(400, 'invalid_email', 'email');
  const authKey = fromBase64Url(input.authKey);
  if (!authKey || authKey.length !== 32) throw new AppError(400, 'invalid_request', 'authKey');
  if (fromBase64Url(input.kdf.salt)?.length !== 16) throw new AppError(400, 'invalid_request', 'kdf.salt');
  if (!(await isUsablePublicKey(input.publicKey))) throw new AppError(400, 'invalid_request', 'publicKey');
  const authHash = await hashAuthKey(authKey);
  const credentials = {
    kdfSalt: input.kdf.salt, kdfOpslimit: input.kdf.opslimit, kdfMemlimit: input.kdf.memlimit, authHash,
    publicKey: input.publicKey, wrappedPrivateKey: input.wrappedPrivateKey,
  };
  const at = now.toISOString();
  return db.transaction((tx) => {
    const again = tx.select().from(invitations).where(eq(invitations.id, row.id)).get()!;
    if (again.usedAt || again.revokedAt) throw new AppError(410, 'invitation_invalid');
    tx.update(invitations).set({ usedAt: at }).where(eq(invitations.id, row.id)).run();
    if (row.userId) {
      // A reset: new keys, password and (at next sign-in) second factor; grants were sealed to the old key.
      const user = tx.select().from(users).where(eq(users.id, row.userId)).get();
      if (!user || user.disabledAt) throw new AppError(410, 'invitation_invalid');
      tx.update(users).set({ ...credentials, totpSecret: null }).where(eq(users.id, user.id)).run();
      tx.delete(totpState).where(eq(totpState.userId, user.id)).run();
      tx.delete(grants).where(eq(grants.userId, user.id)).run();
      tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
      appendAudit(tx, { at, actor: user.id, action: 'account.reset_completed', subject: user.id, detail: { email: user.email } });
      return { userId: user.id };
    }
    if (tx.select().from(users).where(eq(users.email, email)).get()) throw new AppError(409, 'email_taken', 'email');
    const userId = randomUUID();
    tx.insert(users).values({ id: userId, email, role: row.role, ...credentials, createdAt: at }).run();
    for (const teamId of row.teamIds) tx.insert(teamMembers).values({ teamId, userId, addedAt: at }).onConflictDoNothing().run();
    appendAudit(tx, { at, actor: userId, action: 'invitation.accepted', subject: row.id, detail: { email, role: row.role } });
    return { userId };
  });
}
