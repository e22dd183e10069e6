// Teams and their keys: membership, grants (a team key sealed to a member by another member's
// browser), pending grants, revocation on removal, key rotation, and the verify keys that sign
// messages as the team. The server only checks that whoever hands out a grant holds one (it can
// never open one), that every key is a usable point, and that analysts never hold a team key.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { grants, teamKeys, teamMembers, teams, users } from '../../db/schema.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import { keyId } from '../../protocol/envelope.ts';
import { AppError } from '../errors.ts';
import type { CreateTeam, GrantBody, PublishVerifyKey, RotateKey, TeamView } from '../../protocol/desk-api.ts';
import { isUsablePublicKey } from '../../protocol/keys.ts';
import { hasBidiControls } from '../../protocol/names.ts';
import { checkVerifyKeyProof, isUsableVerifyKey } from '../../protocol/signing.ts';
import type { User } from './accounts.ts';
import { invalidateOrganisation } from './organisation.ts';
import { appendAudit } from './audit.ts';

const audit = (db: Conn, actor: string, action: string, subject: string, detail: Record<string, string | boolean | null> = {}) =>
  appendAudit(db, { at: new Date().toISOString(), actor, action, subject, detail });

export function currentKey(db: Conn, teamId: string) {
  const key = db.select().from(teamKeys).where(and(eq(teamKeys.teamId, teamId), isNull(teamKeys.retiredAt))).get();
  if (!key) throw new AppError(404, 'not_found');
  return key;
}

/** A public key is used by one team key only: a retried request must not become a 500. */
function keyNotInUse(db: Conn, kid: string): void {
  if (db.select().from(teamKeys).where(eq(teamKeys.kid, kid)).get()) throw new AppError(409, 'key_in_use', 'publicKey');
}

/** Analysts work with statistics only: they never join a team or hold a team key (§31.5). */
function refuseAnalysts(db: Conn, userIds: string[], field: string): void {
  if (!userIds.length) return;
  const analyst = db.select({ id: users.id }).from(users).where(and(inArray(users.id, userIds), eq(users.role, 'analyst'))).get();
  if (analyst) throw new AppError(400, 'analyst_no_team_access', field);
}

/** A new team key: a usable X25519 public key and a usable Ed25519 verify key (§28.2). */
async function checkNewKey(publicKey: string, verifyKey: string): Promise<void> {
  if (!(await isUsablePublicKey(publicKey))) throw new AppError(400, 'invalid_request', 'publicKey');
  if (!(await isUsableVerifyKey(verifyKey))) throw new AppError(400, 'invalid_request', 'verifyKey');
}

function holdsGrant(db: Conn, teamKeyId: string, userId: string): boolean {
  return Boolean(db.select().from(grants).where(and(eq(grants.teamKeyId, teamKeyId), eq(grants.userId, userId))).get());
}

/** Admins see every team; caseworkers the teams they belong to. */
export function teamsVisibleTo(db: Conn, viewer: User): TeamView[] {
  const all = listTeams(db, viewer.id);
  return viewer.role === 'admin' ? all : all.filter((t) => t.members.some((m) => m.id === viewer.id));
}

/** Every team with its members, each marked granted or pending for the team's current key. */
export function listTeams(db: Conn, viewerId: string): TeamView[] {
  return db.select().from(teams).all().map((team) => {
    const key = currentKey(db, team.id);
    const members = db.select({ id: users.id, email: users.email, role: users.role, publicKey: users.publicKey })
      .from(teamMembers).innerJoin(users, eq(users.id, teamMembers.userId)).where(eq(teamMembers.teamId, team.id)).all()
      .map((m) => ({ ...m, granted: holdsGrant(db, key.id, m.id) }));
    const myGrant = db.select({ sealed: grants.sealedPrivateKey }).from(grants)
      .where(and(eq(grants.teamKeyId, key.id), eq(grants.userId, viewerId))).get()?.sealed ?? null;
    return {
      id: team.id, name: team.name, restricted: team.restricted, isDefault: team.isDefault,
      key: { kid: key.kid, publicKey: key.publicKey, verifyKey: key.verifyKey }, members, myGrant,
      retentionDays: team.retentionDays, graceDays: team.graceDays,
    };
  });
}

export async function createTeam(db: Conn, actor: string, input: CreateTeam) {
  if (!input.name.trim() || hasBidiControls(input.name)) throw new AppError(400, 'invalid_name', 'name');
  const pk = fromBase64Url(input.publicKey);
  if (pk?.length !== 32 || fromBase64Url(input.creatorGrant)?.length !== 80 || fromBase64Url(input.recoveryGrant)?.length !== 80) {
    throw new AppError(400, 'invalid_request', 'publicKey');
  }
  await checkNewKey(input.publicKey, input.verifyKey);
  const kid = await keyId(pk);
  keyNotInUse(db, kid);
  const now = new Date().toISOString();
  const id = randomUUID();
  const teamKeyId = randomUUID();
  db.transaction((tx) => {
    tx.insert(teams).values({ id, name: input.name.trim(), restricted: input.restricted, isDefault: false, createdAt: now }).run();
    tx.insert(teamKeys).values({ id: teamKeyId, teamId: id, publicKey: input.publicKey, kid, verifyKey: input.verifyKey, createdAt: now }).run();
    tx.insert(teamMembers).values({ teamId: id, userId: actor, addedAt: now }).run();
    tx.insert(grants).values([
      { id: randomUUID(), teamKeyId, userId: actor, sealedPrivateKey: input.creatorGrant, grantedBy: actor, createdAt: now },
      { id: randomUUID(), teamKeyId, userId: null, sealedPrivateKey: input.recoveryGrant, grantedBy: actor, createdAt: now },
    ]).run();
    audit(tx, actor, 'team.created', id, { name: input.name, restricted: input.restricted });
  });
  invalidateOrganisation(db);
  return { id };
}

