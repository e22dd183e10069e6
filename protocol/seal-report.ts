// Turns a completed form into the body of POST /api/reports: picks the team by the published
// routing table, draws a receipt, derives the reporter's keys and seals the content. No DOM here:
// the server's no-JavaScript path calls the very same function.
import type { Intake, SubmitReport } from './api.ts';
import { fromBase64Url, toBase64Url } from './encoding.ts';
import { AD_LABEL, keyId, reportBinding, sealEnvelope } from './envelope.ts';
import { deriveReceiptKeys, generateReceipt } from './receipt.ts';
import { routeReport } from './routing.ts';
import { sodiumReady } from './sodium.ts';
import { splitReport, type ReportForm } from './report-form.ts';
import type { AttachmentRef } from './evidence-api.ts';

export interface SealedSubmission {
  receipt: string;
  body: SubmitReport;
}

type SealingKeys = Pick<Intake, 'routing' | 'recovery' | 'receiptSalt'>;

/** `files`: uploaded files (PROTOCOL.md §23.4), sealed inside the content; their ids go in the body. */
export async function sealSubmission(
  form: ReportForm, language: string, keys: SealingKeys, files: { attachments?: AttachmentRef[] } = {},
): Promise<SealedSubmission> {
  const { clear, content } = splitReport(form, language);
  const attachments = files.attachments ?? [];
  if (attachments.length) content.attachments = attachments;
  const team = routeReport(clear, keys.routing);
  const recipients: Uint8Array[] = [];
  for (const published of [team, keys.recovery]) {
    const bytes = fromBase64Url(published.publicKey);
    // A key that does not hash to its published id was altered on the way: refuse to seal to it.
    if (!bytes || bytes.length !== 32 || (await keyId(bytes)) !== published.kid) throw new Error('published public key is malformed');
    recipients.push(bytes);
  }
  const receipt = await generateReceipt();
  const reporter = await deriveReceiptKeys(receipt, keys.receiptSalt);
  const reporterPublicKey = toBase64Url(reporter.publicKey);
  const envelope = await sealEnvelope(AD_LABEL.report, reportBinding(clear, reporterPublicKey), content, recipients);
  return {
    receipt,
    body: {
      clear, envelope, reporter: { authToken: toBase64Url(reporter.authToken), publicKey: reporterPublicKey },
      ...(attachments.length ? { attachments: attachments.map((a) => a.id) } : {}),
    },
  };
}

/** Loads libsodium ahead of need (called once the page is idle). */
export async function warmUp(): Promise<void> {
  await sodiumReady();
}
