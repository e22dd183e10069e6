// Encrypted files for server tests: upload one through the tus routes with app.inject (the way
// the phone's client does), and seal a report that carries it.
import { randomBytes } from 'node:crypto';
import type { App } from '../../server/app.ts';
import { encryptFile } from '../../protocol/attachment.ts';
import { toBase64Url } from '../../protocol/encoding.ts';
import type { AttachmentRef } from '../../protocol/evidence-api.ts';
import { sealSubmission, sealUnderReceipt } from '../../protocol/seal-report.ts';
import type { Intake } from '../../protocol/api.ts';
import { validForm } from '../fixtures/report.ts';

export const TUS = { 'tus-resumable': '1.0.0' };
export const newUploadId = () => randomBytes(16).toString('base64url');
export const idMetadata = (id: string) => `id ${Buffer.from(id).toString('base64')}`;

export async function createUpload(app: App, length: number, id = newUploadId()) {
  const res = await app.inject({ method: 'POST', url: '/api/uploads', headers: { ...TUS, 'upload-length': String(length), 'upload-metadata': idMetadata(id) } });
  return { id, res };
}

export const patch = (app: App, id: string, offset: number, body: Uint8Array, headers: Record<string, string> = {}) => app.inject({
  method: 'PATCH', url: `/api/uploads/${id}`, payload: Buffer.from(body),
  headers: { ...TUS, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), ...headers },
});

/** Encrypts `plain`, uploads it whole, and returns its reference as a report would carry it. */
export async function uploadFile(app: App, plain: Uint8Array, name = 'letter.pdf', type = 'application/pdf'): Promise<{ ref: AttachmentRef; encrypted: Uint8Array }> {
  const { key, parts } = await encryptFile(plain);
  const encrypted = Buffer.concat(parts);
  const { id, res } = await createUpload(app, encrypted.length);
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`);
  const sent = await patch(app, id, 0, encrypted);
  if (sent.statusCode !== 204) throw new Error(`patch: ${sent.statusCode} ${sent.body}`);
  return { ref: { id, key: toBase64Url(key), name, type, size: plain.length }, encrypted };
}

/** A sealed report whose content names these files, with their ids in the body. */
export async function sealWithFiles(intake: Intake, refs: AttachmentRef[]) {
  const sealed = await sealSubmission(validForm(), 'en', intake, { attachments: refs });
  return sealed;
}

/**
 * A report under a receipt the test knows (sealSubmission draws its own), sealed as the phone seals
 * it (report v2, its keys bound and pinned); returns the case id and the reporter's keys.
 */
export async function reportUnderReceipt(app: App, intake: Intake, receipt: string, refs: AttachmentRef[] = []) {
  const { deriveReceiptKeys } = await import('../../protocol/receipt.ts');
  const keys = await deriveReceiptKeys(receipt, intake.receiptSalt);
  const { body } = await sealUnderReceipt(receipt, validForm(), 'en', intake, { attachments: refs });
  const res = await app.inject({ method: 'POST', url: '/api/reports', payload: body, headers: { 'content-type': 'application/json' } });
  if (res.statusCode !== 201) throw new Error(`report: ${res.statusCode} ${res.body}`);
  return { keys };
}
