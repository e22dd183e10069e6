// First-run setup as data: everything the organisation's keys need, made where the admin is
// (the browser's setup page or the CLI), so the server only ever receives public keys, wrapped
// or sealed private keys, and a password-derived auth key to hash. PROTOCOL.md §5–§6.
import { toBase64Url } from './encoding.ts';
import { keyId } from './envelope.ts';
import {
  MIN_PASSWORD_LENGTH, RECOVERY_PREFIX, WRAP_LABEL, derivePasswordKeys, generateKeyPair, newKdfParams, sealGrant, wrapSecret,
  type KdfParams,
} from './keys.ts';
import { hasBidiControls } from './names.ts';
import { teamVerifyKey } from './signing.ts';
import { sodiumReady } from './sodium.ts';

export interface SetupBundle {
  organisationName: string;
  receiptSalt: string;
  recovery: { publicKey: string };
  admin: { email: string; kdf: KdfParams; authKey: string; publicKey: string; wrappedPrivateKey: string };
  team: { name: string; publicKey: string; verifyKey: string; adminGrant: string; recoveryGrant: string };
}

export interface SetupInput { organisationName: string; adminEmail: string; password: string; teamName?: string }

export type SetupProblem = 'invalid_organisation_name' | 'invalid_email' | 'password_too_short';

export function checkSetupInput(input: SetupInput): SetupProblem | null {
  if (!input.organisationName.trim() || input.organisationName.length > 200 || hasBidiControls(input.organisationName)) return 'invalid_organisation_name';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.adminEmail.trim()) || input.adminEmail.length > 254 || hasBidiControls(input.adminEmail)) return 'invalid_email';
  if (input.password.length < MIN_PASSWORD_LENGTH) return 'password_too_short';
  return null;
}

export async function buildSetupBundle(input: SetupInput, now = new Date()): Promise<{ bundle: SetupBundle; recoveryKit: string }> {
  const sodium = await sodiumReady();
  const recovery = await generateKeyPair();
  const admin = await generateKeyPair();
  const team = await generateKeyPair();
  const kdf = await newKdfParams();
  const { authKey, wrapKey } = await derivePasswordKeys(input.password, kdf);
  const organisationName = input.organisationName.trim();
  const bundle: SetupBundle = {
    organisationName,
    receiptSalt: toBase64Url(sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES)),
    recovery: { publicKey: toBase64Url(recovery.publicKey) },
    admin: {
      email: input.adminEmail.trim().toLowerCase(), kdf, authKey: toBase64Url(authKey), publicKey: toBase64Url(admin.publicKey),
      wrappedPrivateKey: await wrapSecret(admin.privateKey, wrapKey, WRAP_LABEL.userPrivateKey),
    },
    team: {
      name: input.teamName?.trim() || 'Caseworkers',
      publicKey: toBase64Url(team.publicKey),
      verifyKey: await teamVerifyKey(team.privateKey),
      adminGrant: await sealGrant(team.privateKey, admin.publicKey),
      recoveryGrant: await sealGrant(team.privateKey, recovery.publicKey),
    },
  };
  const recoveryKit = formatRecoveryKit(organisationName, await keyId(recovery.publicKey), toBase64Url(recovery.privateKey), now.toISOString());
  for (const secret of [recovery.privateKey, admin.privateKey, team.privateKey, wrapKey]) sodium.memzero(secret);
  return { bundle, recoveryKit };
}

export function formatRecoveryKit(org: string, kid: string, privateKey: string, createdAt: string): string {
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
