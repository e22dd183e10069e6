// Restoring admin access with the recovery kit when every admin password is lost (PROTOCOL.md §33):
// the kit opens the recovery grant of every team key, current and retired, and each key is sealed
// again to a new admin account made here, with the admin made a member of every team. One
// transaction, audited. Runs in the operator's CLI process on the server machine.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { grants, teamKeys, teamMembers, teams, users } from '../../db/schema.ts';
import { toBase64Url } from '../../protocol/encoding.ts';
import { keyId } from '../../protocol/envelope.ts';
import {
  MIN_PASSWORD_LENGTH, WRAP_LABEL, derivePasswordKeys, generateKeyPair, hashAuthKey, newKdfParams, openGrant,
  recoveryKeyPairFromKit, sealGrant, wrapSecret,
} from '../../protocol/keys.ts';
import { hasBidiControls } from '../../protocol/names.ts';
import { teamVerifyKey } from '../../protocol/signing.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import { AppError } from '../errors.ts';
import { normaliseEmail } from './accounts.ts';
import { appendAudit } from './audit.ts';
import { getOrganisation, invalidateOrganisation } from './organisation.ts';

export type RecoveryProblem = 'not_set_up' | 'kit_unreadable' | 'kit_not_ours' | 'invalid_email' | 'email_taken' | 'password_too_short';

export interface Recovered { userId: string; email: string; teams: number; keys: number; skipped: string[] }

export async function recoverAdmin(db: Conn, kitText: string, input: { email: string; password: string }, now = new Date()): Promise<Recovered> {
  const sodium = await sodiumReady();
  const org = getOrganisation(db);
  if (!org) throw new AppError(409, 'not_set_up');
  const recovery = await recoveryKeyPairFromKit(kitText);
  if (!recovery) throw new AppError(400, 'kit_unreadable');
  if ((await keyId(recovery.publicKey)) !== org.recoveryKid) throw new AppError(400, 'kit_not_ours');
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254 || hasBidiControls(email)) throw new AppError(400, 'invalid_email');
  if (db.select().from(users).where(eq(users.email, email)).get()) throw new AppError(409, 'email_taken');
  if (input.password.length < MIN_PASSWORD_LENGTH) throw new AppError(400, 'password_too_short');

  const kdf = await newKdfParams();
  const { authKey, wrapKey } = await derivePasswordKeys(input.password, kdf);
  const account = await generateKeyPair();
  const userId = randomUUID();
  const at = now.toISOString();
  // Every key of every team, opened with the kit and sealed to the new admin.
  const sealed: { teamKeyId: string; grant: string; verifyKey: string | null }[] = [];
  const skipped: string[] = [];
  for (const key of db.select().from(teamKeys).all()) {
    const recoveryGrant = db.select().from(grants).where(and(eq(grants.teamKeyId, key.id), isNull(grants.userId))).get();
    const pair = recoveryGrant ? await openGrant(recoveryGrant.sealedPrivateKey, recovery) : null;
    if (!pair || toBase64Url(pair.publicKey) !== key.publicKey) {
      skipped.push(key.kid);
      continue;
    }
    sealed.push({ teamKeyId: key.id, grant: await sealGrant(pair.privateKey, account.publicKey), verifyKey: key.verifyKey ? null : await teamVerifyKey(pair.privateKey) });
    sodium.memzero(pair.privateKey);
  }
  const allTeams = db.select({ id: teams.id }).from(teams).all();
  const user = {
    id: userId, email, role: 'admin' as const, kdfSalt: kdf.salt, kdfOpslimit: kdf.opslimit, kdfMemlimit: kdf.memlimit,
    authHash: await hashAuthKey(authKey), publicKey: toBase64Url(account.publicKey),
    wrappedPrivateKey: await wrapSecret(account.privateKey, wrapKey, WRAP_LABEL.userPrivateKey), createdAt: at,
  };
  for (const secret of [recovery.privateKey, account.privateKey, wrapKey]) sodium.memzero(secret);
  db.transaction((tx) => {
    tx.insert(users).values(user).run();
    for (const team of allTeams) tx.insert(teamMembers).values({ teamId: team.id, userId, addedAt: at }).run();
    for (const s of sealed) {
      tx.insert(grants).values({ id: randomUUID(), teamKeyId: s.teamKeyId, userId, sealedPrivateKey: s.grant, grantedBy: userId, createdAt: at }).run();
      if (s.verifyKey) tx.update(teamKeys).set({ verifyKey: s.verifyKey }).where(and(eq(teamKeys.id, s.teamKeyId), isNull(teamKeys.verifyKey))).run();
    }
    appendAudit(tx, { at, actor: userId, action: 'account.recovered', subject: userId, detail: { email, teams: String(allTeams.length), keys: String(sealed.length) } });
  });
  invalidateOrganisation(db);
  return { userId, email, teams: allTeams.length, keys: sealed.length, skipped };
}
