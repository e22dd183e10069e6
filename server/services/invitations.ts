// Invitations to the desk: one-time, expiring tokens (stored hashed). Accepting one creates the
// account from keys made in the invitee's browser and adds them to teams; a member's browser then
// seals each team key to them (a grant).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { invitations, teamMembers, teams, users } from '../../db/schema.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import type { AcceptInvitation, InvitationInfo } from '../../protocol/api.ts';
import type { CreateInvitation, InvitationCreated } from '../../protocol/desk-api.ts';
import { hashAuthKey } from '../../protocol/keys.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { normaliseEmail } from './accounts.ts';

export const INVITATION_DAYS = 7;
const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export function createInvitation(db: Conn, by: string, request: CreateInvitation, now = new Date()): InvitationCreated {
  const input = { ...request, teamIds: [...new Set(request.teamIds)] };
  const known = db.select({ id: teams.id }).from(teams).where(inArray(teams.id, input.teamIds.length ? input.teamIds : [''])).all();
  if (known.length !== new Set(input.teamIds).size) throw new AppError(400, 'invalid_request', 'teamIds');
  if (input.email && db.select().from(users).where(eq(users.email, normaliseEmail(input.email))).get()) throw new AppError(409, 'email_taken', 'email');
  const token = randomBytes(24).toString('base64url');
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString();
  db.transaction((tx) => {
    tx.insert(invitations).values({
      id, tokenHash: hashToken(token), email: input.email ? normaliseEmail(input.email) : null, role: input.role,
      teamIds: input.teamIds, createdBy: by, createdAt: now.toISOString(), expiresAt,
    }).run();
    appendAudit(tx, { at: now.toISOString(), actor: by, action: 'invitation.created', subject: id, detail: { role: input.role, email: input.email ?? null } });
  });
  // A fragment, not a query: the token never appears in a request line or a server log.
  return { id, token, expiresAt, path: `/desk/invite#token=${token}` };
}

function liveInvitation(db: Conn, token: string, now: Date) {
  const row = db.select().from(invitations).where(eq(invitations.tokenHash, hashToken(token))).get();
  if (!row || row.usedAt || row.expiresAt < now.toISOString()) throw new AppError(410, 'invitation_invalid');
  return row;
}

export function describeInvitation(db: Conn, token: string, now = new Date()): InvitationInfo {
  const row = liveInvitation(db, token, now);
  return { email: row.email, role: row.role, expiresAt: row.expiresAt };
}

export async function acceptInvitation(db: Conn, input: AcceptInvitation, now = new Date()) {
  const row = liveInvitation(db, input.token, now);
  const email = normaliseEmail(input.email);
  if (row.email && row.email !== email) throw new AppError(400, 'invitation_invalid', 'email');
  const authKey = fromBase64Url(input.authKey);
  if (!authKey || authKey.length !== 32) throw new AppError(400, 'invalid_request', 'authKey');
  if (fromBase64Url(input.kdf.salt)?.length !== 16) throw new AppError(400, 'invalid_request', 'kdf.salt');
  if (fromBase64Url(input.publicKey)?.length !== 32) throw new AppError(400, 'invalid_request', 'publicKey');
  const authHash = await hashAuthKey(authKey);
  const userId = randomUUID();
  const at = now.toISOString();
  db.transaction((tx) => {
    const again = tx.select().from(invitations).where(eq(invitations.id, row.id)).get()!;
    if (again.usedAt) throw new AppError(410, 'invitation_invalid');
    if (tx.select().from(users).where(eq(users.email, email)).get()) throw new AppError(409, 'email_taken', 'email');
    tx.insert(users).values({
      id: userId, email, role: row.role, kdfSalt: input.kdf.salt, kdfOpslimit: input.kdf.opslimit, kdfMemlimit: input.kdf.memlimit,
      authHash, publicKey: input.publicKey, wrappedPrivateKey: input.wrappedPrivateKey, createdAt: at,
    }).run();
    for (const teamId of row.teamIds) tx.insert(teamMembers).values({ teamId, userId, addedAt: at }).run();
    tx.update(invitations).set({ usedAt: at }).where(eq(invitations.id, row.id)).run();
    appendAudit(tx, { at, actor: userId, action: 'invitation.accepted', subject: row.id, detail: { email, role: row.role } });
  });
  return { userId };
}