export function addMember(db: Conn, actor: string, teamId: string, userId: string) {
  currentKey(db, teamId);
  if (!db.select().from(users).where(eq(users.id, userId)).get()) throw new AppError(404, 'not_found');
  refuseAnalysts(db, [userId], 'userId');
  db.transaction((tx) => {
    tx.insert(teamMembers).values({ teamId, userId, addedAt: new Date().toISOString() }).onConflictDoNothing().run();
    audit(tx, actor, 'team.member_added', teamId, { user: userId });
  });
}

/** Removing a member also deletes every grant of every key of that team to them. */
export function removeMember(db: Conn, actor: string, teamId: string, userId: string) {
  const member = db.select().from(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId))).get();
  if (!member) throw new AppError(404, 'not_found');
  const keyIds = db.select({ id: teamKeys.id }).from(teamKeys).where(eq(teamKeys.teamId, teamId)).all().map((k) => k.id);
  db.transaction((tx) => {
    tx.delete(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId))).run();
    if (keyIds.length) tx.delete(grants).where(and(inArray(grants.teamKeyId, keyIds), eq(grants.userId, userId))).run();
    audit(tx, actor, 'team.member_removed', teamId, { user: userId });
  });
}

export function addGrant(db: Conn, actor: string, teamId: string, input: GrantBody) {
  const key = currentKey(db, teamId);
  if (!holdsGrant(db, key.id, actor)) throw new AppError(403, 'forbidden');
  const member = db.select().from(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, input.userId))).get();
  if (!member) throw new AppError(400, 'not_team_member', 'userId');
  refuseAnalysts(db, [input.userId], 'userId');
  if (holdsGrant(db, key.id, input.userId)) return;
  db.transaction((tx) => {
    tx.insert(grants).values({ id: randomUUID(), teamKeyId: key.id, userId: input.userId, sealedPrivateKey: input.sealedPrivateKey, grantedBy: actor, createdAt: new Date().toISOString() }).run();
    audit(tx, actor, 'team.access_granted', teamId, { user: input.userId });
  });
}

/** New cases go to the new key; old cases stay readable through the old key's grants. */
export async function rotateKey(db: Conn, actor: string, teamId: string, input: RotateKey) {
  const old = currentKey(db, teamId);
  if (!holdsGrant(db, old.id, actor)) throw new AppError(403, 'forbidden');
  const pk = fromBase64Url(input.publicKey);
  if (pk?.length !== 32) throw new AppError(400, 'invalid_request', 'publicKey');
  await checkNewKey(input.publicKey, input.verifyKey);
  if (!input.grants.some((g) => g.userId === null)) throw new AppError(400, 'recovery_grant_required', 'grants');
  if (input.grants.some((g) => fromBase64Url(g.sealedPrivateKey)?.length !== 80)) throw new AppError(400, 'invalid_request', 'grants');
  keyNotInUse(db, await keyId(pk));
  const members = new Set(db.select({ id: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, teamId)).all().map((m) => m.id));
  if (input.grants.some((g) => g.userId !== null && !members.has(g.userId))) throw new AppError(400, 'not_team_member', 'grants');
  refuseAnalysts(db, input.grants.flatMap((g) => (g.userId ? [g.userId] : [])), 'grants');
  const kid = await keyId(pk);
  const now = new Date().toISOString();
  const teamKeyId = randomUUID();
  db.transaction((tx) => {
    tx.update(teamKeys).set({ retiredAt: now }).where(eq(teamKeys.id, old.id)).run();
    tx.insert(teamKeys).values({ id: teamKeyId, teamId, publicKey: input.publicKey, kid, verifyKey: input.verifyKey, createdAt: now }).run();
    for (const g of input.grants) {
      tx.insert(grants).values({ id: randomUUID(), teamKeyId, userId: g.userId, sealedPrivateKey: g.sealedPrivateKey, grantedBy: actor, createdAt: now }).run();
    }
    audit(tx, actor, 'team.key_rotated', teamId, { kid });
  });
  invalidateOrganisation(db);
  return { kid };
}

/**
 * A holder of a team key made before signatures publishes the key's verify key, with a proof that
 * it holds the matching signing key (§28.6). Stored once; never replaced.
 */
export async function publishVerifyKey(db: Conn, actor: string, teamId: string, kid: string, input: PublishVerifyKey) {
  const key = db.select().from(teamKeys).where(and(eq(teamKeys.teamId, teamId), eq(teamKeys.kid, kid))).get();
  if (!key) throw new AppError(404, 'not_found');
  if (!holdsGrant(db, key.id, actor)) throw new AppError(403, 'forbidden');
  if (!(await isUsableVerifyKey(input.verifyKey))) throw new AppError(400, 'invalid_request', 'verifyKey');
  if (!(await checkVerifyKeyProof(key.publicKey, input.verifyKey, input.proof))) throw new AppError(422, 'bad_signature', 'proof');
  if (key.verifyKey === input.verifyKey) return;
  if (key.verifyKey) throw new AppError(409, 'key_in_use', 'verifyKey');
  db.transaction((tx) => {
    tx.update(teamKeys).set({ verifyKey: input.verifyKey }).where(and(eq(teamKeys.id, key.id), isNull(teamKeys.verifyKey))).run();
    audit(tx, actor, 'team.verify_key_published', teamId, { kid });
  });
  if (!key.retiredAt) invalidateOrganisation(db);
}
