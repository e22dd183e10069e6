// For browsers without JavaScript: form ids that recognise a form sent twice, and the receipt
// token. The receipt page posts back to confirm the last four digits.
// The receipt rides along encrypted under a key that lives only in this process's memory
// (app.state.keys.receiptToken), so the server can show it again on a typo without ever storing
// it. Tokens expire after an hour.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Store } from '../state.ts';

const TTL_MS = 60 * 60 * 1000;

export function sealReceiptToken(key: Buffer, receipt: string, now = Date.now()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(`${now + TTL_MS}:${receipt}`, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function openReceiptToken(key: Buffer, token: string, now = Date.now()): string | null {
  try {
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length < 29) return null;
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    const [expires, receipt] = text.split(':');
    return Number(expires) > now && receipt && /^\d{20}$/.test(receipt) ? receipt : null;
  } catch {
    return null;
  }
}

// Form ids (signed by services/form-guard.ts) already used are kept for a day (the store's time
// limit), least recently used evicted first: a reload of the receipt page re-sends the form, and
// must not file a second case.
export function wasSent(sentForms: Store<number>, formId: string, now = Date.now()): boolean {
  return sentForms.get(formId, now) !== undefined;
}

export function markSent(sentForms: Store<number>, formId: string, now = Date.now()): void {
  if (formId.length <= 64) sentForms.set(formId, now, now);
}
