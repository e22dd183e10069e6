// The admin's side of accounts (PROTOCOL.md §31): the list with each account's teams and access,
// disabling (sessions end, grants go, and the teams whose key it held are named for rotation),
// re-enabling, and reset links for a lost password or second factor. Each change is audited in
// its own transaction.
import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { grants, invitations, sessions, teamKeys, teamMembers, teams, users } from '../../db/schema.ts';
import type { Disabled, InvitationCreated, UserSummary } from '../../protocol/accounts-api.ts';
import { hashAuthKey } from '../../protocol/keys.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { insertInvitation } from './invitations.ts';

/** Each member's teams, and whether they hold a grant for each team's current key. */
function teamsOf(db: Conn): Map<string, UserSummary['teams']> {
  const rows = db.select({ userId: teamMembers.userId, id: teams.id, name: teams.name, keyId: teamKeys.id })
    .from(teamMembers).innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(teamKeys, and(eq(teamKeys.teamId, teams.id), isNull(teamKeys.retiredAt))).all();
  const held = new Set(db.select({ userId: grants.userId, keyId: grants.teamKeyId }).from(grants).all().map((g) => `${g.userId}:${g.keyId}`));
  const byUser = new Map<string, UserSummary['teams']>();
  for (const r of rows) {
    const list = byUser.get(r.userId) ?? [];
    list.push({ id: r.id, name: r.name, granted: held.has(`${r.userId}:${r.keyId}`) });
    byUser.set(r.userId, list);
  }
  return byUser;
}

export function listUsers(db: Conn, now = new Date()): UserSummary[] {
  const memberships = teamsOf(db);
  const pendingResets = new Set(db.select({ userId: invitations.userId }).from(invitations)
    .where(and(isNull(invitations.usedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now.toISOString()))).all()
    .flatMap((r) => (r.userId ? [r.userId] : [])));
  return db.select().from(users).orderBy(users.email).all().map((u) => ({
    id: u.id, email: u.email, role: u.role, publicKey: u.publicKey, createdAt: u.createdAt, enrolled: Boolean(u.totpSecret),
    disabled: Boolean(u.disabledAt), resetPending: pendingResets.has(u.id), teams: memberships.get(u.id) ?? [],
  }));
}

function otherAccount(db: Conn, actor: string, id: string) {
  if (id === actor) throw new AppError(400, 'cannot_change_self', 'id');
  const user = db.select().from(users).where(eq(users.id, id)).get();
  if (!user) throw new AppError(404, 'not_found');
  return user;
}

const revokeResets = (db: Conn, userId: string, at: string) =>
  db.update(invitations).set({ revokedAt: at }).where(and(eq(invitations.userId, userId), isNull(invitations.usedAt), isNull(invitations.revokedAt))).run();

/** Ends the account's sessions and takes its grants; names the teams whose current key it held. */
export function disableUser(db: Conn, actor: string, id: string, now = new Date()): Disabled {
  const user = otherAccount(db, actor, id);
  if (user.disabledAt) throw new AppError(409, 'account_disabled', 'id');
  const rotate = (teamsOf(db).get(id) ?? []).filter((t) => t.granted).map(({ id: teamId, name }) => ({ id: teamId, name }));
  const at = now.toISOString();
  db.transaction((tx) => {
    tx.update(users).set({ disabledAt: at }).where(eq(users.id, id)).run();
    tx.delete(sessions).where(eq(sessions.userId, id)).run();
    tx.delete(grants).where(eq(grants.userId, id)).run();
    revokeResets(tx, id, at);
    appendAudit(tx, { at, actor, action: 'account.disabled', subject: id, detail: { email: user.email, keysHeld: String(rotate.length) } });
  });
  return { rotate };
}

export function enableUser(db: Conn, actor: string, id: string, now = new Date()): void {
  const user = otherAccount(db, actor, id);
  if (!user.disabledAt) return;
  db.transaction((tx) => {
    tx.update(users).set({ disabledAt: null }).where(eq(users.id, id)).run();
    appendAudit(tx, { at: now.toISOString(), actor, action: 'account.enabled', subject: id, detail: { email: user.email } });
  });
}

/**
 * A one-time link to make new keys, password and second factor. The old password stops working at
 * once (its hash is replaced by the hash of a key nobody keeps) and the account's sessions end.
 */
export async function issueReset(db: Conn, actor: string, id: string, now = new Date()): Promise<InvitationCreated> {
  const user = otherAccount(db, actor, id);
  if (user.disabledAt) throw new AppError(409, 'account_disabled', 'id');
  const unusable = await hashAuthKey(randomBytes(32));
  const at = now.toISOString();
  return db.transaction((tx) => {
    revokeResets(tx, id, at);
    tx.update(users).set({ authHash: unusable }).where(eq(users.id, id)).run();
    tx.delete(sessions).where(eq(sessions.userId, id)).run();
    const created = insertInvitation(tx, { email: user.email, role: user.role, teamIds: [], userId: id, createdBy: actor, createdAt: at }, now);
    appendAudit(tx, { at, actor, action: 'account.reset_issued', subject: id, detail: { email: user.email } });
    return created;
  });
}
