// For browsers without JavaScript: form ids that recognise a form sent twice, and the receipt
// token. The receipt page posts back to confirm the last four digits.
// The receipt rides along encrypted under a key that lives only in this process's memory, so
// the server can show it again on a typo without ever storing it. Tokens expire after an hour.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const key = randomBytes(32);
const TTL_MS = 60 * 60 * 1000;

export function sealReceiptToken(receipt: string, now = Date.now()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(`${now + TTL_MS}:${receipt}`, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function openReceiptToken(token: string, now = Date.now()): string | null {
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

// Form ids already used, in memory only, for a day: a reload of the receipt page re-sends the
// form, and must not file a second case. Bounded, so a flood cannot grow it without limit.
const sentForms = new Map<string, number>();
const FORM_TTL_MS = 24 * 60 * 60 * 1000;

export function newFormId(): string {
  return randomBytes(16).toString('base64url');
}

export function wasSent(formId: string, now = Date.now()): boolean {
  const at = sentForms.get(formId);
  return at !== undefined && now - at < FORM_TTL_MS;
}

export function markSent(formId: string, now = Date.now()): void {
  if (formId.length > 64) return;
  if (sentForms.size >= 100_000) {
    for (const [id, at] of sentForms) if (now - at >= FORM_TTL_MS) sentForms.delete(id);
    if (sentForms.size >= 100_000) sentForms.clear();
  }
  sentForms.set(formId, now);
}
