// First-run setup: the organisation, its recovery key, the first admin and a default team, with
// the key model of docs/PROTOCOL.md §5–§6. Used by `cli setup` (and later the browser setup).
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { grants, organisation, teamKeys, teamMembers, teams, users } from '../../db/schema.ts';
import { toBase64Url } from '../../protocol/encoding.ts';
import { keyId } from '../../protocol/envelope.ts';
import {
  MIN_PASSWORD_LENGTH, RECOVERY_PREFIX, WRAP_LABEL, derivePasswordKeys, generateKeyPair, hashAuthKey, newKdfParams,
  sealGrant, wrapSecret,
} from '../../protocol/keys.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { getOrganisation } from './organisation.ts';

export interface SetupInput {
  organisationName: string;
  adminEmail: string;
  password: string;
  now?: Date;
}

export function validateSetupInput(input: SetupInput): void {
  if (!input.organisationName.trim() || input.organisationName.length > 200) throw new AppError(400, 'invalid_organisation_name', 'org');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.adminEmail) || input.adminEmail.length > 254) throw new AppError(400, 'invalid_email', 'admin');
  if (input.password.length < MIN_PASSWORD_LENGTH) throw new AppError(400, 'password_too_short', 'password');
}

/** Returns the recovery kit's text. It is shown once and never stored by the server. */
export async function setupOrganisation(db: Db, input: SetupInput): Promise<string> {
  if (getOrganisation(db)) throw new AppError(409, 'already_set_up');
  validateSetupInput(input);
  const sodium = await sodiumReady();
  const now = (input.now ?? new Date()).toISOString();
  const email = input.adminEmail.trim().toLowerCase();

  const recovery = await generateKeyPair();
  const admin = await generateKeyPair();
  const team = await generateKeyPair();
  const kdf = await newKdfParams();
  const { authKey, wrapKey } = await derivePasswordKeys(input.password, kdf);
  const adminId = randomUUID();
  const teamId = randomUUID();
  const teamKeyId = randomUUID();
  const recoveryKid = await keyId(recovery.publicKey);

  const adminRow = {
    id: adminId, email, role: 'admin' as const, kdfSalt: kdf.salt, kdfOpslimit: kdf.opslimit, kdfMemlimit: kdf.memlimit,
    authHash: await hashAuthKey(authKey), publicKey: toBase64Url(admin.publicKey),
    wrappedPrivateKey: await wrapSecret(admin.privateKey, wrapKey, WRAP_LABEL.userPrivateKey), createdAt: now,
  };
  const teamGrants = [
    { id: randomUUID(), teamKeyId, userId: adminId, sealedPrivateKey: await sealGrant(team.privateKey, admin.publicKey), grantedBy: adminId, createdAt: now },
    { id: randomUUID(), teamKeyId, userId: null, sealedPrivateKey: await sealGrant(team.privateKey, recovery.publicKey), grantedBy: adminId, createdAt: now },
  ];
  const teamKeyRow = { id: teamKeyId, teamId, publicKey: toBase64Url(team.publicKey), kid: await keyId(team.publicKey), createdAt: now };

  db.transaction((tx) => {
    // Checked again inside the transaction: two setups racing must not both succeed.
    if (getOrganisation(tx as unknown as Db)) throw new AppError(409, 'already_set_up');
    tx.insert(organisation).values({
      id: 1, name: input.organisationName.trim(), recoveryPublicKey: toBase64Url(recovery.publicKey), recoveryKid,
      receiptSalt: toBase64Url(sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES)), createdAt: now,
    }).run();
    tx.insert(users).values(adminRow).run();
    tx.insert(teams).values({ id: teamId, name: 'Caseworkers', restricted: false, isDefault: true, createdAt: now }).run();
    tx.insert(teamKeys).values(teamKeyRow).run();
    tx.insert(teamMembers).values({ teamId, userId: adminId, addedAt: now }).run();
    tx.insert(grants).values(teamGrants).run();
    appendAudit(tx as unknown as Db, { at: now, actor: adminId, action: 'setup.completed', subject: null, detail: { admin: email } });
  });

  const kit = recoveryKit(input.organisationName.trim(), recoveryKid, toBase64Url(recovery.privateKey), now);
  for (const secret of [recovery.privateKey, admin.privateKey, team.privateKey, authKey, wrapKey]) sodium.memzero(secret);
  return kit;
}

function recoveryKit(org: string, kid: string, privateKey: string, createdAt: string): string {
  return [
    'REDRESS RECOVERY KIT',
    '',
    `Organisation: ${org}`,
    `Created: ${createdAt}`,
    `Recovery key id: ${kid}`,
    '',
    'This kit can decrypt every case and every team key of this organisation.',
    'Print it or store it offline, in a safe place, away from the server. Then delete this file.',
    'If every admin password is lost, this kit is the only way back in. If the kit is lost too,',
    'the cases can never be read again: nobody, including the server operator, can recover them.',
    '',
    `${RECOVERY_PREFIX}${privateKey}`,
    '',
  ].join('\n');
}
