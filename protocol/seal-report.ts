// Turns a completed form into the body of POST /api/reports: picks the team by the published
// routing table, draws a receipt, derives the reporter's keys, pins the keys it seals to, and seals
// the content (envelope v2, PROTOCOL.md §27–§28). No DOM here: the server's no-JavaScript path
// calls the very same function (with its Argon2id in a worker pool).
import type { Intake, SubmitReport } from './api.ts';
import { fromBase64Url, toBase64Url } from './encoding.ts';
import { AD_LABEL, keyId, reportBindingV2, sealEnvelope } from './envelope.ts';
import { makePin } from './pin.ts';
import { deriveReceiptKeys, generateReceipt, type Argon2id } from './receipt.ts';
import { routeReport } from './routing.ts';
import { isUsableVerifyKey } from './signing.ts';
import { sodiumReady } from './sodium.ts';
import { splitReport, type ReportForm } from './report-form.ts';
import type { AttachmentRef } from './evidence-api.ts';

export interface SealedSubmission {
  receipt: string;
  body: SubmitReport;
}

type SealingKeys = Pick<Intake, 'routing' | 'recovery' | 'receiptSalt'>;

type SealOptions = { attachments?: AttachmentRef[]; argon2id?: Argon2id };

/**
 * `attachments`: uploaded files (PROTOCOL.md §23.4), sealed inside the content; their ids go in the
 * body. `argon2id`: the server's worker pool, when the server seals a no-JavaScript report.
 */
export async function sealSubmission(form: ReportForm, language: string, keys: SealingKeys, options: SealOptions = {}): Promise<SealedSubmission> {
  return sealUnderReceipt(await generateReceipt(), form, language, keys, options);
}

/** The same under a receipt already drawn (the caller keeps it secret as sealSubmission does). */
export async function sealUnderReceipt(
  receipt: string, form: ReportForm, language: string, keys: SealingKeys, options: SealOptions = {},
): Promise<SealedSubmission> {
  const { clear, content } = splitReport(form, language);
  const attachments = options.attachments ?? [];
  if (attachments.length) content.attachments = attachments;
  const team = routeReport(clear, keys.routing);
  const recipients: Uint8Array[] = [];
  for (const published of [team, keys.recovery]) {
    const bytes = fromBase64Url(published.publicKey);
    // A key that does not hash to its published id was altered on the way: refuse to seal to it.
    if (!bytes || bytes.length !== 32 || (await keyId(bytes)) !== published.kid) throw new Error('published public key is malformed');
    recipients.push(bytes);
  }
  const teamVerifyKey = team.verifyKey ?? null;
  if (teamVerifyKey !== null && !(await isUsableVerifyKey(teamVerifyKey))) throw new Error('published verify key is malformed');
  const reporter = await deriveReceiptKeys(receipt, keys.receiptSalt, options.argon2id);
  const binding = { reporterPublicKey: toBase64Url(reporter.publicKey), reporterSigningKey: toBase64Url(reporter.verifyKey), teamVerifyKey };
  const envelope = await sealEnvelope(AD_LABEL.report, reportBindingV2(clear, binding), content, recipients);
  const pin = await makePin(reporter.pinKey, { team: team.publicKey, recovery: keys.recovery.publicKey, teamVerifyKey });
  const sodium = await sodiumReady();
  for (const secret of [reporter.privateKey, reporter.signingKey, reporter.pinKey]) sodium.memzero(secret);
  return {
    receipt,
    body: {
      clear, envelope,
      reporter: { authToken: toBase64Url(reporter.authToken), publicKey: binding.reporterPublicKey, signingKey: binding.reporterSigningKey, teamVerifyKey, pin },
      ...(attachments.length ? { attachments: attachments.map((a) => a.id) } : {}),
    },
  };
}

/** Loads libsodium ahead of need (called once the page is idle). */
export async function warmUp(): Promise<void> {
  await sodiumReady();
}
