// Desk accounts for tests, made with the same protocol code a browser uses, and sign-in through
// the real API (prelogin → Argon2id → login with a TOTP code).
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { grants, teamKeys, teamMembers, teams, users } from '../../db/schema.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import {
  WRAP_LABEL, derivePasswordKeys, generateKeyPair, hashAuthKey, newKdfParams, openGrant, sealGrant, unwrapSecret, wrapSecret,
} from '../../protocol/keys.ts';
import type { KeyPair } from '../../protocol/envelope.ts';
import type { App } from '../../server/app.ts';
import { newTotpSecret, stepOf, totpAt } from '../../server/services/totp.ts';
import { ADMIN_PASSWORD } from './app.ts';

export interface DeskUser { id: string; email: string; password: string; totpSecret: string | null; keys: KeyPair }

/** A user with an enrolled TOTP secret, member of the given teams, granted each team's key by `granter`. */
export async function createDeskUser(db: Db, options: {
  email: string; role: 'admin' | 'caseworker' | 'analyst'; teamIds?: string[]; granter?: KeyPair & { id: string }; enrolled?: boolean;
}): Promise<DeskUser> {
  const password = `${options.email} long password`;
  const kdf = await newKdfParams();
  const { authKey, wrapKey } = await derivePasswordKeys(password, kdf);
  const keys = await generateKeyPair();
  const id = randomUUID();
  const totpSecret = options.enrolled === false ? null : newTotpSecret();
  const now = new Date().toISOString();
  db.insert(users).values({
    id, email: options.email, role: options.role, kdfSalt: kdf.salt, kdfOpslimit: kdf.opslimit, kdfMemlimit: kdf.memlimit,
    authHash: await hashAuthKey(authKey), publicKey: toBase64Url(keys.publicKey),
    wrappedPrivateKey: await wrapSecret(keys.privateKey, wrapKey, WRAP_LABEL.userPrivateKey), totpSecret, createdAt: now,
  }).run();
  for (const teamId of options.teamIds ?? []) {
    db.insert(teamMembers).values({ teamId, userId: id, addedAt: now }).run();
    if (!options.granter) continue;
    const key = db.select().from(teamKeys).where(and(eq(teamKeys.teamId, teamId), isNull(teamKeys.retiredAt))).get()!;
    const grant = db.select().from(grants).where(and(eq(grants.teamKeyId, key.id), eq(grants.userId, options.granter.id))).get()!;
    const teamPair = (await openGrant(grant.sealedPrivateKey, options.granter))!;
    db.insert(grants).values({ id: randomUUID(), teamKeyId: key.id, userId: id, sealedPrivateKey: await sealGrant(teamPair.privateKey, keys.publicKey), grantedBy: options.granter.id, createdAt: now }).run();
  }
  return { id, email: options.email, password, totpSecret, keys };
}

/** The admin made by setup, with their private key unwrapped from the password. */
export async function setupAdmin(db: Db): Promise<DeskUser & { id: string }> {
  const admin = db.select().from(users).where(eq(users.role, 'admin')).get()!;
  const { wrapKey } = await derivePasswordKeys(ADMIN_PASSWORD, { salt: admin.kdfSalt, opslimit: admin.kdfOpslimit, memlimit: admin.kdfMemlimit });
  const privateKey = (await unwrapSecret(admin.wrappedPrivateKey, wrapKey, WRAP_LABEL.userPrivateKey))!;
  const totpSecret = newTotpSecret();
  db.update(users).set({ totpSecret }).where(eq(users.id, admin.id)).run();
  return { id: admin.id, email: admin.email, password: ADMIN_PASSWORD, totpSecret, keys: { privateKey, publicKey: fromBase64Url(admin.publicKey)! } };
}

export function defaultTeamId(db: Db): string {
  return db.select().from(teams).where(eq(teams.isDefault, true)).get()!.id;
}

export interface SignedIn { cookie: string; csrf: string; me: Record<string, unknown> }

/** Signs in through the API. Each sign-in uses up a TOTP time step, so pass a distinct step per sign-in. */
export async function signIn(app: App, user: DeskUser, step = stepOf(Date.now())): Promise<SignedIn> {
  const kdf = (await app.inject({ method: 'POST', url: '/api/auth/prelogin', payload: { email: user.email } })).json();
  const { authKey } = await derivePasswordKeys(user.password, kdf);
  const res = await app.inject({
    method: 'POST', url: '/api/auth/login',
    payload: { email: user.email, authKey: toBase64Url(authKey), totp: totpAt(user.totpSecret!, step) },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  const body = res.json();
  return { cookie, csrf: body.me.csrfToken, me: body.me };
}

/** The private key of a team key (current, or the one given), opened from the holder's grant. */
export async function heldTeamKey(db: Db, teamId: string, holder: KeyPair & { id: string }, teamKeyId?: string): Promise<KeyPair> {
  const key = teamKeyId
    ? db.select().from(teamKeys).where(eq(teamKeys.id, teamKeyId)).get()!
    : db.select().from(teamKeys).where(and(eq(teamKeys.teamId, teamId), isNull(teamKeys.retiredAt))).get()!;
  const grant = db.select().from(grants).where(and(eq(grants.teamKeyId, key.id), eq(grants.userId, holder.id))).get()!;
  return (await openGrant(grant.sealedPrivateKey, holder))!;
}
