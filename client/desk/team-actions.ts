// What an admin's browser does with team keys: make a team (its key made here), rotate a key
// (sealed here to every member who holds the current one and to the recovery key), grant a key to
// a member. Each new key also gives the team's verify key (PROTOCOL.md §28.2).
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import type { KeyPair } from '../../protocol/envelope.ts';
import type { Intake } from '../../protocol/api.ts';
import type { TeamView } from '../../protocol/desk-api.ts';
import { generateKeyPair, sealGrant } from '../../protocol/keys.ts';
import { teamVerifyKey } from '../../protocol/signing.ts';
import { api } from './api.ts';
import { teamKeyFromGrant } from './keys.ts';

async function recoveryKey(): Promise<Uint8Array> {
  return fromBase64Url((await api<Intake>('GET', '/api/intake')).recovery.publicKey)!;
}

export async function createTeam(name: string, restricted: boolean, account: KeyPair): Promise<void> {
  const pair = await generateKeyPair();
  await api('POST', '/api/teams', {
    name, restricted, publicKey: toBase64Url(pair.publicKey), verifyKey: await teamVerifyKey(pair.privateKey),
    creatorGrant: await sealGrant(pair.privateKey, account.publicKey), recoveryGrant: await sealGrant(pair.privateKey, await recoveryKey()),
  });
}

/** A new team key, sealed here to every member who holds the current one and to the recovery key. */
export async function rotateTeamKey(team: TeamView): Promise<void> {
  const pair = await generateKeyPair();
  const memberGrants = await Promise.all(team.members.filter((m) => m.granted).map(async (m) => ({ userId: m.id, sealedPrivateKey: await sealGrant(pair.privateKey, fromBase64Url(m.publicKey)!) })));
  await api('POST', `/api/teams/${team.id}/keys`, {
    publicKey: toBase64Url(pair.publicKey), verifyKey: await teamVerifyKey(pair.privateKey),
    grants: [...memberGrants, { userId: null, sealedPrivateKey: await sealGrant(pair.privateKey, await recoveryKey()) }],
  });
}

/** Seals the team key I hold to a member (after checking it is the team's published key). */
export async function grantTeamKey(team: TeamView, member: TeamView['members'][number], account: KeyPair, notHeld: string): Promise<void> {
  const teamPair = team.myGrant ? await teamKeyFromGrant(team.myGrant, account, team.key.publicKey) : null;
  if (!teamPair) throw new Error(notHeld);
  await api('POST', `/api/teams/${team.id}/grants`, { userId: member.id, sealedPrivateKey: await sealGrant(teamPair.privateKey, fromBase64Url(member.publicKey)!) });
}
