// First-run setup on the server: stores what protocol/setup.ts built (in the admin's browser or
// the CLI). The server sees public keys, sealed or wrapped private keys, and an auth key it
// hashes; never a private key in clear. Runs once.
import { randomUUID } from 'node:crypto';
import type { Conn } from '../../db/index.ts';
import { grants, organisation, teamKeys, teamMembers, teams, users } from '../../db/schema.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import { keyId } from '../../protocol/envelope.ts';
import { hashAuthKey, isUsablePublicKey } from '../../protocol/keys.ts';
import { isUsableVerifyKey } from '../../protocol/signing.ts';
import { buildSetupBundle, checkSetupInput, type SetupBundle, type SetupInput } from '../../protocol/setup.ts';
import type { SetupRequest } from '../../protocol/api.ts';
import { AppError } from '../errors.ts';
import type { AppState } from '../state.ts';
import { consumeSetupToken } from './setup-token.ts';
import { appendAudit } from './audit.ts';
import { getOrganisation, invalidateOrganisation } from './organisation.ts';

const bytes = (value: string, length: number, field: string) => {
  const decoded = fromBase64Url(value);
  if (!decoded || decoded.length !== length) throw new AppError(400, 'invalid_request', field);
  return decoded;
};

/** Every field of a setup bundle has the right shape and length, and every key is usable; throws a 400 otherwise. */
export async function validateSetupBundle(bundle: SetupBundle): Promise<void> {
  const problem = checkSetupInput({ organisationName: bundle.organisationName, adminEmail: bundle.admin.email, password: 'x'.repeat(99) });
  if (problem) throw new AppError(400, problem);
  bytes(bundle.recovery.publicKey, 32, 'recovery.publicKey');
  bytes(bundle.team.publicKey, 32, 'team.publicKey');
  bytes(bundle.receiptSalt, 16, 'receiptSalt');
  bytes(bundle.admin.publicKey, 32, 'admin.publicKey');
  bytes(bundle.admin.authKey, 32, 'admin.authKey');
  bytes(bundle.admin.kdf.salt, 16, 'admin.kdf.salt');
  bytes(bundle.team.adminGrant, 80, 'team.adminGrant');
  bytes(bundle.team.recoveryGrant, 80, 'team.recoveryGrant');
  // version byte + 24-byte nonce + 32-byte key + 16-byte tag (PROTOCOL.md §5)
  bytes(bundle.admin.wrappedPrivateKey, 73, 'admin.wrappedPrivateKey');
  // An all-zero (or other small-order) key would make every report unsealable.
  for (const [field, key] of [['recovery.publicKey', bundle.recovery.publicKey], ['team.publicKey', bundle.team.publicKey], ['admin.publicKey', bundle.admin.publicKey]]) {
    if (!(await isUsablePublicKey(key))) throw new AppError(400, 'invalid_request', field);
  }
  if (!(await isUsableVerifyKey(bundle.team.verifyKey))) throw new AppError(400, 'invalid_request', 'team.verifyKey');
}

export async function storeSetup(db: Conn, bundle: SetupBundle, now = new Date()): Promise<void> {
  if (getOrganisation(db)) throw new AppError(409, 'already_set_up');
  await validateSetupBundle(bundle);
  const recoveryPublicKey = fromBase64Url(bundle.recovery.publicKey)!;
  const teamPublicKey = fromBase64Url(bundle.team.publicKey)!;
  const authHash = await hashAuthKey(fromBase64Url(bundle.admin.authKey)!);
  const at = now.toISOString();
  const adminId = randomUUID();
  const teamId = randomUUID();
  const teamKeyId = randomUUID();
  const recoveryKid = await keyId(recoveryPublicKey);
  const teamKid = await keyId(teamPublicKey);
  db.transaction((tx) => {
    // Checked again inside the transaction: two setups racing must not both succeed.
    if (getOrganisation(tx)) throw new AppError(409, 'already_set_up');
    tx.insert(organisation).values({
      id: 1, name: bundle.organisationName.trim(), recoveryPublicKey: bundle.recovery.publicKey, recoveryKid,
      receiptSalt: bundle.receiptSalt, createdAt: at,
    }).run();
    tx.insert(users).values({
      id: adminId, email: bundle.admin.email.trim().toLowerCase(), role: 'admin', kdfSalt: bundle.admin.kdf.salt,
      kdfOpslimit: bundle.admin.kdf.opslimit, kdfMemlimit: bundle.admin.kdf.memlimit, authHash,
      publicKey: bundle.admin.publicKey, wrappedPrivateKey: bundle.admin.wrappedPrivateKey, createdAt: at,
    }).run();
    tx.insert(teams).values({ id: teamId, name: bundle.team.name, restricted: false, isDefault: true, createdAt: at }).run();
    tx.insert(teamKeys).values({ id: teamKeyId, teamId, publicKey: bundle.team.publicKey, kid: teamKid, verifyKey: bundle.team.verifyKey, createdAt: at }).run();
    tx.insert(teamMembers).values({ teamId, userId: adminId, addedAt: at }).run();
    tx.insert(grants).values([
      { id: randomUUID(), teamKeyId, userId: adminId, sealedPrivateKey: bundle.team.adminGrant, grantedBy: adminId, createdAt: at },
      { id: randomUUID(), teamKeyId, userId: null, sealedPrivateKey: bundle.team.recoveryGrant, grantedBy: adminId, createdAt: at },
    ]).run();
    appendAudit(tx, { at, actor: adminId, action: 'setup.completed', subject: null, detail: { admin: bundle.admin.email } });
  });
  invalidateOrganisation(db);
}

/** Setup in one call (the CLI): builds the bundle here and stores it. Returns the recovery kit. */
export async function setupOrganisation(db: Conn, input: SetupInput): Promise<string> {
  if (getOrganisation(db)) throw new AppError(409, 'already_set_up');
  const problem = checkSetupInput(input);
  if (problem) throw new AppError(400, problem);
  const { bundle, recoveryKit } = await buildSetupBundle(input);
  await storeSetup(db, bundle);
  return recoveryKit;
}

/** Browser setup: a bundle that would be refused must not use up the one-time token. */
export async function setUpWithToken(db: Conn, state: AppState, request: SetupRequest): Promise<void> {
  if (getOrganisation(db)) throw new AppError(409, 'already_set_up');
  await validateSetupBundle(request.bundle);
  if (!consumeSetupToken(state, request.token)) throw new AppError(403, 'setup_token_invalid');
  await storeSetup(db, request.bundle);
}
