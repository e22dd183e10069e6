// What the reporter's side trusts (PROTOCOL.md §28.4, §29.3): the served keys checked against the
// pin the receipt made when the report was sent, and each message read with the sender key that
// check allows. The phone uses it, and so does the server when it reads for a reporter without
// JavaScript (§26), so both show a message the same way.
import type { ReporterView } from './api.ts';
import { fromBase64Url } from './encoding.ts';
import type { KeyPair } from './envelope.ts';
import { readMessage, type ReadMessage, type SenderTrust } from './messages.ts';
import { checkPin } from './pin.ts';

export interface ReporterKeys { authToken: string; pair: KeyPair; verifyKey: Uint8Array; signingKey: Uint8Array; pinKey: Uint8Array }

/**
 * legacy: reported before signatures (no pin). pinned: the served keys are the ones this receipt
 * pinned when the report was sent; false means they were changed and nothing can be trusted.
 */
export interface CaseTrust { legacy: boolean; pinned: boolean }

export async function checkCaseKeys(view: ReporterView, keys: ReporterKeys): Promise<CaseTrust> {
  if (view.pin === null) return { legacy: true, pinned: false };
  const served = { team: view.replyTo.team.publicKey, recovery: view.replyTo.recovery.publicKey, teamVerifyKey: view.replyTo.team.verifyKey };
  return { legacy: false, pinned: await checkPin(keys.pinKey, view.pin, served) };
}

/** Every message, read with the sender key this phone can trust for it (§29.3). */
export async function readMessages(view: ReporterView, keys: ReporterKeys, trust: CaseTrust): Promise<Map<string, ReadMessage>> {
  const teamKey = trust.pinned && view.replyTo.team.verifyKey ? fromBase64Url(view.replyTo.team.verifyKey) : null;
  const read = new Map<string, ReadMessage>();
  for (const m of view.messages) {
    const sender: SenderTrust = m.direction === 'from_reporter'
      ? { key: keys.verifyKey, legacy: trust.legacy }
      : { key: teamKey, legacy: trust.legacy, distrusted: !trust.legacy && !trust.pinned };
    read.set(m.id, await readMessage(view.caseId, m, keys.pair, sender));
  }
  return read;
}

